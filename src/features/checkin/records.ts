/**
 * The check-in tables through prepared statements, prepared once per database connection.
 * Everything here is a plain read or write; the rules live in the modules that call it. Writes keep
 * the in-memory rows of cache.ts in step.
 */
import type { Database } from 'better-sqlite3';
import type { Platform } from '../../model.js';
import { findStaff, type Playbook } from '../../playbook/playbook.js';
import type { Store } from '../../store/db.js';
import { addDays, localDate, zonedToUtc } from '../../time.js';
import { checkinCache, type MemberState } from './cache.js';
import { oncePer } from '../../memo.js';

export type CheckinKind = 'normal' | 'makeup' | 'excused' | 'corrected';
const COUNTING_SQL = `('normal', 'makeup', 'corrected')`;

/** Whether a day's row counts as a check-in (excused days hold the day without counting). */
export const counts = (kind: CheckinKind | undefined): boolean => kind !== undefined && kind !== 'excused';

export interface DayRow {
  day: string;
  kind: CheckinKind;
}

export interface GroupDayRow extends DayRow {
  memberId: number;
  gameId: string;
}

export interface GroupMember {
  memberId: number;
  /** Platform user id (for mentions). */
  id: string;
  name: string;
  /** Local date of the member's first message in the group. */
  joinedDay: string;
}

export interface AwardRow {
  memberId: number;
  gameId: string;
  kind: 'badge' | 'level';
  name: string;
  threshold: number;
  day: string;
}

/** Where a check-in row belongs. */
export interface Slot {
  playbookId: string;
  gameId: string;
  groupKey: string;
  memberId: number;
}

function prepare(db: Database) {
  return {
    upsert: db.prepare(
      `INSERT INTO checkins (playbook_id, game_id, group_key, member_id, day, kind, amount, message_id, by_member_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (playbook_id, game_id, group_key, member_id, day) DO UPDATE SET
         kind = excluded.kind, amount = excluded.amount, message_id = excluded.message_id,
         by_member_id = excluded.by_member_id, created_at = excluded.created_at
       WHERE checkins.kind = 'excused' OR ? = 1`,
    ),
    insertOnly: db.prepare(
      `INSERT OR IGNORE INTO checkins (playbook_id, game_id, group_key, member_id, day, kind, amount, message_id, by_member_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    remove: db.prepare(`DELETE FROM checkins WHERE playbook_id = ? AND game_id = ? AND group_key = ? AND member_id = ? AND day = ?`),
    kindOn: db.prepare(`SELECT kind FROM checkins WHERE playbook_id = ? AND game_id = ? AND group_key = ? AND member_id = ? AND day = ?`),
    memberDays: db.prepare(
      `SELECT day, kind FROM checkins WHERE playbook_id = ? AND game_id = ? AND group_key = ? AND member_id = ? ORDER BY day DESC`,
    ),
    dayRows: db.prepare(`SELECT member_id AS memberId, kind FROM checkins WHERE playbook_id = ? AND group_key = ? AND day = ? AND game_id = ?`),
    groupRows: db.prepare(
      `SELECT member_id AS memberId, game_id AS gameId, day, kind FROM checkins
       WHERE playbook_id = ? AND group_key = ? AND day BETWEEN ? AND ?`,
    ),
    countDay: db.prepare(
      `SELECT COUNT(DISTINCT member_id) AS n FROM checkins
       WHERE playbook_id = ? AND group_key = ? AND day = ? AND kind IN ${COUNTING_SQL} AND (? IS NULL OR game_id = ?)`,
    ),
    makeupsIn: db.prepare(
      `SELECT COUNT(*) AS n FROM checkins WHERE playbook_id = ? AND game_id = ? AND group_key = ? AND member_id = ? AND kind = 'makeup' AND day BETWEEN ? AND ?`,
    ),
    members: db.prepare(
      `SELECT m.id AS memberId, m.platform, m.user_id AS userId, m.name, MIN(gm.joined_at) AS joinedAt, MAX(gm.role = 'staff') AS staff
       FROM group_members gm JOIN groups g ON g.id = gm.group_id JOIN members m ON m.id = gm.member_id
       WHERE g.playbook_id = ? AND g.group_key = ? AND gm.left_at IS NULL GROUP BY m.id ORDER BY MIN(gm.joined_at), m.id`,
    ),
    memberGroupKeys: db.prepare(
      `SELECT DISTINCT g.group_key AS groupKey FROM group_members gm JOIN groups g ON g.id = gm.group_id
       WHERE g.playbook_id = ? AND gm.member_id = ? AND gm.left_at IS NULL AND g.group_key IS NOT NULL`,
    ),
    award: db.prepare(
      `INSERT OR IGNORE INTO checkin_awards (playbook_id, game_id, group_key, member_id, kind, name, threshold, day, awarded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    memberAwards: db.prepare(
      `SELECT member_id AS memberId, game_id AS gameId, kind, name, threshold, day FROM checkin_awards
       WHERE playbook_id = ? AND game_id = ? AND group_key = ? AND member_id = ? ORDER BY kind, threshold`,
    ),
    awardsBetween: db.prepare(
      `SELECT member_id AS memberId, game_id AS gameId, kind, name, threshold, day FROM checkin_awards
       WHERE playbook_id = ? AND group_key = ? AND day BETWEEN ? AND ? ORDER BY day, id`,
    ),
    setOptOut: db.prepare(
      `INSERT INTO member_settings (member_id, leaderboard_opt_out, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (member_id) DO UPDATE SET leaderboard_opt_out = excluded.leaderboard_opt_out, updated_at = excluded.updated_at`,
    ),
    optedOut: db.prepare(`SELECT member_id AS memberId FROM member_settings WHERE leaderboard_opt_out = 1`),
  };
}

type Statements = ReturnType<typeof prepare>;
const statementsOf = oncePer(prepare);
const stmts = (store: Store): Statements => statementsOf(store.sqlite);

export interface NewCheckin {
  day: string;
  kind: CheckinKind;
  amount?: number | null;
  messageId?: number | null;
  byMemberId?: number | null;
  now: number;
}

/**
 * Records a check-in. A normal or make-up one fills an empty or excused day and leaves an existing
 * check-in alone (false: nothing changed); a staff correction replaces whatever is there; an
 * excused day only fills an empty one.
 */
export function recordCheckin(store: Store, slot: Slot, c: NewCheckin): boolean {
  // Positional parameters: binding ten by name takes about half as long again as the whole insert.
  const row = [slot.playbookId, slot.gameId, slot.groupKey, slot.memberId, c.day, c.kind, c.amount ?? null, c.messageId ?? null, c.byMemberId ?? null, c.now];
  const s = stmts(store);
  const result = c.kind === 'excused' ? s.insertOnly.run(row) : s.upsert.run(...row, c.kind === 'corrected' ? 1 : 0);
  if (result.changes === 0) return false;
  wrote(store, slot, c.day, c.kind);
  return true;
}

export function removeCheckin(store: Store, slot: Slot, day: string): boolean {
  if (stmts(store).remove.run(slot.playbookId, slot.gameId, slot.groupKey, slot.memberId, day).changes === 0) return false;
  wrote(store, slot, day, undefined);
  return true;
}

const dayKey = (playbookId: string, gameId: string, groupKey: string, day: string) => `${playbookId}\0${gameId}\0${groupKey}\0${day}`;
const slotKey = (slot: Slot) => `${slot.playbookId}\0${slot.gameId}\0${slot.groupKey}\0${slot.memberId}`;

/** Brings the cached rows in line with a row just written (`kind`) or removed (undefined). */
function wrote(store: Store, slot: Slot, day: string, kind: CheckinKind | undefined): void {
  const cache = checkinCache(store);
  const rows = cache.cachedDayRows(dayKey(slot.playbookId, slot.gameId, slot.groupKey, day));
  if (rows) {
    if (kind === undefined) rows.delete(slot.memberId);
    else rows.set(slot.memberId, kind);
  }
  const member = cache.cachedMember(slotKey(slot));
  if (!member) return;
  member.total += Number(counts(kind)) - Number(counts(member.days.get(day)));
  if (kind === undefined) {
    member.days.delete(day);
    if (day === member.earliest) member.earliest = earliestOf(member.days);
  } else {
    member.days.set(day, kind);
    if (member.earliest === null || day < member.earliest) member.earliest = day;
  }
}

/** The earliest of a member's days; null when there are none. */
export function earliestOf(days: ReadonlyMap<string, CheckinKind>): string | null {
  let earliest: string | null = null;
  for (const d of days.keys()) if (earliest === null || d < earliest) earliest = d;
  return earliest;
}

/** Who has a row (of which kind) in a game on a day; read once, then kept in step with writes. Not to be changed by callers. */
export function rowsOnDay(store: Store, playbookId: string, gameId: string, groupKey: string, day: string): ReadonlyMap<number, CheckinKind> {
  return checkinCache(store).dayRows(dayKey(playbookId, gameId, groupKey, day), () => {
    const rows = stmts(store).dayRows.all(playbookId, groupKey, day, gameId) as { memberId: number; kind: CheckinKind }[];
    return new Map(rows.map((r) => [r.memberId, r.kind]));
  });
}

/** A member's days, earliest day and total in a game; read once, then kept in step with writes. Not to be changed by callers. */
export function memberState(store: Store, slot: Slot): Readonly<MemberState> {
  return cachedMemberState(store, slot);
}

function cachedMemberState(store: Store, slot: Slot): MemberState {
  return checkinCache(store).member(slotKey(slot), () => {
    const days = memberDays(store, slot);
    let total = 0;
    for (const kind of days.values()) if (counts(kind)) total++;
    return { days, earliest: earliestOf(days), total, awards: null };
  });
}

export function kindOn(store: Store, slot: Slot, day: string): CheckinKind | undefined {
  return (stmts(store).kindOn.get(slot.playbookId, slot.gameId, slot.groupKey, slot.memberId, day) as { kind: CheckinKind } | undefined)?.kind;
}

/** All of a member's days in a game, newest first. */
export function memberDays(store: Store, slot: Slot): Map<string, CheckinKind> {
  const rows = stmts(store).memberDays.all(slot.playbookId, slot.gameId, slot.groupKey, slot.memberId) as DayRow[];
  return new Map(rows.map((r) => [r.day, r.kind]));
}

/** Rows of every member of a group (all games) between two local dates, inclusive. */
export function groupRows(store: Store, playbookId: string, groupKey: string, from: string, to: string): GroupDayRow[] {
  return stmts(store).groupRows.all(playbookId, groupKey, from, to) as GroupDayRow[];
}

/** Members with a counting check-in on `day` (in one game, or in any). */
export function countOnDay(store: Store, playbookId: string, groupKey: string, day: string, gameId: string | null): number {
  return (stmts(store).countDay.get(playbookId, groupKey, day, gameId, gameId) as { n: number }).n;
}

export function makeupsBetween(store: Store, slot: Slot, from: string, to: string): number {
  return (stmts(store).makeupsIn.get(slot.playbookId, slot.gameId, slot.groupKey, slot.memberId, from, to) as { n: number }).n;
}

/** Members of a class group: everyone who has posted there, minus the playbook's staff. */
export function groupMembers(store: Store, pb: Playbook, groupKey: string): GroupMember[] {
  return classRows(store, pb, groupKey).map((r) => ({ memberId: r.memberId, id: r.userId, name: r.name, joinedDay: localDate(r.joinedAt, pb.timezone) }));
}

/** Keys of the playbook's groups the member is in (has spoken in, or joined and not left). */
export function memberGroupKeys(store: Store, playbookId: string, memberId: number): string[] {
  return (stmts(store).memberGroupKeys.all(playbookId, memberId) as { groupKey: string }[]).map((r) => r.groupKey);
}

/** The ids of groupMembers who had joined by `day`, without the local date of each (the class-wide test's read). */
export function memberIdsBy(store: Store, pb: Playbook, groupKey: string, day: string): number[] {
  const joinedBefore = zonedToUtc(addDays(day, 1), 0, pb.timezone);
  return classRows(store, pb, groupKey).flatMap((r) => (r.joinedAt < joinedBefore ? [r.memberId] : []));
}

function classRows(store: Store, pb: Playbook, groupKey: string) {
  const rows = stmts(store).members.all(pb.id, groupKey) as {
    memberId: number;
    platform: string;
    userId: string;
    name: string;
    joinedAt: number;
    staff: number;
  }[];
  return rows.filter((r) => !r.staff && !findStaff(pb, r.platform as Platform, r.userId));
}

/** Records an award; false when the member already had it (known from memory after the first try). */
export function recordAward(store: Store, slot: Slot, award: Omit<AwardRow, 'memberId' | 'gameId'>, now: number): boolean {
  const member = cachedMemberState(store, slot);
  const key = `${award.kind}:${award.threshold}`;
  if (member.awards?.has(key)) return false;
  const added = stmts(store).award.run(slot.playbookId, slot.gameId, slot.groupKey, slot.memberId, award.kind, award.name, award.threshold, award.day, now).changes > 0;
  (member.awards ??= new Set()).add(key);
  return added;
}

export function memberAwards(store: Store, slot: Slot): AwardRow[] {
  return stmts(store).memberAwards.all(slot.playbookId, slot.gameId, slot.groupKey, slot.memberId) as AwardRow[];
}

export function awardsBetween(store: Store, playbookId: string, groupKey: string, from: string, to: string): AwardRow[] {
  return stmts(store).awardsBetween.all(playbookId, groupKey, from, to) as AwardRow[];
}

export function setLeaderboardOptOut(store: Store, memberId: number, optOut: boolean, now: number): void {
  stmts(store).setOptOut.run(memberId, optOut ? 1 : 0, now);
}

export function leaderboardOptOuts(store: Store): Set<number> {
  return new Set((stmts(store).optedOut.all() as { memberId: number }[]).map((r) => r.memberId));
}
