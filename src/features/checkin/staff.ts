/**
 * What staff commands about members share: their answers go to the staff (never the class group,
 * since they name children), and they name a member and optionally a game.
 */
import type { MessageContext } from '../../engine/feature.js';
import { text } from '../../playbook/playbook.js';
import type { GroupConfig } from '../../playbook/schema.js';
import { resolveMember, takeGame } from './args.js';
import { gamesIn, type Game } from './game.js';
import { groupMembers } from './records.js';

/** Staff answers stay out of the class group. */
export function toStaff(ctx: MessageContext, message: string, cause = 'checkin'): void {
  if (ctx.where === 'class') ctx.toStaff(message, { cause });
  else ctx.reply(message, { cause });
}

/** Class groups a staff command is about: the one it was typed in, else every group with a game. */
export function staffGroups(ctx: MessageContext): GroupConfig[] {
  return ctx.group ? [ctx.group] : ctx.playbook.groups.filter((g) => gamesIn(ctx.playbook, g.key).length > 0);
}

export interface StaffTarget {
  group: GroupConfig;
  games: Game[];
  member: { memberId: number; id: string; name: string };
  rest: string[];
}

/** Resolves `[打卡名] 名字 …` of a staff command, answering the staff when it cannot. */
export function staffTarget(ctx: MessageContext, args: string[], example: string): StaffTarget | null {
  const pb = ctx.playbook;
  const groups = staffGroups(ctx);
  const { game, rest } = takeGame(groups.flatMap((g) => gamesIn(pb, g.key)), args);
  const candidates = groups.map((g) => ({ groupKey: g.key, groupName: g.name, members: groupMembers(ctx.services.store, pb, g.key) }));
  const found = resolveMember(candidates, rest, ctx.msg.mentions);
  if (!found.ok) {
    const key = { missing: 'checkin_member_missing', unknown: 'checkin_member_unknown', ambiguous: 'checkin_member_ambiguous' }[found.problem];
    toStaff(ctx, text(ctx.playbook, key, { query: found.query, names: found.names.join('、'), example }));
    return null;
  }
  const group = groups.find((g) => g.key === found.groupKey)!;
  const games = gamesIn(pb, group.key).filter((g) => !game || g.id === game.id);
  if (games.length === 0) {
    toStaff(ctx, text(ctx.playbook, 'checkin_no_game'));
    return null;
  }
  return { group, games, member: found.member, rest: found.rest };
}
