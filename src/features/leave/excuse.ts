/**
 * Leave excuses a member's check-ins: each asked-for day the game runs becomes an excused day
 * (neither counts nor breaks the streak, and reminders do not @ them as missing). A day already
 * checked in stays a check-in.
 */
import type { Services } from '../../engine/feature.js';
import type { Playbook } from '../../playbook/playbook.js';
import type { GroupConfig } from '../../playbook/schema.js';
import { gameDay, type Game } from '../checkin/game.js';
import { celebrateIfComplete } from '../checkin/progress.js';
import { recordCheckin } from '../checkin/records.js';
import { slotOf } from '../checkin/stats.js';

export interface Excused {
  game: Game;
  /** The days newly excused in this game. */
  days: string[];
}

export function excuseDays(
  services: Services,
  pb: Playbook,
  group: GroupConfig,
  games: readonly Game[],
  memberId: number,
  days: readonly string[],
  by: { byMemberId: number | null; messageId: number | null; now: number; today: string },
): Excused[] {
  return games.map((game) => {
    const slot = slotOf(pb, game, group.key, memberId);
    const excused = days.filter(
      (day) => gameDay(pb, game, day).runs && recordCheckin(services.store, slot, { day, kind: 'excused', messageId: by.messageId, byMemberId: by.byMemberId, now: by.now }),
    );
    // The last member still missing today may be the one now excused.
    if (excused.includes(by.today)) celebrateIfComplete(services, pb, game, group, by.today);
    return { game, days: excused };
  });
}
