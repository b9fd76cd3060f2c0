/**
 * Check-in commands. Members: 我的打卡 (in the class group or a direct chat), 补卡, 不参与排行 / 参与排行 (in the class group).
 * Staff (refused to parents by the engine): 未打卡, 改打卡, 打卡掉队 (打卡请假 is the leave feature's); their
 * answers go to the staff, never to the class group, since they name children.
 */
import type { CommandSpec, MessageContext } from '../../engine/feature.js';
import { text } from '../../playbook/playbook.js';
import type { GroupConfig } from '../../playbook/schema.js';
import { addDays, daysBetween, formatDateZh, localDate } from '../../time.js';
import { halfWidth, parseDay, takeGame } from './args.js';
import { gameDay, gameText, gamesIn, type Game } from './game.js';
import { inactivityText, missingText } from './lists.js';
import { announceAwards, awardLines, celebrateIfComplete, progressOf, standingOf } from './progress.js';
import { counts, kindOn, makeupsBetween, memberAwards, memberGroupKeys, recordCheckin, removeCheckin, setLeaderboardOptOut, type Slot } from './records.js';
import { staffGroups, staffTarget, toStaff } from './staff.js';
import { slotOf } from './stats.js';

const today = (ctx: MessageContext) => localDate(ctx.now, ctx.playbook.timezone);
const mentionOf = (ctx: MessageContext) => ({ mentions: [{ id: ctx.sender.id, name: ctx.sender.name }], cause: 'checkin' });

/** The game a command is about: named in the args, or the group's only one (else ask). */
function pickGame(ctx: MessageContext, games: readonly Game[], args: string[], example: (g: Game) => string, say: (message: string) => void): { game: Game; rest: string[] } | null {
  const { game, rest } = takeGame(games, args);
  if (game) return { game, rest };
  if (games.length === 1) return { game: games[0]!, rest };
  if (games.length === 0) say(text(ctx.playbook, 'checkin_no_game'));
  else say(text(ctx.playbook, 'checkin_which_game', { games: games.map((g) => g.name).join('、'), example: example(games[0]!) }));
  return null;
}

/** Class group of a member command, or null (after saying so). */
function classGroup(ctx: MessageContext): GroupConfig | null {
  if (ctx.where === 'class' && ctx.group) return ctx.group;
  ctx.reply(text(ctx.playbook, 'checkin_in_class_only'));
  return null;
}

/** From a direct chat: every class group of the playbook with a game that the member is in (each answered, so no class is silently left out). */
function memberGameGroups(ctx: MessageContext): GroupConfig[] {
  const keys = new Set(memberGroupKeys(ctx.services.store, ctx.playbook.id, ctx.sender.memberId));
  return ctx.playbook.groups.filter((g) => keys.has(g.key) && gamesIn(ctx.playbook, g.key).length > 0);
}

/** One line per game of the group: streak, this month, total, badges, level, make-ups left. */
function mineLines(ctx: MessageContext, group: GroupConfig): string[] {
  const pb = ctx.playbook;
  const date = today(ctx);
  const month = date.slice(0, 7);
  return gamesIn(pb, group.key).map((game) => {
    const slot = slotOf(pb, game, group.key, ctx.sender.memberId);
    const { days, streak, total } = standingOf(ctx.services.store, pb, game, slot, date, ctx.now);
    const awards = memberAwards(ctx.services.store, slot);
    const none = gameText(pb, game, 'checkin_none');
    const badges = awards.filter((a) => a.kind === 'badge').map((a) => a.name);
    const level = awards.filter((a) => a.kind === 'level').at(-1)?.name ?? none;
    const monthDays = [...days].filter(([d, kind]) => d.startsWith(month) && counts(kind)).length;
    const line = gameText(pb, game, 'checkin_mine_line', { streak, month: monthDays, total, badges: badges.length ? badges.join('、') : none, level });
    return game.makeup ? line + gameText(pb, game, 'checkin_mine_makeup', { left: makeupsLeft(ctx, slot, game, date) }) : line;
  });
}

const mine: CommandSpec = {
  names: ['我的打卡'],
  phrases: ['我的打卡'],
  summary: '查看自己的连续打卡、本月天数和徽章（群里或私聊）',
  run(ctx) {
    const pb = ctx.playbook;
    const header = text(pb, 'checkin_mine_header', { name: ctx.sender.name });
    if (ctx.where === 'direct') {
      const groups = memberGameGroups(ctx);
      const sections = groups.flatMap((g) => [...(groups.length > 1 ? [text(pb, 'checkin_mine_group', { group: g.name })] : []), ...mineLines(ctx, g)]);
      return void ctx.reply(groups.length ? [header, ...sections].join('\n') : text(pb, 'checkin_mine_no_class'), { cause: 'checkin' });
    }
    const group = classGroup(ctx);
    if (!group) return;
    if (gamesIn(pb, group.key).length === 0) return void ctx.reply(text(pb, 'checkin_no_game'), mentionOf(ctx));
    ctx.reply([header, ...mineLines(ctx, group)].join('\n'), mentionOf(ctx));
  },
};

function makeupsLeft(ctx: MessageContext, slot: Slot, game: Game, date: string): number {
  const month = date.slice(0, 7);
  return Math.max(0, game.makeup!.perMonth - makeupsBetween(ctx.services.store, slot, `${month}-01`, `${month}-31`));
}

const makeup: CommandSpec = {
  names: ['补卡'],
  phrases: ['补卡'],
  usage: '[日期]',
  summary: '补上最近漏掉的一天打卡（每月次数有限）',
  run(ctx, args) {
    const group = classGroup(ctx);
    if (!group) return;
    const pb = ctx.playbook;
    const say = (message: string) => ctx.reply(message, mentionOf(ctx));
    const withMakeup = gamesIn(pb, group.key).filter((g) => g.makeup);
    const picked = pickGame(ctx, withMakeup.length ? withMakeup : gamesIn(pb, group.key), args, (g) => `/补卡 ${g.name} 昨天`, say);
    if (!picked) return;
    const { game, rest } = picked;
    if (!game.makeup) return say(gameText(pb, game, 'checkin_makeup_disabled'));
    const { store } = ctx.services;
    const now = today(ctx);
    const within = game.makeup.withinDays;
    const slot = slotOf(pb, game, group.key, ctx.sender.memberId);
    const missed = (d: string) => gameDay(pb, game, d).runs && kindOn(store, slot, d) === undefined;
    let date: string | null;
    if (rest.length > 0) {
      date = parseDay(rest[0]!, now);
      if (!date) return say(gameText(pb, game, 'checkin_bad_date', { value: rest[0]! }));
    } else {
      date = null;
      for (let d = addDays(now, -1); daysBetween(d, now) <= within && !date; d = addDays(d, -1)) if (missed(d)) date = d;
      if (!date) return say(gameText(pb, game, 'checkin_makeup_nothing', { within }));
    }
    if (date >= now) return say(gameText(pb, game, 'checkin_makeup_not_past'));
    if (daysBetween(date, now) > within) return say(gameText(pb, game, 'checkin_makeup_too_old', { within }));
    if (!missed(date)) return say(gameText(pb, game, 'checkin_makeup_not_missed', { date: formatDateZh(date) }));
    const left = makeupsLeft(ctx, slot, game, date);
    if (left <= 0) return say(gameText(pb, game, 'checkin_makeup_limit', { limit: game.makeup.perMonth }));
    recordCheckin(store, slot, { day: date, kind: 'makeup', messageId: ctx.messageId, now: ctx.now });
    const progress = progressOf(store, pb, game, slot, now, ctx.now);
    say(
      [
        gameText(pb, game, 'checkin_makeup_ok', { name: ctx.sender.name, date: formatDateZh(date), left: left - 1, streak: progress.streak }),
        ...awardLines(pb, game, ctx.sender.name, progress.awards),
      ].join('\n'),
    );
  },
};

function optCommand(names: string[], summary: string, optOut: boolean): CommandSpec {
  return {
    names,
    phrases: [names[0]!],
    summary,
    run(ctx) {
      setLeaderboardOptOut(ctx.services.store, ctx.sender.memberId, optOut, ctx.now);
      ctx.reply(text(ctx.playbook, optOut ? 'checkin_optout' : 'checkin_optin', { name: ctx.sender.name }), mentionOf(ctx));
    },
  };
}

const missing: CommandSpec = {
  names: ['未打卡'],
  staffOnly: true,
  usage: '[打卡名] [日期]',
  summary: '今天还没打卡的名单（发到老师群）',
  run(ctx, args) {
    const pb = ctx.playbook;
    const groups = staffGroups(ctx);
    const { game: named, rest } = takeGame(groups.flatMap((g) => gamesIn(pb, g.key)), args);
    const date = rest[0] ? parseDay(rest[0], today(ctx)) : today(ctx);
    if (!date) return toStaff(ctx, text(ctx.playbook, 'checkin_bad_date', { value: rest[0]! }));
    const texts = groups.flatMap((group) =>
      gamesIn(pb, group.key)
        .filter((g) => !named || g.id === named.id)
        .map((game) => missingText(ctx.services.store, pb, game, group, date)),
    );
    toStaff(ctx, texts.length ? texts.join('\n') : text(ctx.playbook, 'checkin_no_game'));
  },
};

const correct: CommandSpec = {
  names: ['改打卡'],
  staffOnly: true,
  usage: '名字 [日期] [数字|撤销]',
  summary: '更正成员某天的打卡：补记（可带数字），或“撤销”',
  run(ctx, args) {
    const target = staffTarget(ctx, args, '/改打卡 王小明妈妈 昨天 30');
    if (!target) return;
    const pb = ctx.playbook;
    const { group, member } = target;
    if (target.games.length > 1) {
      return toStaff(ctx, text(ctx.playbook, 'checkin_which_game', { games: target.games.map((g) => g.name).join('、'), example: `/改打卡 ${target.games[0]!.name} ${member.name} 昨天` }));
    }
    const game = target.games[0]!;
    const now = today(ctx);
    let date = now;
    let amount: number | null = null;
    let revoke = false;
    for (const a of target.rest) {
      const d = parseDay(a, now);
      const n = /^(\d+(?:\.\d+)?)\D*$/.exec(halfWidth(a));
      if (a === '撤销' || a === '删除') revoke = true;
      else if (d) date = d;
      else if (n) amount = Number(n[1]);
      else return toStaff(ctx, gameText(pb, game, 'checkin_bad_date', { value: a }));
    }
    const vars = { member: member.name, date: formatDateZh(date) };
    if (date > now) return toStaff(ctx, gameText(pb, game, 'checkin_future_day', vars));
    const status = gameDay(pb, game, date);
    if (!status.runs) return toStaff(ctx, gameText(pb, game, 'checkin_not_game_day', { ...vars, reason: status.reason }));
    const { store } = ctx.services;
    const slot = slotOf(pb, game, group.key, member.memberId);
    if (revoke) {
      if (!removeCheckin(store, slot, date)) return toStaff(ctx, gameText(pb, game, 'checkin_correction_nothing', vars));
      const { streak } = standingOf(store, pb, game, slot, now, ctx.now);
      return toStaff(ctx, gameText(pb, game, 'checkin_correction_removed', { ...vars, streak }));
    }
    recordCheckin(store, slot, { day: date, kind: 'corrected', amount, messageId: ctx.messageId, byMemberId: ctx.sender.memberId, now: ctx.now });
    const progress = progressOf(store, pb, game, slot, now, ctx.now);
    toStaff(ctx, gameText(pb, game, 'checkin_corrected', { ...vars, streak: progress.streak }));
    announceAwards(ctx.services, pb, game, group, member, progress.awards);
    if (date === now) celebrateIfComplete(ctx.services, pb, game, group, now);
  },
};

const inactive: CommandSpec = {
  names: ['打卡掉队'],
  staffOnly: true,
  usage: '[打卡名]',
  summary: '连续打卡刚中断、或多天没打卡的成员（仅老师可见）',
  run(ctx, args) {
    const pb = ctx.playbook;
    const groups = staffGroups(ctx);
    const { game: named } = takeGame(groups.flatMap((g) => gamesIn(pb, g.key)), args);
    const texts = groups.flatMap((group) =>
      gamesIn(pb, group.key)
        .filter((g) => !named || g.id === named.id)
        .map((game) => inactivityText(ctx.services.store, pb, game, group, today(ctx), ctx.now) ?? gameText(pb, game, 'checkin_inactive_none', { group: group.name })),
    );
    toStaff(ctx, texts.length ? texts.join('\n') : text(ctx.playbook, 'checkin_no_game'));
  },
};

export const checkinCommands: CommandSpec[] = [
  mine,
  makeup,
  optCommand(['不参与排行'], '不出现在打卡排行榜上', true),
  optCommand(['参与排行'], '重新参与打卡排行榜', false),
  missing,
  correct,
  inactive,
];
