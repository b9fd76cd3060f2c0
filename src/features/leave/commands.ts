/**
 * Staff leave commands: /打卡请假 grants leave (the same record a parent's request makes), and
 * /请假记录 lists the leaves from a day on. Answers go to the staff: they name children.
 */
import type { CommandSpec, MessageContext } from '../../engine/feature.js';
import { text } from '../../playbook/playbook.js';
import { addDays, daysBetween, formatDateZh, localDate } from '../../time.js';
import { parseDay, parseDayCount } from '../checkin/args.js';
import { gameDay, gameText } from '../checkin/game.js';
import { monthDay } from '../checkin/lists.js';
import { memberGroupKeys } from '../checkin/records.js';
import { staffTarget, toStaff } from '../checkin/staff.js';
import { excuseDays } from './excuse.js';
import { formatDays } from './format.js';
import { leavesSince, recordLeave, type LeaveRow } from './records.js';

const today = (ctx: MessageContext) => localDate(ctx.now, ctx.playbook.timezone);
const say = (ctx: MessageContext, message: string) => toStaff(ctx, message, 'leave');
/** How far back /请假记录 looks by default. */
const LIST_DAYS_BACK = 7;

const grant: CommandSpec = {
  names: ['打卡请假', '免打卡'],
  staffOnly: true,
  usage: '名字 [日期] [天数]',
  summary: '给成员记请假（病假等）：不计打卡，也不中断连续天数',
  run(ctx, args) {
    const target = staffTarget(ctx, args, '/打卡请假 王小明妈妈 明天 2天');
    if (!target) return;
    const pb = ctx.playbook;
    const { group, member } = target;
    let start = today(ctx);
    let count = 1;
    for (const a of target.rest) {
      const n = parseDayCount(a);
      const d = n === null ? parseDay(a, today(ctx)) : null;
      if (n !== null) count = Math.max(1, Math.min(n, 31));
      else if (d) start = d;
      else return say(ctx, text(pb, 'checkin_bad_date', { value: a }));
    }
    const by = { byMemberId: ctx.sender.memberId, messageId: ctx.messageId, now: ctx.now, today: today(ctx) };
    const granted = new Set<string>();
    const lines = target.games.map((game) => {
      // `count` game days from `start`: days the game does not run need no leave.
      const days: string[] = [];
      for (let d = start; days.length < count && daysBetween(start, d) < 366; d = addDays(d, 1)) if (gameDay(pb, game, d).runs) days.push(d);
      for (const d of days) granted.add(d);
      const [excused] = excuseDays(ctx.services, pb, group, [game], member.memberId, days, by);
      return excused!.days.length
        ? gameText(pb, game, 'checkin_excused', { member: member.name, dates: excused!.days.map(monthDay).join('、') })
        : gameText(pb, game, 'checkin_excused_nothing', { member: member.name, date: formatDateZh(start) });
    });
    if (granted.size > 0) {
      recordLeave(ctx.services.store, {
        playbookId: pb.id, memberId: member.memberId, groupKey: group.key, days: [...granted], reason: null, source: 'staff', ...by,
      });
    }
    say(ctx, lines.join('\n'));
  },
};

/** Where a leave applies, by group name: its group, or (asked in a direct chat) the member's groups. */
function whereOf(ctx: MessageContext, row: LeaveRow): string {
  const keys = row.groupKey ? [row.groupKey] : memberGroupKeys(ctx.services.store, ctx.playbook.id, row.memberId);
  const names = ctx.playbook.groups.filter((g) => keys.includes(g.key)).map((g) => g.name);
  return names.length ? names.join('、') : text(ctx.playbook, 'leave_direct');
}

const list: CommandSpec = {
  names: ['请假记录'],
  staffOnly: true,
  usage: '[名字] [起始日期]',
  summary: `最近 ${LIST_DAYS_BACK} 天和之后的请假（家长申请的和老师记的）`,
  run(ctx, args) {
    const pb = ctx.playbook;
    let from = addDays(today(ctx), -LIST_DAYS_BACK);
    const names: string[] = [];
    for (const a of args) {
      const d = parseDay(a, today(ctx));
      if (d) from = d;
      else names.push(a.replace(/^[@＠]/, ''));
    }
    const rows = leavesSince(ctx.services.store, pb.id, from).filter((r) => names.every((n) => r.name.includes(n)));
    const date = formatDateZh(from);
    if (rows.length === 0) return say(ctx, text(pb, 'leave_list_none', { from: date }));
    const lines = rows.map((r) =>
      text(pb, 'leave_list_line', {
        dates: formatDays(r.days.filter((d) => d >= from)),
        name: r.name,
        where: whereOf(ctx, r),
        reason: r.reason ? text(pb, 'leave_reason', { reason: r.reason }) : '',
        by: r.byName ? text(pb, 'leave_list_by', { by: r.byName }) : '',
      }),
    );
    say(ctx, [text(pb, 'leave_list_header', { from: date }), ...lines].join('\n'));
  },
};

export const leaveCommands: CommandSpec[] = [grant, list];
