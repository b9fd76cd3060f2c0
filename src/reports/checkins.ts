/**
 * Check-in figures of a class group, through the check-in feature's own helpers (its streak rules:
 * game days only, excused days neither count nor break).
 *
 * Streaks read a bounded window of the group's check-ins (the range, and before it only the game
 * days the top streak bucket still needs), not each member's whole history, so a year-old store
 * costs about what a new one does; a member's full history is read only when a streak that
 * matters runs back past the window.
 */
import { dayIsOver, gamesIn, runsOn, type Game } from '../features/checkin/game.js';
import { counts, groupRows, memberDays, type CheckinKind } from '../features/checkin/records.js';
import { awardsInRange, participationByDay, slotOf } from '../features/checkin/stats.js';
import { absenceOf, streakOf } from '../features/checkin/streak.js';
import type { Playbook } from '../playbook/playbook.js';
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

/** A member's day in one game: checked in, excused, missed, not a game day, still ahead, or before joining. */
export type DayMark = 'done' | 'excused' | 'missed' | 'off' | 'ahead' | 'absent';

/** Who checked in which day: one row per member and game, a mark per day of the range. */
export interface GridRow {
  memberId: number;
  /** The member's name (or pseudonym), set by the report model. */
  name: string;
  game: string;
  /** By date (YYYY-MM-DD), every day of the range. */
  marks: Record<string, DayMark>;
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
  /** Current streaks at the end of the range (today, while it is in progress). */
  streaks: StreakBucket[];
  /** Badges and levels reached in the range. */
  awards: AwardCount[];
  grid: GridRow[];
}

export interface BrokenStreak {
  memberId: number;
  game: string;
  streak: number;
  /** The last check-in of the broken streak. */
  lastDay: string;
}

/** Bucket lower bounds of the streak distribution; the last is open-ended. */
export const STREAK_BUCKETS = [0, 1, 3, 7] as const;
const STREAK_CAP: number = STREAK_BUCKETS[STREAK_BUCKETS.length - 1]!;
/** A broken streak shorter than this is not worth a coordinator's attention (as in the inactivity list). */
export const MIN_BROKEN_STREAK = 2;
/** However sparse a game's days, the window looks back no further. */
const MAX_LOOKBACK_DAYS = 120;

/** A day's participation: check-ins over the members due (excused members are not); null on days off. */
export function dayRate(d: CheckinDay): number | null {
  return d.gameDay && d.members > d.excused ? d.checkedIn / (d.members - d.excused) : null;
}

export function bucketize(streaks: { streak: number; members: number }[]): StreakBucket[] {
  return STREAK_BUCKETS.map((min, i) => {
    const next = STREAK_BUCKETS[i + 1];
    const members = streaks.filter((s) => s.streak >= min && (next === undefined || s.streak < next)).reduce((a, s) => a + s.members, 0);
    return { min, max: next === undefined ? null : next - 1, members };
  });
}

/**
 * The first date of the window: enough game days of `game` before the range for a streak to reach
 * STREAK_CAP by `asOf`, and at least one (to tell whether a streak was alive when the range began).
 */
function windowStart(pb: Playbook, game: Game, from: string, asOf: string): string {
  let inRange = 0;
  for (let d = from; d <= asOf; d = addDays(d, 1)) if (runsOn(pb, game, d)) inRange++;
  const need = Math.max(1, STREAK_CAP - inRange);
  let d = from;
  for (let found = 0, n = 0; found < need && n < MAX_LOOKBACK_DAYS; n++) {
    d = addDays(d, -1);
    if (runsOn(pb, game, d)) found++;
  }
  return d;
}

/** Each member's days of one game within a window of the group's rows, with the way back to the full history. */
class GameDays {
  private readonly byMember = new Map<number, Map<string, CheckinKind>>();
  private readonly firstGameDay: string;

  constructor(
    private readonly store: Store,
    private readonly pb: Playbook,
    private readonly game: Game,
    private readonly groupKey: string,
    rows: { memberId: number; gameId: string; day: string; kind: CheckinKind }[],
    from: string,
  ) {
    for (const r of rows) {
      if (r.gameId !== game.id) continue;
      let days = this.byMember.get(r.memberId);
      if (!days) this.byMember.set(r.memberId, (days = new Map()));
      days.set(r.day, r.kind);
    }
    let first = from;
    while (!runsOn(pb, game, first) && first < addDays(from, MAX_LOOKBACK_DAYS)) first = addDays(first, 1);
    this.firstGameDay = first;
  }

  days(memberId: number): Map<string, CheckinKind> {
    return this.byMember.get(memberId) ?? new Map();
  }

  /**
   * The member's streak as of `date`, exact — or, when it is at least `enough`, possibly cut at the
   * window: a streak that may run back past the window is recounted from the member's full history.
   */
  streak(memberId: number, date: string, pending: boolean, enough = Infinity): number {
    const days = this.days(memberId);
    const s = streakOf(this.pb, this.game, days, date, pending);
    if (s >= enough || !this.mayRunBack(days, date, s)) return s;
    return streakOf(this.pb, this.game, memberDays(this.store, slotOf(this.pb, this.game, this.groupKey, memberId)), date, pending);
  }

  /** Whether a streak `s` ending at `date` may include the window's first game day (and so more before it). */
  private mayRunBack(days: Map<string, CheckinKind>, date: string, s: number): boolean {
    const first = days.get(this.firstGameDay);
    if (s === 0 || first === undefined) return false;
    let counted = 0;
    for (const [d, kind] of days) if (d >= this.firstGameDay && d <= date && counts(kind)) counted++;
    return counted === s;
  }
}

export function checkinFigures(store: Store, scope: GroupScope, now: number): { checkins: Checkins; broken: BrokenStreak[] } {
  const { playbook: pb, group, range, roster } = scope;
  const games = gamesIn(pb, group.key);
  if (games.length === 0) {
    return { checkins: { played: false, days: [], checkins: 0, expected: 0, completionRate: null, streaks: bucketize([]), awards: [], grid: [] }, broken: [] };
  }
  const days = participationByDay(store, pb, group.key, range.from, range.to).map((d) => ({
    date: d.date,
    gameDay: d.gameDay,
    members: d.members,
    checkedIn: d.checkedIn,
    excused: d.excused,
  }));
  // Days still ahead are not due yet.
  const played = days.filter((d) => d.gameDay && d.date <= scope.asOf);
  const checkins = played.reduce((a, d) => a + d.checkedIn, 0);
  const expected = played.reduce((a, d) => a + d.members - d.excused, 0);
  const awards = new Map<string, AwardCount>();
  for (const a of awardsInRange(store, pb, group.key, range.from, range.to)) {
    const key = `${a.kind}|${a.name}`;
    awards.set(key, { kind: a.kind, name: a.name, members: (awards.get(key)?.members ?? 0) + 1 });
  }

  const starts = new Map(games.map((g) => [g, windowStart(pb, g, range.from, scope.asOf)]));
  const earliest = [...starts.values()].reduce((a, b) => (a < b ? a : b));
  const rows = groupRows(store, pb.id, group.key, earliest, range.to);
  const streaks = new Map<number, number>();
  const broken: BrokenStreak[] = [];
  const grid: GridRow[] = [];
  for (const game of games) {
    const window = new GameDays(store, pb, game, group.key, rows, starts.get(game)!);
    const pending = !dayIsOver(pb, game, scope.asOf, now);
    const lastOver = pending ? addDays(scope.asOf, -1) : scope.asOf;
    const runs = new Map(days.map((d) => [d.date, runsOn(pb, game, d.date)]));
    for (const m of roster) {
      const own = window.days(m.memberId);
      const mark = (date: string): DayMark => {
        const kind = own.get(date);
        if (kind !== undefined) return counts(kind) ? 'done' : 'excused';
        if (date < m.joinedDay) return 'absent';
        if (!runs.get(date)) return 'off';
        return date > lastOver ? 'ahead' : 'missed';
      };
      grid.push({ memberId: m.memberId, name: m.name, game: game.name, marks: Object.fromEntries(days.map((d) => [d.date, mark(d.date)])) });
      // The top bucket is open-ended: past it, the exact streak does not matter.
      const s = Math.min(window.streak(m.memberId, scope.asOf, pending, STREAK_CAP), STREAK_CAP);
      streaks.set(s, (streaks.get(s) ?? 0) + 1);
      // A streak broken inside the range, by a member who has not checked in since (one whose last
      // check-in is before the window broke earlier: the window holds a game day before the range).
      const since = m.joinedDay > starts.get(game)! ? m.joinedDay : starts.get(game)!;
      const a = absenceOf(pb, game, window.days(m.memberId), since, lastOver);
      if (a.missed === 0 || a.lastDay === null || a.brokenStreak < MIN_BROKEN_STREAK) continue;
      // It ended inside the range, or was still alive the day before it began (so the first miss is inside).
      if (a.lastDay >= range.from || window.streak(m.memberId, addDays(range.from, -1), false, 1) > 0) {
        broken.push({ memberId: m.memberId, game: game.name, streak: window.streak(m.memberId, a.lastDay, false), lastDay: a.lastDay });
      }
    }
  }
  return {
    checkins: {
      played: true,
      days,
      checkins,
      expected,
      completionRate: ratio(checkins, expected),
      streaks: bucketize([...streaks].map(([streak, members]) => ({ streak, members }))),
      awards: [...awards.values()],
      grid,
    },
    broken,
  };
}
