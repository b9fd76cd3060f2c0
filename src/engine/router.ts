import type { Logger } from '../log.js';
import type { Platform } from '../model.js';
import type { Playbook } from '../playbook/playbook.js';
import type { GroupConfig } from '../playbook/schema.js';
import type { Store } from '../store/db.js';

export interface Route {
  playbook: Playbook;
  group: GroupConfig;
  kind: 'class' | 'staff';
}

/**
 * Maps a platform chat to the playbook group it belongs to. Groups configured without an id are
 * learned from the first message whose chat title matches their name or pattern, and the
 * learned id is stored so reminders can reach the group after a restart.
 */
export class Router {
  private byChat = new Map<string, Route>();
  private pending: Route[] = [];
  private learned = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {
    const rows = store.sqlite
      .prepare(`SELECT platform, chat_id AS chatId, playbook_id AS playbookId, group_key AS groupKey FROM groups WHERE playbook_id IS NOT NULL`)
      .all() as { platform: string; chatId: string; playbookId: string; groupKey: string }[];
    for (const r of rows) this.learned.set(`${r.playbookId}|${r.groupKey}|${r.platform}`, r.chatId);
  }

  setPlaybooks(playbooks: Playbook[]): void {
    this.byChat = new Map();
    this.pending = [];
    for (const playbook of playbooks) {
      const all: Route[] = playbook.groups.map((group) => ({ playbook, group, kind: 'class' as const }));
      if (playbook.staffGroup) all.push({ playbook, group: playbook.staffGroup, kind: 'staff' });
      for (const route of all) {
        const chatId = route.group.id ?? this.learned.get(this.learnKey(route));
        if (chatId) this.byChat.set(`${route.group.platform}|${chatId}`, route);
        else this.pending.push(route);
      }
    }
  }

  /** The route of a chat, learning unbound groups by title. */
  route(platform: Platform, chatId: string, title: string | undefined, now: number): Route | null {
    const found = this.byChat.get(`${platform}|${chatId}`);
    if (found || !title) return found ?? null;
    const idx = this.pending.findIndex(
      (r) => r.group.platform === platform && (r.group.name === title || (r.group.match !== undefined && new RegExp(r.group.match).test(title))),
    );
    if (idx < 0) return null;
    const route = this.pending[idx]!;
    this.learn(route.playbook, route.group, chatId, title, now);
    return route;
  }

  /** Binds a playbook group to a platform chat id (learned from a message or an adapter) and stores it. */
  learn(playbook: Playbook, group: GroupConfig, chatId: string, title: string, now: number): void {
    const route = this.pending.find((r) => r.playbook === playbook && r.group === group);
    if (!route) return;
    this.pending.splice(this.pending.indexOf(route), 1);
    this.byChat.set(`${group.platform}|${chatId}`, route);
    this.learned.set(this.learnKey(route), chatId);
    this.store.sqlite
      .prepare(
        `INSERT INTO groups (platform, chat_id, name, playbook_id, group_key, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, chat_id) DO UPDATE SET playbook_id = excluded.playbook_id, group_key = excluded.group_key, name = excluded.name`,
      )
      .run(group.platform, chatId, title, playbook.id, group.key, now);
    this.log.info({ platform: group.platform, chatId, title, playbook: playbook.id, group: group.key }, 'learned the chat id of a playbook group');
  }

  /** Groups of `platform` whose chat id is not known yet. */
  unbound(platform: Platform): Route[] {
    return this.pending.filter((r) => r.group.platform === platform);
  }

  /** The platform chat id of a playbook group, configured or learned; null until learned. */
  chatIdOf(playbook: Playbook, group: GroupConfig): string | null {
    return group.id ?? this.learned.get(`${playbook.id}|${group.key}|${group.platform}`) ?? null;
  }

  private learnKey(route: Route): string {
    return `${route.playbook.id}|${route.group.key}|${route.group.platform}`;
  }
}
