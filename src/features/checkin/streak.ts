/**
 * Streaks count consecutive game days: days the game does not run (weekends it skips, holidays)
 * and excused days are passed over, neither counting nor breaking. A day still in progress does
 * not break a streak either, so a streak stays alive until the member misses a whole game day.
 */
import type { Playbook } from '../../playbook/playbook.js';
import { addDays } from '../../time.js';
import { runsOn, type Game } from './game.js';
import { counts, earliestOf, type CheckinKind } from './records.js';

/**
 * The member's streak as of `date`. `pending`: `date` is not over yet, so missing it does not
 * break the streak (the streak is the one the member can still extend today). `earliest`, the
 * earliest of `days`, when the caller already knows it.
 */
export function streakOf(pb: Playbook, game: Game, days: ReadonlyMap<string, CheckinKind>, date: string, pending: boolean, earliest = earliestOf(days)): number {
  if (earliest === null) return 0;
  let streak = 0;
  for (let d = date; d >= earliest; d = dayBefore(d)) {
    if (!runsOn(pb, game, d)) continue;
    const kind = days.get(d);
    if (counts(kind)) streak++;
    else if (kind === 'excused' || (d === date && pending)) continue;
    else break;
  }
  return streak;
}

/** The date before a date, remembered: streak walks step over the same days on every check-in. */
const previousDays = new Map<string, string>();

function dayBefore(date: string): string {
  let d = previousDays.get(date);
  if (d === undefined) {
    d = addDays(date, -1);
    if (previousDays.size >= 10_000) previousDays.clear();
    previousDays.set(date, d);
  }
  return d;
}

export interface MemberSince {
  memberId: number;
  joinedDay: string;
}

/**
 * Consecutive game days up to `date` on which every member of the group (who had joined by then)
 * checked in or was excused: 全班连续N天全员打卡. `done` maps a day to the members who did.
 */
export function classStreakOf(
  pb: Playbook,
  game: Game,
  members: MemberSince[],
  done: Map<string, Set<number>>,
  date: string,
  pending: boolean,
): number {
  if (members.length === 0) return 0;
  const firstJoin = members.reduce((min, m) => (m.joinedDay < min ? m.joinedDay : min), members[0]!.joinedDay);
  let streak = 0;
  for (let d = date; d >= firstJoin; d = dayBefore(d)) {
    if (!runsOn(pb, game, d)) continue;
    const did = done.get(d);
    const complete = members.every((m) => m.joinedDay > d || (did?.has(m.memberId) ?? false));
    if (complete) streak++;
    else if (d === date && pending) continue;
    else break;
  }
  return streak;
}

export interface Absence {
  /** Game days missed in a row up to the last day that is over (excused days skipped). */
  missed: number;
  /** The first of the missed days, if any. */
  missedSince: string | null;
  /** The last day with a check-in, if any. */
  lastDay: string | null;
  /** The streak that ended at `lastDay`. */
  brokenStreak: number;
}

/**
 * How long a member has been away from a game as of `lastOver`, the latest local date that is
 * over: counted back to their last check-in, or to the day they joined (or were first recorded).
 */
export function absenceOf(pb: Playbook, game: Game, days: Map<string, CheckinKind>, joinedDay: string, lastOver: string): Absence {
  let since = joinedDay;
  for (const d of days.keys()) if (d < since) since = d;
  let missed = 0;
  let missedSince: string | null = null;
  for (let d = lastOver; d >= since; d = dayBefore(d)) {
    if (!runsOn(pb, game, d)) continue;
    const kind = days.get(d);
    if (counts(kind)) return { missed, missedSince, lastDay: d, brokenStreak: missed > 0 ? streakOf(pb, game, days, d, false) : 0 };
    if (kind !== 'excused') {
      missed++;
      missedSince = d;
    }
  }
  return { missed, missedSince, lastDay: null, brokenStreak: 0 };
}
