/**
 * Check-in figures of a class group, through the check-in feature's own read helpers (its streak
 * rules: game days only, excused days neither count nor break).
 */
import { dayIsOver, gamesIn } from '../features/checkin/game.js';
import { memberDays } from '../features/checkin/records.js';
import { awardsInRange, participationByDay, slotOf, streakDistribution } from '../features/checkin/stats.js';
import { absenceOf, streakOf } from '../features/checkin/streak.js';
import type { Store } from '../store/db.js';
import { addDays } from '../time.js';
import type { GroupScope } from './scope.js';
import { ratio } from './stats.js';

export interface CheckinDay {
  date: string;
  /** Whether any check-in game of the group ran that day (not a rest day or holiday). */
  gameDay: boolean;
  members: number;
  checkedIn: number;
  excused: number;
}

export interface StreakBucket {
  /** Lowest streak in the bucket; the bucket runs to the next one's `min` − 1. */
  min: number;
  /** Null for the open-ended last bucket. */
  max: number | null;
  /** Member × game pairs (a member playing two games counts in each). */
  members: number;
}

export interface AwardCount {
  kind: 'badge' | 'level';
  name: string;
  members: number;
}

export interface Checkins {
  /** Whether the group plays any check-in game; the other figures are empty when not. */
  played: boolean;
  days: CheckinDay[];
  /** Check-ins on game days. */
  checkins: number;
  /** Member-days on which a check-in was due: members × game days, less excused days. */
  expected: number;
  completionRate: number | null;
  /** Current streaks at the end of the range. */
  streaks: StreakBucket[];
  /** Badges and levels reached in the range. */
  awards: AwardCount[];
}

export interface BrokenStreak {
  memberId: number;
  game: string;
  streak: number;
  /** The last check-in of the broken streak. */
  lastDay: string;
}

/** Bucket lower bounds of the streak distribution. */
export const STREAK_BUCKETS = [0, 1, 3, 7, 14] as const;
/** A broken streak shorter than this is not worth a coordinator's attention (as the inactivity list). */
export const MIN_BROKEN_STREAK = 2;

/** A day's participation: check-ins over the members due (excused members are not); null on days off. */
export function dayRate(d: CheckinDay): number | null {
  return d.gameDay && d.members > d.excused ? d.checkedIn / (d.members - d.excused) : null;
}

export function emptyCheckins(): Checkins {
  return { played: false, days: [], checkins: 0, expected: 0, completionRate: null, streaks: bucketize([]), awards: [] };
}

export function bucketize(streaks: { streak: number; members: number }[]): StreakBucket[] {
  return STREAK_BUCKETS.map((min, i) => {
    const next = STREAK_BUCKETS[i + 1];
    const members = streaks.filter((s) => s.streak >= min && (next === undefined || s.streak < next)).reduce((a, s) => a + s.members, 0);
    return { min, max: next === undefined ? null : next - 1, members };
  });
}

export function checkinFigures(store: Store, scope: GroupScope, now: number): Checkins {
  const { playbook: pb, group, range } = scope;
  if (gamesIn(pb, group.key).length === 0) return emptyCheckins();
  const days = participationByDay(store, pb, group.key, range.from, range.to).map((d) => ({
    date: d.date,
    gameDay: d.gameDay,
    members: d.members,
    checkedIn: d.checkedIn,
    excused: d.excused,
  }));
  const played = days.filter((d) => d.gameDay);
  const checkins = played.reduce((a, d) => a + d.checkedIn, 0);
  const expected = played.reduce((a, d) => a + d.members - d.excused, 0);
  const awards = new Map<string, AwardCount>();
  for (const a of awardsInRange(store, pb, group.key, range.from, range.to)) {
    const key = `${a.kind}|${a.name}`;
    const seen = awards.get(key) ?? { kind: a.kind, name: a.name, members: 0 };
    seen.members++;
    awards.set(key, seen);
  }
  return {
    played: true,
    days,
    checkins,
    expected,
    completionRate: ratio(checkins, expected),
    streaks: bucketize(streakDistribution(store, pb, group.key, range.to, undefined, now)),
    awards: [...awards.values()],
  };
}

/**
 * Members whose streak broke within the range and who have not checked in since: the streak that
 * ended at their last check-in, when the first game day they missed falls in the range.
 */
export function brokenStreaks(store: Store, scope: GroupScope, now: number): BrokenStreak[] {
  const { playbook: pb, group, range } = scope;
  const out: BrokenStreak[] = [];
  for (const game of gamesIn(pb, group.key)) {
    const lastOver = dayIsOver(pb, game, range.to, now) ? range.to : addDays(range.to, -1);
    for (const m of scope.roster) {
      const days = memberDays(store, slotOf(pb, game, group.key, m.memberId));
      const a = absenceOf(pb, game, days, m.joinedDay, lastOver);
      if (a.missed === 0 || a.lastDay === null || a.brokenStreak < MIN_BROKEN_STREAK) continue;
      // Ended inside the range, or still alive the day before it began (so the first miss is inside).
      const brokeInRange = a.lastDay >= range.from || streakOf(pb, game, days, addDays(range.from, -1), false) > 0;
      if (brokeInRange) out.push({ memberId: m.memberId, game: game.name, streak: a.brokenStreak, lastDay: a.lastDay });
    }
  }
  return out;
}
