/**
 * Leave (请假): a parent asks the bot (`@bot 孩子发烧了明天请假一天`, or `老师，孩子明天请假` in a
 * direct chat); the leave is recorded, confirmed warmly, told to staff, and its days are excused in
 * the check-in games (no check-in asked, streak kept, no @ as missing). Staff grant leave with
 * /打卡请假 and list it with /请假记录. A worried message that also asks for leave has already
 * opened its follow-up (followups come first); the leave is still recorded.
 */
import type { Feature, MessageContext } from '../../engine/feature.js';
import { text } from '../../playbook/playbook.js';
import { addDays, localDate, localParts } from '../../time.js';
import { gamesIn } from '../checkin/game.js';
import { memberGroupKeys } from '../checkin/records.js';
import { clauseAnswer } from '../faq.js';
import { quote } from '../followups/format.js';
import { followUpUnanswered } from '../followups/index.js';
import { leaveCommands } from './commands.js';
import { excuseDays } from './excuse.js';
import { formatDays } from './format.js';
import { readLeave, type LeaveIntent } from './intent.js';
import { recordLeave } from './records.js';

/** From this local hour on, a leave that names no day is for tomorrow (今晚说的请假，说的是明天). */
const EVENING_HOUR = 18;

/** The class groups a leave covers: the one it was asked in, or (in a direct chat) all of the member's. */
function coveredGroups(ctx: MessageContext) {
  if (ctx.group) return [ctx.group];
  const keys = new Set(memberGroupKeys(ctx.services.store, ctx.playbook.id, ctx.sender.memberId));
  return ctx.playbook.groups.filter((g) => keys.has(g.key));
}

function handleLeave(ctx: MessageContext, intent: LeaveIntent, today: string): void {
  const pb = ctx.playbook;
  const reason = intent.reason ? text(pb, 'leave_reason', { reason: intent.reason }) : '';
  const where = ctx.group?.name ?? text(pb, 'leave_direct');
  const mention = ctx.where === 'class' ? { mentions: [{ id: ctx.sender.id, name: ctx.sender.name }] } : {};
  const coming = intent.days.filter((d) => d >= today);
  const past = intent.days.filter((d) => d < today);
  const staffVars = { name: ctx.sender.name, where, reason, message: quote(ctx.msg.text) };
  if (coming.length === 0) {
    // Excusing a missed day is staff's call (it keeps a streak): ask them, with the command to do it.
    ctx.reply(text(pb, 'leave_past', { dates: formatDays(past), assistant: pb.assistantName }), { cause: 'leave', ...mention });
    ctx.toStaff(text(pb, 'leave_staff_past', { ...staffVars, dates: formatDays(past), first: past[0]!, count: past.length }), { cause: 'leave' });
    return;
  }
  const groups = coveredGroups(ctx);
  recordLeave(ctx.services.store, {
    playbookId: pb.id, memberId: ctx.sender.memberId, groupKey: ctx.group?.key ?? null, days: coming,
    reason: intent.reason, source: 'parent', byMemberId: null, messageId: ctx.messageId, now: ctx.now,
  });
  const by = { byMemberId: null, messageId: ctx.messageId, now: ctx.now, today };
  for (const g of groups) excuseDays(ctx.services, pb, g, gamesIn(pb, g.key), ctx.sender.memberId, coming, by);
  const dates = formatDays(coming);
  const lines = [text(pb, 'leave_ok', { dates, reason, assistant: pb.assistantName })];
  if (groups.some((g) => gamesIn(pb, g.key).length > 0)) lines.push(text(pb, 'leave_checkin'));
  if (!intent.explicit) lines.push(text(pb, 'leave_assumed', { date: formatDays(coming) }));
  if (intent.ill) lines.push(text(pb, 'leave_wish'));
  ctx.reply(lines.join(''), { cause: 'leave', ...mention });
  ctx.toStaff(text(pb, 'leave_staff', { ...staffVars, dates }), { cause: 'leave' });
}

/**
 * A question beside the leave (明天请假，落下的作业怎么补交？) is answered from the FAQ clause by
 * clause (the whole message would match the FAQ about leave), else goes to a human.
 */
function answerBeside(ctx: MessageContext, questions: string[]): void {
  if (questions.length === 0) return;
  const hit = questions.map((q) => clauseAnswer(ctx.playbook, q)).find(Boolean);
  if (!hit) return void followUpUnanswered(ctx, 'question');
  ctx.reply(hit.entry.answer, { cause: 'faq', mentions: ctx.where === 'class' ? [{ id: ctx.sender.id, name: ctx.sender.name }] : [] });
}

export const leaveFeature: Feature = {
  name: 'leave',
  commands: leaveCommands,
  onMessage(ctx) {
    if (ctx.sender.role === 'staff' || ctx.where === 'staff' || !ctx.msg.text) return false;
    const tz = ctx.playbook.timezone;
    const today = localDate(ctx.now, tz);
    const start = localParts(ctx.now, tz).hour >= EVENING_HOUR ? addDays(today, 1) : today;
    const intent = readLeave(ctx.msg.text, today, start);
    // Said in the group to nobody in particular, a leave must name its days to be taken as one.
    if (!intent || (!ctx.msg.addressed && !intent.explicit)) return false;
    handleLeave(ctx, intent, today);
    answerBeside(ctx, intent.questions);
    return true;
  },
};
