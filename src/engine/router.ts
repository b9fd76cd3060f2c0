import type { Logger } from '../log.js';
import type { Platform } from '../model.js';
import type { Playbook } from '../playbook/playbook.js';
import type { GroupConfig } from '../playbook/schema.js';
import type { Store } from '../store/db.js';

export interface Route {
  playbook: Playbook;
  group: GroupConfig;
  kind: 'class' | 'staff';
  /** Compiled `match`, for groups bound by title. */
  title: RegExp | null;
}

/**
 * Maps a platform chat to the playbook group it belongs to. Groups configured without an id are
 * bound by title: by the adapter looking chats up (WeChat rooms), or else from the first message
 * whose chat title matches (DingTalk tells a robot nothing before it is @-ed). The learned id is
 * stored so reminders reach the group after a restart, and is replaced when the chat's id changes.
 */
export class Router {
  private byChat = new Map<string, Route>();
  private routes: Route[] = [];
  private readonly learned = new Map<string, string>();
  /** Platforms whose adapter looks chats up itself: a message's title must not bind a group there (titles repeat). */
  private readonly lookedUp = new Set<Platform>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {
    const rows = store.sqlite
      .prepare(`SELECT platform, chat_id AS chatId, playbook_id AS playbookId, group_key AS groupKey FROM groups WHERE playbook_id IS NOT NULL ORDER BY id`)
      .all() as { platform: string; chatId: string; playbookId: string; groupKey: string }[];
    for (const r of rows) this.learned.set(`${r.playbookId}|${r.groupKey}|${r.platform}`, r.chatId);
  }

  setPlaybooks(playbooks: Playbook[]): void {
    this.byChat = new Map();
    this.routes = [];
    for (const playbook of playbooks) {
      const groups: [GroupConfig, 'class' | 'staff'][] = playbook.groups.map((g) => [g, 'class']);
      if (playbook.staffGroup) groups.push([playbook.staffGroup, 'staff']);
      for (const [group, kind] of groups) {
        const route: Route = { playbook, group, kind, title: group.match ? new RegExp(group.match) : null };
        this.routes.push(route);
        const chatId = this.chatIdOf(playbook, group);
        if (chatId) this.byChat.set(`${group.platform}|${chatId}`, route);
      }
    }
  }

  lookUpChatsOn(platform: Platform): void {
    this.lookedUp.add(platform);
  }

  /** The route of a chat; on platforms without look-up, an unbound group is learned by title. */
  route(platform: Platform, chatId: string, title: string | undefined, now: number): Route | null {
    const found = this.byChat.get(`${platform}|${chatId}`);
    if (found || !title || this.lookedUp.has(platform)) return found ?? null;
    const route = this.unbound(platform).find((r) => r.group.name === title || (r.title?.test(title) ?? false));
    if (!route) return null;
    this.learn(route, chatId, title, now);
    return route;
  }

  /** Binds a title-bound group to a chat id (from a message or an adapter's look-up) and stores it. */
  learn(route: Route, chatId: string, title: string, now: number): void {
    if (route.group.id) return;
    const key = this.learnKey(route);
    const old = this.learned.get(key);
    if (old === chatId) return;
    if (old) this.byChat.delete(`${route.group.platform}|${old}`);
    this.byChat.set(`${route.group.platform}|${chatId}`, route);
    this.learned.set(key, chatId);
    this.store.sqlite
      .prepare(
        `INSERT INTO groups (platform, chat_id, name, playbook_id, group_key, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, chat_id) DO UPDATE SET playbook_id = excluded.playbook_id, group_key = excluded.group_key, name = excluded.name`,
      )
      .run(route.group.platform, chatId, title, route.playbook.id, route.group.key, now);
    if (old) this.store.sqlite.prepare(`UPDATE groups SET playbook_id = NULL, group_key = NULL WHERE platform = ? AND chat_id = ?`).run(route.group.platform, old);
    this.log.info({ platform: route.group.platform, chatId, previous: old, title, playbook: route.playbook.id, group: route.group.key }, 'bound a playbook group to its chat');
  }

  /** Groups of `platform` bound by title (no configured id), learned or not. */
  titleBound(platform: Platform): Route[] {
    return this.routes.filter((r) => r.group.platform === platform && !r.group.id);
  }

  /** Groups of `platform` whose chat id is not known yet. */
  unbound(platform: Platform): Route[] {
    return this.titleBound(platform).filter((r) => !this.learned.has(this.learnKey(r)));
  }

  /** The platform chat id of a playbook group, configured or learned; null until learned. */
  chatIdOf(playbook: Playbook, group: GroupConfig): string | null {
    return group.id ?? this.learned.get(`${playbook.id}|${group.key}|${group.platform}`) ?? null;
  }

  private learnKey(route: Route): string {
    return `${route.playbook.id}|${route.group.key}|${route.group.platform}`;
  }
}
