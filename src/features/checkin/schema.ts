/**
 * The playbook's `checkin:` block: a list of check-in games (打卡闯关). Documented in
 * playbooks/README.md. This module must not import src/playbook/schema.ts (which imports it).
 */
import { z } from 'zod';
import { cronExpression } from '../../playbook/cron.js';
import { patternSchema } from '../../playbook/pattern.js';
import { isValidDate, parseHHMM } from '../../time.js';
import { weekdayListSchema } from '../../playbook/weekday.js';

/** 'HH:MM', or '24:00' for the end of the day. */
const timeOfDay = z.string().refine((s) => s === '24:00' || parseHHMM(s) !== null, { message: '时间格式应为 HH:MM，例如 06:00、21:30 或 24:00' });
const localDate = z.string().refine(isValidDate, { message: '日期格式应为 YYYY-MM-DD，例如 2026-09-01' });
const positiveInt = z.number().int().min(1, { message: '应为正整数' });

/** Game days missed in a row after which the staff hear about a member (/打卡掉队, inactivity.after_days). */
export const DEFAULT_INACTIVE_DAYS = 3;

export const checkinTriggerSchema = z
  .strictObject({
    /** The message contains one of these (and does not read as a question). */
    keywords: z.array(z.string().min(1)).default([]),
    /** …or matches this regular expression. */
    pattern: patternSchema.optional(),
    /** …or carries an image / a file. */
    media: z.array(z.enum(['image', 'file'])).default([]),
  })
  .refine((t) => t.keywords.length > 0 || t.pattern !== undefined || t.media.length > 0, {
    message: '至少设置 keywords、pattern、media 中的一项',
  });

export const checkinGameSchema = z
  .strictObject({
    /** Stable id (letters, digits, _ and -): check-ins are stored under it. */
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: '只能用字母、数字、_ 和 -' }),
    /** Short name used in the texts, e.g. 晨读 ("晨读打卡成功"). */
    name: z.string().min(1),
    /** Keys of the class groups that play; all class groups when left out. */
    groups: z.array(z.string().min(1)).min(1, { message: '至少写一个群' }).optional(),
    trigger: checkinTriggerSchema,
    /** Local times between which a check-in counts: start inclusive, end exclusive. */
    window: z
      .strictObject({ start: timeOfDay.default('00:00'), end: timeOfDay.default('24:00') })
      .refine((w) => windowMinute(w.start) < windowMinute(w.end), { message: '结束时间应晚于开始时间（不能跨午夜）' })
      .default({ start: '00:00', end: '24:00' }),
    /** Weekdays the game runs (调休 days follow the weekday they stand for); every day when left out. */
    days: weekdayListSchema.default([0, 1, 2, 3, 4, 5, 6]),
    /** Whether the playbook's calendar holidays pause the game (default true). */
    calendar: z.boolean().default(true),
    /** Term dates: the game runs only between them (inclusive). */
    from: localDate.optional(),
    to: localDate.optional(),
    /** A number the check-in must carry, e.g. minutes practised ("打卡 30分钟"). */
    require: z
      .strictObject({
        /** What the number is, in the texts (e.g. 练琴时长). */
        number: z.string().min(1),
        /** Units that may follow the number; when given, one must (the first is shown). */
        units: z.array(z.string().min(1)).default([]),
        min: z.number().min(0).optional(),
        max: z.number().min(0).optional(),
        /** Example shown when the number is missing. */
        example: z.string().min(1).optional(),
      })
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: 'min 不能大于 max' })
      .optional(),
    /** 补卡: members may make up a missed game day. */
    makeup: z
      .strictObject({
        /** How many make-ups a member may use per month (by the month of the missed day). */
        per_month: z.number().int().min(0, { message: '不能是负数' }),
        /** How far back a missed day may be made up, in days. */
        within_days: positiveInt.default(7),
      })
      .optional(),
    /** Badges for streaks (consecutive game days). */
    badges: z.array(z.strictObject({ days: positiveInt, name: z.string().min(1) })).default([]),
    /** Challenge levels (闯关) by cumulative check-ins. */
    levels: z.array(z.strictObject({ checkins: positiveInt, name: z.string().min(1) })).default([]),
    /** Weekly effort leaderboard posted to the class group; opt-out with /不参与排行. */
    leaderboard: z
      .strictObject({
        cron: cronExpression,
        /** count: check-ins in the 7 days ending that day; streak: current streaks. */
        metric: z.enum(['count', 'streak']).default('count'),
        top: z.number().int().min(1).max(50).default(10),
      })
      .optional(),
    /** Celebrate in the group when every member has checked in (全班连续N天全员打卡). */
    class_streak: z.boolean().default(true),
    /** Private list for the staff: streaks just broken and members away for `after_days` game days. */
    inactivity: z
      .strictObject({
        after_days: positiveInt.default(DEFAULT_INACTIVE_DAYS),
        /** When to send the list to the staff; only on demand (/未活跃) when left out. */
        cron: cronExpression.optional(),
      })
      .optional(),
    /** Text overrides for this game only (same keys as the playbook's `messages:`). */
    messages: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((g, ctx) => {
    if (g.from && g.to && g.from > g.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期早于开始日期' });
    unique(g.badges.map((b) => b.days), ctx, 'badges', 'days', '徽章天数');
    unique(g.levels.map((l) => l.checkins), ctx, 'levels', 'checkins', '关卡次数');
  });

export const checkinSchema = z.array(checkinGameSchema).superRefine((games, ctx) => {
  unique(games.map((g) => g.id), ctx, null, 'id', '打卡的 id');
});

export type CheckinGameData = z.output<typeof checkinGameSchema>;

/** Cross-block check, called from the playbook's refinement: games name existing class groups. */
export function refineCheckinGroups(games: CheckinGameData[] | undefined, groupKeys: Set<string>, ctx: z.RefinementCtx): void {
  games?.forEach((g, i) =>
    g.groups?.forEach((key, j) => {
      if (!groupKeys.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['checkin', i, 'groups', j], message: `没有 key 为 "${key}" 的班级群（可选：${[...groupKeys].join('、')}）` });
      }
    }),
  );
}

/** Minutes since midnight of a window time ('24:00' → 1440). */
export function windowMinute(s: string): number {
  return s === '24:00' ? 24 * 60 : (parseHHMM(s) ?? 0);
}

function unique(values: (string | number)[], ctx: z.RefinementCtx, list: string | null, field: string, what: string): void {
  const seen = new Set<string | number>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path: list ? [list, i, field] : [i, field], message: `${what} ${v} 重复了` });
    seen.add(v);
  });
}
