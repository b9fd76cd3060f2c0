import type { Statement } from 'better-sqlite3';
import type { Platform } from '../model.js';
import type { Store } from '../store/db.js';

interface DirectoryMember {
  id: number;
  name: string;
  firstSeen: boolean;
}

/**
 * Member and group rows, cached in memory so the per-message path writes only when something
 * is new (a first message, a renamed member, a member seen in a new group).
 */
export class Directory {
  private readonly members = new Map<string, DirectoryMember>();
  private readonly groups = new Map<string, number>();
  private readonly memberships = new Set<string>();
  private readonly findMember: Statement;
  private readonly insertMember: Statement;
  private readonly renameMember: Statement;
  private readonly findGroup: Statement;
  private readonly insertGroup: Statement;
  private readonly insertMembership: Statement;
  private readonly rejoinStmt: Statement;
  private readonly leaveStmt: Statement;

  constructor(store: Store) {
    const db = store.sqlite;
    this.findMember = db.prepare(`SELECT id, name FROM members WHERE platform = ? AND user_id = ?`);
    // A first message is the usual reason a member is not cached: insert first, look up on conflict.
    this.insertMember = db.prepare(`INSERT INTO members (platform, user_id, name, first_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`);
    this.renameMember = db.prepare(`UPDATE members SET name = ? WHERE id = ?`);
    this.findGroup = db.prepare(`SELECT id FROM groups WHERE platform = ? AND chat_id = ?`);
    this.insertGroup = db.prepare(
      `INSERT INTO groups (platform, chat_id, name, playbook_id, group_key, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, chat_id) DO UPDATE SET playbook_id = excluded.playbook_id, group_key = excluded.group_key`,
    );
    this.insertMembership = db.prepare(`INSERT OR IGNORE INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, ?, ?)`);
    this.rejoinStmt = db.prepare(
      `INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (group_id, member_id) DO UPDATE SET left_at = NULL, joined_at = CASE WHEN left_at IS NULL THEN joined_at ELSE excluded.joined_at END`,
    );
    this.leaveStmt = db.prepare(
      `INSERT INTO group_members (group_id, member_id, role, joined_at, left_at) VALUES (?, ?, 'parent', ?, ?)
       ON CONFLICT (group_id, member_id) DO UPDATE SET left_at = excluded.left_at`,
    );
  }

  /** Whether the member's row is cached (known without a query). */
  cached(platform: Platform, userId: string): boolean {
    return this.members.has(`${platform}|${userId}`);
  }

  /** The member's row, created on their first message (`firstSeen` is true for that one call only). */
  member(platform: Platform, userId: string, name: string, now: number): Readonly<DirectoryMember> {
    const key = `${platform}|${userId}`;
    let m = this.members.get(key);
    if (m) m.firstSeen = false;
    else {
      const inserted = this.insertMember.get(platform, userId, name, now) as { id: number } | undefined;
      m = inserted ? { id: inserted.id, name, firstSeen: true } : { ...(this.findMember.get(platform, userId) as { id: number; name: string }), firstSeen: false };
      this.members.set(key, m);
    }
    if (name && m.name !== name) {
      this.renameMember.run(name, m.id);
      m.name = name;
    }
    return m;
  }

  group(platform: Platform, chatId: string, name: string, playbookId: string | null, groupKey: string | null, now: number): number {
    const key = `${platform}|${chatId}`;
    let id = this.groups.get(key);
    if (id === undefined) {
      this.insertGroup.run(platform, chatId, name, playbookId, groupKey, now);
      id = (this.findGroup.get(platform, chatId) as { id: number }).id;
      this.groups.set(key, id);
    }
    return id;
  }

  /**
   * Records that the member is in the group. A message proves it only once (cached); the
   * platform's join event (`announced`) also clears a earlier leave.
   */
  join(groupId: number, memberId: number, role: string, now: number, announced = false): void {
    const key = `${groupId}|${memberId}`;
    if (announced) this.rejoinStmt.run(groupId, memberId, role, now);
    else if (this.memberships.has(key)) return;
    else this.insertMembership.run(groupId, memberId, role, now);
    this.memberships.add(key);
  }

  /** The platform says the member left: kept (their history stays), marked as gone for rosters and rates. */
  leave(groupId: number, memberId: number, now: number): void {
    this.leaveStmt.run(groupId, memberId, now, now);
    this.memberships.delete(`${groupId}|${memberId}`);
  }

  /** Forgets cached rows, e.g. after a member's data was erased. */
  clear(): void {
    this.members.clear();
    this.groups.clear();
    this.memberships.clear();
  }
}
