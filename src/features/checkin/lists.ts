/**
 * The texts of the check-in lists: the weekly leaderboard for the class group, and for the staff
 * only, who has not checked in and who needs a private word.
 */
import type { Playbook } from '../../playbook/playbook.js';
import type { GroupConfig } from '../../playbook/schema.js';
import type { Store } from '../../store/db.js';
import { addDays, formatDateZh } from '../../time.js';
import { gameDay, gameText, type Game } from './game.js';
import { DEFAULT_INACTIVE_DAYS } from './schema.js';
import { groupMembers, leaderboardOptOuts } from './records.js';
import { classStreak, inactiveMembers, leaderboard, notCheckedIn } from './stats.js';

/** '2026-11-24' → '11月24日' */
export function monthDay(date: string): string {
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日`;
}

/** The leaderboard post for the week ending `date`; null when nobody checked in. */
export function leaderboardText(store: Store, pb: Playbook, game: Game, groupKey: string, date: string): string | null {
  const board = game.leaderboard ?? { metric: 'count' as const, top: 10 };
  const ranked = leaderboard(store, pb, game, groupKey, date, leaderboardOptOuts(store), board.top, board.metric);
  if (ranked.length === 0) return null;
  const lineKey = board.metric === 'streak' ? 'checkin_board_streak' : 'checkin_board_count';
  const classDays = game.classStreak ? classStreak(store, pb, game, groupKey, date, true) : 0;
  return [
    gameText(pb, game, 'checkin_board_header', { from: monthDay(addDays(date, -6)), to: monthDay(date) }),
    ...ranked.map((r) => gameText(pb, game, lineKey, { rank: r.rank, name: r.member.name, value: r.value })),
    ...(classDays >= 2 ? [gameText(pb, game, 'checkin_board_class', { days: classDays })] : []),
    gameText(pb, game, 'checkin_board_footer'),
  ].join('\n');
}

/** Who has not checked in on `date` (staff only: never posted in the class group). */
export function missingText(store: Store, pb: Playbook, game: Game, group: GroupConfig, date: string): string {
  const vars = { group: group.name, date: formatDateZh(date) };
  const status = gameDay(pb, game, date);
  if (!status.runs) return gameText(pb, game, 'checkin_missing_rest', { ...vars, reason: status.reason });
  const missing = notCheckedIn(store, pb, group.key, date, game.id);
  if (missing.length === 0) return gameText(pb, game, 'checkin_missing_none', vars);
  const total = groupMembers(store, pb, group.key).filter((m) => m.joinedDay <= date).length;
  return gameText(pb, game, 'checkin_missing', { ...vars, count: missing.length, total, names: missing.map((m) => m.name).join('、') });
}

/** Members whose streak just broke or who have been away, for the assistant to reach out privately. */
export function inactivityText(store: Store, pb: Playbook, game: Game, group: GroupConfig, today: string, now: number): string | null {
  const list = inactiveMembers(store, pb, game, group.key, today, now, game.inactivity?.afterDays ?? DEFAULT_INACTIVE_DAYS);
  const vars = { group: group.name };
  if (list.length === 0) return null;
  return [
    gameText(pb, game, 'checkin_inactive_header', vars),
    ...list.map((x) =>
      x.brokenStreak > 0
        ? gameText(pb, game, 'checkin_inactive_broken', { name: x.member.name, streak: x.brokenStreak, date: monthDay(x.missedSince!) })
        : x.lastDay
          ? gameText(pb, game, 'checkin_inactive_away', { name: x.member.name, days: x.missed, last: monthDay(x.lastDay) })
          : gameText(pb, game, 'checkin_inactive_never', { name: x.member.name, days: x.missed }),
    ),
  ].join('\n');
}

