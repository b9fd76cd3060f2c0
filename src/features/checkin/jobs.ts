/**
 * Scheduled posts of the check-in games: the weekly effort leaderboard in each class group, and
 * the private inactivity list for the staff (one per class group).
 */
import type { ScheduledJob } from '../../engine/feature.js';
import type { Playbook } from '../../playbook/playbook.js';
import { localDate } from '../../time.js';
import { gamesOf, runsOn } from './game.js';
import { inactivityText, leaderboardText } from './lists.js';

export function checkinJobs(pb: Playbook): ScheduledJob[] {
  return gamesOf(pb).flatMap((game) => {
    const jobs: ScheduledJob[] = [];
    // No posts outside the game's term dates.
    const term = { ...(game.from ? { from: game.from } : {}), ...(game.to ? { to: game.to } : {}) };
    if (game.leaderboard) {
      jobs.push({
        id: `checkin:${game.id}:leaderboard`,
        cron: game.leaderboard.cron,
        groups: game.groups,
        ...term,
        run(ctx) {
          const board = leaderboardText(ctx.services.store, ctx.playbook, game, ctx.group.key, localDate(ctx.scheduledAt, ctx.playbook.timezone));
          // An empty board (a week nobody played) is not posted.
          if (board) ctx.services.messenger.toGroup(ctx.playbook, ctx.group, board, { key: ctx.key, cause: 'checkin', quiet: true });
        },
      });
    }
    if (game.inactivity?.cron) {
      jobs.push({
        id: `checkin:${game.id}:inactivity`,
        cron: game.inactivity.cron,
        groups: game.groups,
        ...term,
        run(ctx) {
          const today = localDate(ctx.now, ctx.playbook.timezone);
          // Only on game days: over a weekend the list would just repeat Friday's.
          if (!runsOn(ctx.playbook, game, today)) return;
          const list = inactivityText(ctx.services.store, ctx.playbook, game, ctx.group, today, ctx.now);
          if (list) ctx.services.messenger.toStaff(ctx.playbook, list, { key: ctx.key, cause: 'checkin' });
        },
      });
    }
    return jobs;
  });
}
