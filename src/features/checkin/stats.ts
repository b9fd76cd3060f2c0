/**
 * Read-only questions about check-ins, for this feature and for others (reminders, reports).
 * All take a local date 'YYYY-MM-DD' in the playbook's timezone and a class group's key; a
 * group's members are everyone who has posted there, minus the playbook's staff.
 */
import type { MemberRef } from '../../model.js';
import type { Playbook } from '../../playbook/playbook.js';
import type { Store } from '../../store/db.js';
import { addDays } from '../../time.js';
import { dayIsOver, gamesIn, runsOn, type Game } from './game.js';
import { awardsBetween, countOnDay, counts, groupMembers, groupRows, memberDays, type GroupMember, type Slot } from './records.js';
import { absenceOf, classStreakOf, streakOf } from './streak.js';

/** How far back the class-wide streak looks (a school year). */
const CLASS_STREAK_DAYS = 400;

/** Members with a check-in (normal, make-up or corrected) on `date`, in one game or in any. */
export function checkinCountToday(store: Store, pb: Playbook, groupKey: string, date: string, gameId?: string): number {
  return countOnDay(store, pb.id, groupKey, date, gameId ?? null);
}

/**
 * Members of the group (joined by `date`) with no check-in on `date`, in the game or in any game;
 * members excused that day are not listed. In order of joining. A caller that has just read the
 * group's members passes them in.
 */
export function notCheckedIn(
  store: Store,
  pb: Playbook,
  groupKey: string,
  date: string,
  gameId?: string,
  members: GroupMember[] = groupMembers(store, pb, groupKey),
): MemberRef[] {
  const rows = groupRows(store, pb.id, groupKey, date, date).filter((r) => gameId === undefined || r.gameId === gameId);
  const settled = new Set(rows.map((r) => r.memberId));
  return members
    .filter((m) => m.joinedDay <= date && !settled.has(m.memberId))
    .map((m) => ({ id: m.id, name: m.name }));
}

export interface DayParticipation {
  date: string;
  /** Whether the game (or any game of the group) ran that day. */
  gameDay: boolean;
  /** Members who had joined by that day. */
  members: number;
  /** Members with a check-in of any counting kind. */
  checkedIn: number;
  makeups: number;
  corrected: number;
  excused: number;
}

/** Participation per local day in [from, to], for one game or all games of the group. */
export function participationByDay(store: Store, pb: Playbook, groupKey: string, from: string, to: string, gameId?: string): DayParticipation[] {
  const games = gamesIn(pb, groupKey).filter((g) => gameId === undefined || g.id === gameId);
  const members = groupMembers(store, pb, groupKey);
  const rows = groupRows(store, pb.id, groupKey, from, to).filter((r) => gameId === undefined || r.gameId === gameId);
  const out: DayParticipation[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const today = rows.filter((r) => r.day === date);
    const distinct = (pred: (kind: string) => boolean) => new Set(today.filter((r) => pred(r.kind)).map((r) => r.memberId)).size;
    out.push({
      date,
      gameDay: games.some((g) => runsOn(pb, g, date)),
      members: members.filter((m) => m.joinedDay <= date).length,
      checkedIn: distinct((k) => k !== 'excused'),
      makeups: distinct((k) => k === 'makeup'),
      corrected: distinct((k) => k === 'corrected'),
      excused: distinct((k) => k === 'excused'),
    });
  }
  return out;
}

export interface StreakBucket {
  gameId: string;
  streak: number;
  members: number;
}

/**
 * How many members have each streak length, per game, as of `date`. Without `now` the day is
 * taken as over (for reports on past days); with `now`, a day still open does not break a streak.
 */
export function streakDistribution(store: Store, pb: Playbook, groupKey: string, date: string, gameId?: string, now?: number): StreakBucket[] {
  const members = groupMembers(store, pb, groupKey).filter((m) => m.joinedDay <= date);
  return gamesIn(pb, groupKey)
    .filter((g) => gameId === undefined || g.id === gameId)
    .flatMap((game) => {
      const pending = now !== undefined && !dayIsOver(pb, game, date, now);
      const byStreak = new Map<number, number>();
      for (const m of members) {
        const s = streakOf(pb, game, memberDays(store, slotOf(pb, game, groupKey, m.memberId)), date, pending);
        byStreak.set(s, (byStreak.get(s) ?? 0) + 1);
      }
      return [...byStreak].sort((a, b) => a[0] - b[0]).map(([streak, n]) => ({ gameId: game.id, streak, members: n }));
    });
}

export interface AwardReached {
  day: string;
  member: MemberRef;
  gameId: string;
  kind: 'badge' | 'level';
  /** The badge's or level's name. */
  name: string;
  /** Streak days (badge) or cumulative check-ins (level). */
  threshold: number;
}

/** Badges and levels reached in [from, to] (local dates), oldest first. */
export function awardsInRange(store: Store, pb: Playbook, groupKey: string, from: string, to: string): AwardReached[] {
  const names = new Map(groupMembers(store, pb, groupKey).map((m) => [m.memberId, { id: m.id, name: m.name }]));
  return awardsBetween(store, pb.id, groupKey, from, to).map((a) => ({
    day: a.day,
    member: names.get(a.memberId) ?? { id: String(a.memberId), name: '?' },
    gameId: a.gameId,
    kind: a.kind,
    name: a.name,
    threshold: a.threshold,
  }));
}

export function slotOf(pb: Playbook, game: Game, groupKey: string, memberId: number): Slot {
  return { playbookId: pb.id, gameId: game.id, groupKey, memberId };
}

/** 全班连续N天全员打卡 as of `date` (excused members count as done). */
export function classStreak(store: Store, pb: Playbook, game: Game, groupKey: string, date: string, pending: boolean): number {
  const done = new Map<string, Set<number>>();
  for (const r of groupRows(store, pb.id, groupKey, addDays(date, -CLASS_STREAK_DAYS), date)) {
    if (r.gameId !== game.id) continue;
    let set = done.get(r.day);
    if (!set) done.set(r.day, (set = new Set()));
    set.add(r.memberId);
  }
  return classStreakOf(pb, game, groupMembers(store, pb, groupKey), done, date, pending);
}

export interface Ranked {
  member: GroupMember;
  value: number;
  rank: number;
}

/**
 * The effort leaderboard of a game on `date`: check-ins in the 7 days ending that day, or current
 * streaks; members who opted out are left out, and so is anyone at zero. Equal values share a rank.
 */
export function leaderboard(store: Store, pb: Playbook, game: Game, groupKey: string, date: string, optedOut: Set<number>, top: number, metric: 'count' | 'streak'): Ranked[] {
  const from = addDays(date, -6);
  const scored = groupMembers(store, pb, groupKey)
    .filter((m) => !optedOut.has(m.memberId))
    .map((member) => {
      const days = memberDays(store, slotOf(pb, game, groupKey, member.memberId));
      const value =
        metric === 'streak'
          ? streakOf(pb, game, days, date, true)
          : [...days].filter(([d, kind]) => d >= from && d <= date && counts(kind)).length;
      return { member, value };
    })
    .filter((s) => s.value > 0)
    .sort((a, b) => b.value - a.value || a.member.name.localeCompare(b.member.name, 'zh'));
  const ranked: Ranked[] = [];
  scored.forEach((s, i) => {
    const rank = i > 0 && scored[i - 1]!.value === s.value ? ranked[i - 1]!.rank : i + 1;
    if (rank <= top) ranked.push({ ...s, rank });
  });
  return ranked;
}

export interface Inactive {
  member: GroupMember;
  /** Game days missed in a row, since `missedSince`. */
  missed: number;
  missedSince: string | null;
  lastDay: string | null;
  /** Set when the streak broke on the last game day (and was at least 2). */
  brokenStreak: number;
}

/**
 * Members to reach out to privately as of `now`: those whose streak (2 or more) broke on the last
 * game day that is over, and those who have missed `afterDays` game days or more in a row.
 */
export function inactiveMembers(store: Store, pb: Playbook, game: Game, groupKey: string, today: string, now: number, afterDays: number): Inactive[] {
  const lastOver = dayIsOver(pb, game, today, now) ? today : addDays(today, -1);
  const out: Inactive[] = [];
  for (const member of groupMembers(store, pb, groupKey)) {
    const a = absenceOf(pb, game, memberDays(store, slotOf(pb, game, groupKey, member.memberId)), member.joinedDay, lastOver);
    if (a.missed >= afterDays) out.push({ member, ...a, brokenStreak: 0 });
    else if (a.missed === 1 && a.brokenStreak >= 2) out.push({ member, ...a });
  }
  return out.sort((x, y) => y.missed - x.missed);
}
