/**
 * The playbook's `reminders:` and `homework:` blocks. Documented in playbooks/README.md.
 * This module must not import src/playbook/schema.ts (which imports it).
 */
import { z } from 'zod';
import { cronExpression } from '../../playbook/cron.js';
import { placeholdersOf } from '../../template.js';
import { isValidDate, weekdayZh } from '../../time.js';
import { parseWeekdays } from '../../playbook/weekday.js';

const localDate = z.string().refine(isValidDate, { message: '日期格式应为 YYYY-MM-DD，例如 2026-09-01' });

/** Placeholders a reminder's message may use, with what they become (listed in errors and docs). */
export const REMINDER_VARS = {
  date: '日期，例如 11月24日',
  weekday: '星期，例如 周二',
  class: '班级名称',
  group: '群名称',
  assistant: '助教名字',
  homework: '当天作业（homework 里按日期或星期配置）',
  checkin_count: '今天已打卡人数',
  not_checked_in: '今天还没打卡的成员名单（超过 mention_limit 人时显示“等N人”）',
  not_checked_in_count: '今天还没打卡的人数',
} as const;

/** Placeholders that need a check-in game. */
export const CHECKIN_VARS = new Set(['checkin_count', 'not_checked_in', 'not_checked_in_count']);

export const reminderSchema = z
  .strictObject({
    /** Stable id (letters, digits, _ and -): fires are claimed under it. */
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: '只能用字母、数字、_ 和 -' }),
    /** When, in the playbook's timezone: 5-field cron (minute hour day month weekday). */
    cron: cronExpression,
    /** Term dates: no reminder outside them (inclusive). */
    from: localDate.optional(),
    to: localDate.optional(),
    /** Keys of the groups to post to ('staff' for the staff group); all class groups when left out. */
    groups: z.array(z.string().min(1)).min(1).optional(),
    /** The text, with placeholders such as {date} and {homework} (see REMINDER_VARS). */
    message: z.string().min(1),
    /** none: no @; all: @所有人 where the platform allows; not_checked_in: @ those who have not checked in today. */
    mention: z.enum(['none', 'all', 'not_checked_in']).default('none'),
    /** At most this many names are @-ed or listed; beyond, "等N人". */
    mention_limit: z.number().int().min(1, { message: '至少为 1' }).max(100, { message: '最多 100' }).default(20),
    /** The check-in game (its id) whose numbers the check-in placeholders and mentions use; any game when left out. */
    checkin: z.string().min(1).optional(),
    /** A reminder missed while the bot was down is still sent this many minutes late, then recorded as missed. */
    grace_minutes: z.number().int().min(0, { message: '不能是负数' }).max(24 * 60, { message: '最多 1440 分钟（一天）' }).default(30),
    /** Whether the calendar's days off pause the reminder (default true). */
    calendar: z.boolean().default(true),
  })
  .superRefine((r, ctx) => {
    if (r.from && r.to && r.from > r.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期早于开始日期' });
    for (const name of new Set(placeholdersOf(r.message))) {
      if (!(name in REMINDER_VARS)) {
        ctx.addIssue({ code: 'custom', path: ['message'], message: `不认识的占位符 {${name}}，可用：${Object.keys(REMINDER_VARS).map((v) => `{${v}}`).join(' ')}` });
      }
    }
  });

export const remindersSchema = z.array(reminderSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((r, i) => {
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `提醒的 id "${r.id}" 重复了` });
    seen.add(r.id);
  });
});

/** Homework text by date (YYYY-MM-DD, wins) or by weekday (周一, 星期一, 1–7, or 周一至周五); 调休 days use the weekday they stand for. */
export const homeworkSchema = z.record(z.string(), z.string()).superRefine((hw, ctx) => {
  const keyOf = new Map<number, string>();
  for (const key of Object.keys(hw)) {
    if (isValidDate(key)) continue;
    const days = parseWeekdays(key);
    if (!days) ctx.addIssue({ code: 'custom', path: [key], message: '应为星期（周一、星期一、周一至周五…）或日期（YYYY-MM-DD）' });
    for (const d of days ?? []) {
      const other = keyOf.get(d);
      if (other) ctx.addIssue({ code: 'custom', path: [key], message: `${weekdayZh(d)}的作业在“${other}”里已经写过了` });
      keyOf.set(d, key);
    }
  }
});

export type ReminderData = z.output<typeof reminderSchema>;

/**
 * Cross-block checks, called from the playbook's refinement: reminders name existing groups and
 * check-in games, and only use check-in numbers where there is a game to count.
 */
export function refineReminders(
  reminders: ReminderData[],
  groupKeys: Set<string>,
  checkinIds: string[],
  hasHomework: boolean,
  ctx: z.RefinementCtx,
): void {
  reminders.forEach((r, i) => {
    r.groups?.forEach((key, j) => {
      if (!groupKeys.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['reminders', i, 'groups', j], message: `没有 key 为 "${key}" 的群（可选：${[...groupKeys].join('、')}）` });
      }
    });
    if (r.checkin !== undefined && !checkinIds.includes(r.checkin)) {
      ctx.addIssue({ code: 'custom', path: ['reminders', i, 'checkin'], message: `没有 id 为 "${r.checkin}" 的打卡（checkin）` });
    }
    if (!hasHomework && placeholdersOf(r.message).includes('homework')) {
      ctx.addIssue({ code: 'custom', path: ['reminders', i, 'message'], message: '用到了 {homework}，但这个配置没有 homework（每天的作业），每天都会发“今天没有书面作业”；请添加 homework，或去掉 {homework}' });
    }
    const needsCheckin = r.mention === 'not_checked_in' || placeholdersOf(r.message).some((v) => CHECKIN_VARS.has(v));
    if (needsCheckin && checkinIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['reminders', i, r.mention === 'not_checked_in' ? 'mention' : 'message'], message: '用到了打卡人数或名单，但这个配置没有打卡（checkin）' });
    }
  });
}
