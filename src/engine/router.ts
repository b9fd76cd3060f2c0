import type { Logger } from '../log.js';
import type { Platform } from '../model.js';
import { findStaff, type Playbook } from '../playbook/playbook.js';
import type { GroupConfig } from '../playbook/schema.js';
import type { Store } from '../store/db.js';
import { compilePattern, type Pattern } from '../playbook/pattern.js';

export interface Route {
  playbook: Playbook;
  group: GroupConfig;
  kind: 'class' | 'staff';
  /** Compiled `match`, for groups bound by title. */
  title: Pattern | null;
}

/** A chat among those that met one group's binding rules. */
export interface ConflictChat {
  chatId: string;
  title: string;
}

/** Told once per group when a second chat meets its binding rules (the router then binds none of them). */
export type ConflictListener = (route: Route, chats: ConflictChat[]) => void;

/**
 * Maps a platform chat to the playbook group it belongs to. Groups configured without an id are
 * bound by title, and a title is easy to copy, so:
 * - a class group is bound by the adapter looking chats up (WeChat rooms), or else by the first
 *   message from a chat whose title matches (DingTalk tells a robot nothing before it is @-ed);
 * - the staff group is bound only by a message a configured staff member sends in a chat whose
 *   title matches: an outsider's look-alike must never receive staff alerts;
 * - when a second chat meets a group's rules, neither is bound (the first is unbound), the staff
 *   are told once, and the conflict is kept until the playbook gives the group's id.
 * Learned ids and conflicts are stored, so reminders reach the group after a restart.
 */
export class Router {
  private byChat = new Map<string, Route>();
  private routes: Route[] = [];
  private playbooks: Playbook[] = [];
  private readonly learned = new Map<string, string>();
  private readonly conflicts = new Map<string, Set<string>>();
  /** Platforms whose adapter looks chats up itself: a message's title must not bind a class group there (titles repeat). */
  private readonly lookedUp = new Set<Platform>();
  onConflict: ConflictListener | undefined;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {
    this.load();
  }

  setPlaybooks(playbooks: Playbook[]): void {
    this.playbooks = playbooks;
    this.byChat = new Map();
    this.routes = [];
    for (const playbook of playbooks) {
      const groups: [GroupConfig, 'class' | 'staff'][] = playbook.groups.map((g) => [g, 'class']);
      if (playbook.staffGroup) groups.push([playbook.staffGroup, 'staff']);
      for (const [group, kind] of groups) {
        const route: Route = { playbook, group, kind, title: group.match ? compilePattern(group.match) : null };
        this.routes.push(route);
        const chatId = this.chatIdOf(playbook, group);
        if (chatId) this.byChat.set(`${group.platform}|${chatId}`, route);
      }
    }
  }

  /** What is learned was written in a transaction that may have been rolled back, or by another process: read it again. */
  reload(): void {
    this.load();
    this.setPlaybooks(this.playbooks);
  }

  lookUpChatsOn(platform: Platform): void {
    this.lookedUp.add(platform);
  }

  looksUpChatsOn(platform: Platform): boolean {
    return this.lookedUp.has(platform);
  }

  /** The route of a chat; a chat not bound yet may bind a title-bound group by the rules above. */
  route(platform: Platform, chatId: string, title: string | undefined, senderId: string, now: number): Route | null {
    const found = this.byChat.get(`${platform}|${chatId}`);
    if (found || !title) return found ?? null;
    const candidates = this.titleBound(platform).filter(
      (r) => (r.kind === 'staff' ? findStaff(r.playbook, platform, senderId) !== undefined : !this.lookedUp.has(platform)) && matches(r, title),
    );
    return this.bindByTitle(candidates, chatId, title, now);
  }

  /**
   * The platform showed the bot a chat without a message (the bot was added, a group was renamed
   * or listed). A bound chat keeps its binding and takes the new title; an unbound one may bind a
   * class group by title, as a first message would (never the staff group: no staff member spoke).
   * False where the adapter looks chats up itself: the caller asks it to look again instead.
   */
  seen(platform: Platform, chatId: string, title: string, now: number): boolean {
    if (this.byChat.has(`${platform}|${chatId}`)) {
      this.store.sqlite.prepare(`UPDATE groups SET name = ? WHERE platform = ? AND chat_id = ? AND name IS NOT ?`).run(title, platform, chatId, title);
      return true;
    }
    if (this.lookedUp.has(platform)) return false;
    this.bindByTitle(this.titleBound(platform).filter((r) => r.kind === 'class' && matches(r, title)), chatId, title, now);
    return true;
  }

  private bindByTitle(candidates: Route[], chatId: string, title: string, now: number): Route | null {
    const free = candidates.find((r) => !this.learned.has(this.learnKey(r)) && !this.conflicts.has(this.learnKey(r)));
    if (free) {
      this.learn(free, chatId, title, now);
      return free;
    }
    for (const r of candidates) this.conflict(r, chatId, title, now);
    return null;
  }

  /** Binds a title-bound group to a chat id (from a message or an adapter's look-up) and stores it. */
  learn(route: Route, chatId: string, title: string, now: number): void {
    if (route.group.id) return;
    const key = this.learnKey(route);
    const old = this.learned.get(key);
    if (old === chatId) return;
    if (old) this.unbind(route, old);
    this.byChat.set(`${route.group.platform}|${chatId}`, route);
    this.learned.set(key, chatId);
    this.store.sqlite
      .prepare(
        `INSERT INTO groups (platform, chat_id, name, playbook_id, group_key, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, chat_id) DO UPDATE SET playbook_id = excluded.playbook_id, group_key = excluded.group_key, name = excluded.name`,
      )
      .run(route.group.platform, chatId, title, route.playbook.id, route.group.key, now);
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

  /** The platform chat id of a playbook group, configured or learned; null until learned (and while in conflict). */
  chatIdOf(playbook: Playbook, group: GroupConfig): string | null {
    return group.id ?? this.learned.get(`${playbook.id}|${group.key}|${group.platform}`) ?? null;
  }

  /** A further chat meets `route`'s rules: unbind the one bound, record both, and tell the listener the first time. */
  private conflict(route: Route, chatId: string, title: string, now: number): void {
    const key = this.learnKey(route);
    const known = this.conflicts.get(key);
    if (known?.has(chatId)) return;
    const chats = known ?? new Set<string>();
    const { platform } = route.group;
    const record = this.store.sqlite.prepare(
      `INSERT OR IGNORE INTO group_conflicts (platform, playbook_id, group_key, chat_id, title, seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const bound = this.learned.get(key);
    if (bound) {
      const row = this.store.sqlite.prepare(`SELECT name FROM groups WHERE platform = ? AND chat_id = ?`).get(platform, bound) as { name: string | null } | undefined;
      record.run(platform, route.playbook.id, route.group.key, bound, row?.name ?? '', now);
      chats.add(bound);
      this.unbind(route, bound);
    }
    record.run(platform, route.playbook.id, route.group.key, chatId, title, now);
    chats.add(chatId);
    this.conflicts.set(key, chats);
    this.log.warn({ platform, chatId, title, chats: [...chats], playbook: route.playbook.id, group: route.group.key }, 'several chats match a group bound by title: none is bound until the playbook gives its id');
    if (!known) this.onConflict?.(route, this.conflictChats(route));
  }

  private conflictChats(route: Route): ConflictChat[] {
    return this.store.sqlite
      .prepare(`SELECT chat_id AS chatId, title FROM group_conflicts WHERE platform = ? AND playbook_id = ? AND group_key = ? ORDER BY rowid`)
      .all(route.group.platform, route.playbook.id, route.group.key) as ConflictChat[];
  }

  private unbind(route: Route, chatId: string): void {
    this.byChat.delete(`${route.group.platform}|${chatId}`);
    this.learned.delete(this.learnKey(route));
    this.store.sqlite.prepare(`UPDATE groups SET playbook_id = NULL, group_key = NULL WHERE platform = ? AND chat_id = ?`).run(route.group.platform, chatId);
  }

  private load(): void {
    this.learned.clear();
    this.conflicts.clear();
    const rows = this.store.sqlite
      .prepare(`SELECT platform, chat_id AS chatId, playbook_id AS playbookId, group_key AS groupKey FROM groups WHERE playbook_id IS NOT NULL ORDER BY id`)
      .all() as { platform: string; chatId: string; playbookId: string; groupKey: string }[];
    for (const r of rows) this.learned.set(`${r.playbookId}|${r.groupKey}|${r.platform}`, r.chatId);
    const conflicts = this.store.sqlite
      .prepare(`SELECT platform, chat_id AS chatId, playbook_id AS playbookId, group_key AS groupKey FROM group_conflicts`)
      .all() as { platform: string; chatId: string; playbookId: string; groupKey: string }[];
    for (const c of conflicts) {
      const key = `${c.playbookId}|${c.groupKey}|${c.platform}`;
      const chats = this.conflicts.get(key) ?? new Set<string>();
      chats.add(c.chatId);
      this.conflicts.set(key, chats);
    }
  }

  private learnKey(route: Route): string {
    return `${route.playbook.id}|${route.group.key}|${route.group.platform}`;
  }
}

function matches(route: Route, title: string): boolean {
  return route.group.name === title || (route.title?.test(title) ?? false);
}
