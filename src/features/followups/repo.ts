/**
 * Follow-up rows and their audit trail. Every change goes through `change`, which writes the
 * row's new fields and one followup_events row (who, when, what) together.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Platform } from '../../model.js';
import type { Store } from '../../store/db.js';
import { oncePer } from '../../memo.js';

export type Status = 'open' | 'claimed' | 'resolved' | 'dismissed';
export type Source = 'detector' | 'question' | 'staff';

export interface Followup {
  id: number;
  playbookId: string;
  platform: Platform;
  groupId: number | null;
  memberId: number;
  messageId: number | null;
  message: string | null;
  category: string;
  severity: string;
  source: Source;
  status: Status;
  assignee: string | null;
  score: number | null;
  reasons: string | null;
  openedAt: number;
  claimedAt: number | null;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  respondBy: number;
  resolveBy: number;
  escalationLevel: number;
  escalateAt: number | null;
  ratingAskedAt: number | null;
  rating: number | null;
  ratedAt: number | null;
  /** Joined: the parent's name and platform user id, and the group's chat id and playbook key. */
  memberName: string;
  memberUserId: string;
  groupChatId: string | null;
  groupKey: string | null;
}

export interface FollowupEvent {
  id: number;
  followupId: number;
  at: number;
  actor: string;
  action: string;
  status: Status;
  detail: string | null;
}

export interface MemberRow {
  id: number;
  userId: string;
  name: string;
}

export type NewFollowup = Pick<
  Followup,
  'playbookId' | 'platform' | 'groupId' | 'memberId' | 'messageId' | 'message' | 'category' | 'severity' | 'source' | 'assignee' | 'score' | 'reasons' | 'openedAt' | 'respondBy' | 'resolveBy' | 'escalationLevel' | 'escalateAt'
>;

/**
 * What the per-message path needs of a parent's open or claimed follow-up: whether one of the
 * category is already open, whether staff answered it, since when a question waits.
 */
export type ActiveFollowup = Pick<Followup, 'id' | 'playbookId' | 'memberId' | 'category' | 'severity' | 'source' | 'status' | 'firstResponseAt' | 'openedAt'>;

const isActive = (status: Status) => status === 'open' || status === 'claimed';

/** Columns a change may set (camelCase → snake_case). */
const COLUMNS = {
  status: 'status', severity: 'severity', assignee: 'assignee', claimedAt: 'claimed_at', firstResponseAt: 'first_response_at',
  resolvedAt: 'resolved_at', escalationLevel: 'escalation_level', escalateAt: 'escalate_at', ratingAskedAt: 'rating_asked_at',
  rating: 'rating', ratedAt: 'rated_at', reasons: 'reasons',
} as const;
export type Patch = Partial<Pick<Followup, keyof typeof COLUMNS>>;

const SELECT = `SELECT f.id, f.playbook_id AS playbookId, f.platform, f.group_id AS groupId, f.member_id AS memberId, f.message_id AS messageId,
  f.message, f.category, f.severity, f.source, f.status, f.assignee, f.score, f.reasons, f.opened_at AS openedAt, f.claimed_at AS claimedAt,
  f.first_response_at AS firstResponseAt, f.resolved_at AS resolvedAt, f.respond_by AS respondBy, f.resolve_by AS resolveBy,
  f.escalation_level AS escalationLevel, f.escalate_at AS escalateAt, f.rating_asked_at AS ratingAskedAt, f.rating, f.rated_at AS ratedAt,
  m.name AS memberName, m.user_id AS memberUserId, g.chat_id AS groupChatId, g.group_key AS groupKey
  FROM followups f JOIN members m ON m.id = f.member_id LEFT JOIN groups g ON g.id = f.group_id`;

/** Members whose open follow-ups a repo keeps at most (2 MB; 10 MB were each to have one open); past that it starts again. */
const MAX_CACHED_MEMBERS = 50_000;
/** The cached list of a member without open follow-ups (most of them), shared. */
const NONE: readonly ActiveFollowup[] = Object.freeze([]);

/** Bumped to make every repo drop what it caches from the database. */
let forgotten = 0;

/** Rows cached by the follow-up repos may be stale (a rolled-back write, another process's writes). */
export function forgetFollowupCaches(): void {
  forgotten++;
}

export class FollowupRepo {
  private readonly db: Database;
  private readonly insertStmt: Statement;
  private readonly byId: Statement;
  private readonly openedByStmt: Statement;
  private readonly joinedStmt: Statement;
  private readonly activeOfStmt: Statement;
  private readonly lastMemberStmt: Statement;
  private readonly dueStmt: Statement;
  private readonly overdueStmt: Statement;
  private readonly activeUsersStmt: Statement;
  private readonly awaitingRating: Statement;
  private readonly eventStmt: Statement;
  private readonly rescheduleStmt: Statement;
  private readonly directChat: Statement;
  private readonly memberStmt: Statement;
  private readonly namedStmt: Statement;
  private readonly latestGroupStmt: Statement;
  private readonly spokeStmt: Statement;
  private readonly eventsOf: Statement;
  private readonly updates = new Map<string, Statement>();
  /**
   * Members' open or claimed follow-ups, each member's read once (one indexed query) and then
   * kept in step by this repo's own writes, so their next messages cost no query for them. Dropped
   * by forgetFollowupCaches (a rollback, another process's writes): that costs nothing until the
   * members are read again, however many follow-ups are open.
   */
  private readonly activeByMember = new Map<number, readonly ActiveFollowup[]>();
  /**
   * The highest members.id when the cache began: a member above it joined since, so each of their
   * follow-ups was opened since, by this process (another's writes drop the cache), and went through
   * keepActive; their first messages (most, in a growing class) then cost no query either.
   */
  private lastOldMember: number | null = null;
  private readonly strings = new Map<string, string>();
  private generation = forgotten;

  constructor(store: Store) {
    this.db = store.sqlite;
    this.insertStmt = this.db.prepare(
      `INSERT INTO followups (playbook_id, platform, group_id, member_id, message_id, message, category, severity, source, status, assignee,
         score, reasons, opened_at, respond_by, resolve_by, escalation_level, escalate_at)
       VALUES (@playbookId, @platform, @groupId, @memberId, @messageId, @message, @category, @severity, @source, 'open', @assignee,
         @score, @reasons, @openedAt, @respondBy, @resolveBy, @escalationLevel, @escalateAt)`,
    );
    this.byId = this.db.prepare(`${SELECT} WHERE f.id = ?`);
    this.openedByStmt = this.db.prepare(`${SELECT} WHERE f.message_id = ? AND f.status IN ('open', 'claimed') ORDER BY f.id`);
    this.joinedStmt = this.db.prepare(
      `SELECT m.name AS memberName, m.user_id AS memberUserId, g.chat_id AS groupChatId, g.group_key AS groupKey
       FROM members m LEFT JOIN groups g ON g.id = ? WHERE m.id = ?`,
    );
    this.activeOfStmt = this.db.prepare(
      `SELECT id, playbook_id AS playbookId, member_id AS memberId, category, severity, source, status, first_response_at AS firstResponseAt,
       opened_at AS openedAt FROM followups WHERE member_id = ? AND status IN ('open', 'claimed') ORDER BY id`,
    );
    this.lastMemberStmt = this.db.prepare(`SELECT COALESCE(MAX(id), 0) FROM members`).pluck();
    this.dueStmt = this.db.prepare(`${SELECT} WHERE f.status = 'open' AND f.escalate_at <= ? AND f.playbook_id = ? ORDER BY f.escalate_at, f.id`);
    this.overdueStmt = this.db.prepare(
      `${SELECT} WHERE f.playbook_id = ? AND f.status IN ('open', 'claimed') AND f.resolve_by <= ?
       AND NOT EXISTS (SELECT 1 FROM followup_events e WHERE e.followup_id = f.id AND e.action = 'resolve_overdue') ORDER BY f.resolve_by, f.id`,
    );
    this.activeUsersStmt = this.db
      .prepare(
        `SELECT DISTINCT m.user_id FROM followups f JOIN members m ON m.id = f.member_id
         WHERE f.playbook_id = ? AND f.status IN ('open', 'claimed') AND m.platform = ? AND f.category IN (SELECT value FROM json_each(?))`,
      )
      .pluck();
    this.awaitingRating = this.db.prepare(
      `${SELECT} WHERE f.member_id = ? AND f.status = 'resolved' AND f.rating IS NULL AND f.rating_asked_at >= ? ORDER BY f.rating_asked_at DESC, f.id DESC`,
    );
    this.eventStmt = this.db.prepare(`INSERT INTO followup_events (followup_id, at, actor, action, status, detail) VALUES (?, ?, ?, ?, ?, ?)`);
    this.rescheduleStmt = this.db.prepare(`UPDATE followups SET escalate_at = ? WHERE id = ?`);
    this.directChat = this.db.prepare(`SELECT 1 FROM messages WHERE member_id = ? AND chat_type = 'direct' LIMIT 1`);
    this.memberStmt = this.db.prepare(`SELECT id, user_id AS userId, name FROM members WHERE platform = ? AND user_id = ?`);
    this.namedStmt = this.db.prepare(
      `SELECT DISTINCT m.id, m.user_id AS userId, m.name FROM members m JOIN group_members gm ON gm.member_id = m.id JOIN groups g ON g.id = gm.group_id
       WHERE m.platform = ? AND m.name = ? AND g.playbook_id = ? AND gm.role <> 'staff'`,
    );
    this.latestGroupStmt = this.db.prepare(
      `SELECT g.id FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.member_id = ? AND g.playbook_id = ? AND g.group_key <> 'staff'
       ORDER BY gm.joined_at DESC LIMIT 1`,
    );
    this.spokeStmt = this.db.prepare(`SELECT 1 FROM messages WHERE member_id = ? AND group_id = ? AND received_at > ? AND id < ? LIMIT 1`);
    this.eventsOf = this.db.prepare(`SELECT id, followup_id AS followupId, at, actor, action, status, detail FROM followup_events WHERE followup_id = ? ORDER BY id`);
  }

  /** Inserts a follow-up and its 'opened' event. */
  insert(f: NewFollowup, actor: string, detail: string | null): Followup {
    const id = Number(this.insertStmt.run(f).lastInsertRowid);
    this.eventStmt.run(id, f.openedAt, actor, 'opened', 'open', detail);
    // The row as written (what the insert leaves unset is null) and the joined names: cheaper than reading it back.
    const joined = this.joinedStmt.get(f.groupId, f.memberId) as Pick<Followup, 'memberName' | 'memberUserId' | 'groupChatId' | 'groupKey'>;
    const row: Followup = {
      id, playbookId: f.playbookId, platform: f.platform, groupId: f.groupId, memberId: f.memberId, messageId: f.messageId, message: f.message,
      category: f.category, severity: f.severity, source: f.source, status: 'open', assignee: f.assignee, score: f.score, reasons: f.reasons,
      openedAt: f.openedAt, claimedAt: null, firstResponseAt: null, resolvedAt: null, respondBy: f.respondBy, resolveBy: f.resolveBy,
      escalationLevel: f.escalationLevel, escalateAt: f.escalateAt, ratingAskedAt: null, rating: null, ratedAt: null, ...joined,
    };
    this.keepActive(row);
    return row;
  }

  /** Open or claimed follow-ups that the message opened. */
  openedBy(messageId: number): Followup[] {
    return this.openedByStmt.all(messageId) as Followup[];
  }

  get(id: number): Followup | null {
    return (this.byId.get(id) as Followup | undefined) ?? null;
  }

  /** Applies `patch` and records the change in the audit trail; returns the updated row. */
  change(f: Pick<Followup, 'id' | 'status'>, patch: Patch, at: number, actor: string, action: string, detail: string | null = null): Followup {
    const keys = (Object.keys(patch) as (keyof Patch)[]).filter((k) => k in COLUMNS);
    if (keys.length > 0) {
      const sig = keys.join(',');
      let stmt = this.updates.get(sig);
      if (!stmt) {
        stmt = this.db.prepare(`UPDATE followups SET ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} WHERE id = @id`);
        this.updates.set(sig, stmt);
      }
      stmt.run({ ...Object.fromEntries(keys.map((k) => [k, patch[k] ?? null])), id: f.id });
    }
    this.eventStmt.run(f.id, at, actor, action, patch.status ?? f.status, detail);
    const row = this.get(f.id)!;
    this.keepActive(row);
    return row;
  }

  /** Moves the next escalation (quiet hours); not a change of the follow-up itself, so not audited. */
  reschedule(id: number, at: number): void {
    this.rescheduleStmt.run(at, id);
  }

  /** Whether the member has ever written to the bot directly (so a direct message reaches them). */
  hasDirectChat(memberId: number): boolean {
    return this.directChat.get(memberId) !== undefined;
  }

  member(platform: Platform, userId: string): MemberRow | null {
    return (this.memberStmt.get(platform, userId) as MemberRow | undefined) ?? null;
  }

  /** Parents of a playbook's groups with this display name. */
  membersNamed(platform: Platform, name: string, playbookId: string): MemberRow[] {
    return this.namedStmt.all(platform, name, playbookId) as MemberRow[];
  }

  /** groups.id of the class group of the playbook the member joined last, if any. */
  latestGroupOf(memberId: number, playbookId: string): number | null {
    return (this.latestGroupStmt.get(memberId, playbookId) as { id: number } | undefined)?.id ?? null;
  }

  /** Whether the member wrote in the group after `since`, before message `beforeId`. */
  spokeSince(memberId: number, groupId: number, since: number, beforeId: number): boolean {
    return this.spokeStmt.get(memberId, groupId, since, beforeId) !== undefined;
  }

  /** Open or claimed follow-ups of a parent in a playbook, oldest first. */
  active(memberId: number, playbookId: string): ActiveFollowup[] {
    return this.activeOf(memberId).filter((f) => f.playbookId === playbookId);
  }

  /** Epoch ms of the parent's earliest question follow-up since `since` that is still open and unanswered by staff, if any. */
  openQuestionSince(memberId: number, since: number): number | null {
    let at: number | null = null;
    for (const f of this.activeOf(memberId)) {
      if (f.source === 'question' && f.firstResponseAt === null && f.openedAt >= since && (at === null || f.openedAt < at)) at = f.openedAt;
    }
    return at;
  }

  private activeOf(memberId: number): readonly ActiveFollowup[] {
    if (this.generation !== forgotten || this.activeByMember.size >= MAX_CACHED_MEMBERS) {
      this.generation = forgotten;
      this.activeByMember.clear();
      this.lastOldMember = null;
    }
    this.lastOldMember ??= this.lastMemberStmt.get() as number;
    let list = this.activeByMember.get(memberId);
    if (!list) {
      if (memberId > this.lastOldMember) return NONE;
      const rows = this.activeOfStmt.all(memberId) as ActiveFollowup[];
      list = rows.length > 0 ? rows.map((r) => this.slim(r)) : NONE;
      this.activeByMember.set(memberId, list);
    }
    return list;
  }

  /** Brings a member's cached follow-ups in step with a row just written (a member not read yet is read when needed). */
  private keepActive(row: Followup): void {
    if (this.generation !== forgotten) return;
    const list = this.activeByMember.get(row.memberId) ?? (this.lastOldMember !== null && row.memberId > this.lastOldMember ? NONE : undefined);
    if (!list) return;
    const kept = list.filter((f) => f.id !== row.id);
    if (isActive(row.status)) {
      let i = kept.length;
      while (i > 0 && kept[i - 1]!.id > row.id) i--;
      kept.splice(i, 0, this.slim(row));
    }
    this.activeByMember.set(row.memberId, kept.length > 0 ? kept : NONE);
  }

  /** Only the fields the cache serves; their few distinct strings are shared (each row read from SQLite brings its own copies). */
  private slim(row: ActiveFollowup): ActiveFollowup {
    return {
      id: row.id, playbookId: this.shared(row.playbookId), memberId: row.memberId, category: this.shared(row.category),
      severity: this.shared(row.severity), source: this.shared(row.source) as Source, status: this.shared(row.status) as Status,
      firstResponseAt: row.firstResponseAt, openedAt: row.openedAt,
    };
  }

  private shared(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  /** Unclaimed follow-ups of a playbook whose next escalation is due. */
  due(playbookId: string, now: number): Followup[] {
    return this.dueStmt.all(now, playbookId) as Followup[];
  }

  /** Open or claimed follow-ups of a playbook past their resolve deadline whose overdue announcement is not made yet. */
  overdueUnannounced(playbookId: string, now: number): Followup[] {
    return this.overdueStmt.all(playbookId, now) as Followup[];
  }

  /** Platform user ids of parents with an open or claimed follow-up of one of `categories` in the playbook. */
  activeUserIds(playbookId: string, platform: Platform, categories: readonly string[]): string[] {
    return this.activeUsersStmt.all(playbookId, platform, JSON.stringify(categories)) as string[];
  }

  /** Resolved follow-ups of a parent asked for a rating since `since` and not rated yet, newest first. */
  awaitingRatingOf(memberId: number, since: number): Followup[] {
    return this.awaitingRating.all(memberId, since) as Followup[];
  }

  /** Follow-ups of the given playbooks, filtered by status, newest first. */
  list(playbookIds: string[], statuses: Status[], limit = 50): Followup[] {
    if (playbookIds.length === 0 || statuses.length === 0) return [];
    const ph = (n: number) => Array.from({ length: n }, () => '?').join(', ');
    return this.db
      .prepare(`${SELECT} WHERE f.playbook_id IN (${ph(playbookIds.length)}) AND f.status IN (${ph(statuses.length)}) ORDER BY f.id DESC LIMIT ?`)
      .all(...playbookIds, ...statuses, limit) as Followup[];
  }

  events(id: number): FollowupEvent[] {
    return this.eventsOf.all(id) as FollowupEvent[];
  }
}

/** One repo (its prepared statements) per open store. */
export const followupRepo = oncePer((store: Store) => new FollowupRepo(store));
