/**
 * The playbook: one YAML file per class, written by teaching assistants. Field names are
 * snake_case in YAML. Features add their own blocks below; every block is documented in
 * playbooks/README.md.
 */
import { z } from 'zod';
import { PLATFORMS } from '../model.js';
import { isValidDate, isValidTimezone, parseHHMM } from '../time.js';
import { POLICY_RULE_IDS } from './policy-rules.js';
import { weekdaySchema } from './weekday.js';
import { installChineseErrors } from './zod-zh.js';
import { patternSchema } from './pattern.js';
import { detectorSettingsSchema } from '../detector/settings.js';
import { followupsSchema, refineFollowups } from '../features/followups/schema.js';
import { checkinSchema, refineCheckinGroups } from '../features/checkin/schema.js';
import { homeworkSchema, refineReminders, remindersSchema } from '../features/reminders/schema.js';
import { refineReports, reportsSchema } from '../reports/schema.js';

installChineseErrors();

export const hhmm = z.string().refine((s) => parseHHMM(s) !== null, { message: '时间格式应为 HH:MM，例如 19:00' });
export const localDateString = z.string().refine(isValidDate, { message: '日期格式应为 YYYY-MM-DD，例如 2026-10-01' });

const platform = z.enum(PLATFORMS);

export const groupSchema = z
  .strictObject({
    /** The playbook's own short name for the group, used by other blocks (reminders' targets). */
    key: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: '只能用字母、数字、_ 和 -' }).optional(),
    platform,
    /** The platform's chat id; may be left out when `name` or `match` identifies the group. */
    id: z.string().min(1).optional(),
    /** Display name; also matched exactly against the chat's title to learn its id. */
    name: z.string().min(1),
    /** Regular expression matched against the chat's title, to learn its id. */
    match: patternSchema.optional(),
  });

export const calendarSchema = z.strictObject({
  /** Days nothing scheduled happens: a date, or 'FROM..TO' for a range (inclusive). */
  skip: z
    .array(
      z.union([
        localDateString,
        z.string().regex(/^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/, { message: '日期或日期范围，例如 2026-10-01 或 2026-10-01..2026-10-07' }),
        z
          .strictObject({ from: localDateString, to: localDateString, name: z.string().optional() })
          .refine((r) => r.from <= r.to, { path: ['to'], message: '结束日期早于开始日期' }),
      ]),
    )
    .superRefine((skip, ctx) => {
      skip.forEach((entry, i) => {
        const [from, to] = typeof entry === 'string' ? entry.split('..') : [];
        if (from && to && from > to) ctx.addIssue({ code: 'custom', path: [i], message: `日期范围反了：结束日期 ${to} 早于开始日期 ${from}` });
      });
    })
    .default([]),
  /** 调休: a weekend date that follows another weekday's schedule. */
  workdays: z.array(z.strictObject({ date: localDateString, as: weekdaySchema, name: z.string().optional() })).default([]),
});

export const quietHoursSchema = z.strictObject({
  start: hhmm,
  end: hhmm,
  /** What happens to a non-urgent message due inside quiet hours. */
  policy: z.enum(['hold', 'drop']).default('hold'),
});

export const staffSchema = z.strictObject({
  name: z.string().min(1),
  role: z.enum(['assistant', 'head_teacher', 'coordinator']).default('assistant'),
  /** Platform user ids: Lark open_id, DingTalk staffId, WeChat contact id, console name. */
  ids: z.partialRecord(platform, z.string().min(1)),
});

export const faqSchema = z.strictObject({
  /** Shown in the staff help and reports. */
  q: z.string().min(1),
  /** The entry matches when the message contains any of these words… */
  keywords: z.array(z.string().min(1)).default([]),
  /** …or matches this regular expression. */
  pattern: patternSchema.optional(),
  /** Questions parents ask for this entry in their own words: matched by meaning, like `q` (see src/features/faq/). */
  examples: z.array(z.string().min(1)).default([]),
  answer: z.string().min(1),
});

const confidence = z.number().min(0, { message: '应在 0 到 1 之间' }).max(1, { message: '应在 0 到 1 之间' });

/** How sure FAQ matching by meaning must be: above answer_above it answers; above confirm_above it answers and asks staff to confirm. */
export const faqMatchSchema = z
  .strictObject({ answer_above: confidence.default(0.5), confirm_above: confidence.default(0.3) })
  .refine((m) => m.confirm_above <= m.answer_above, { message: 'confirm_above 不能大于 answer_above', path: ['confirm_above'] });

/** Groups without a key are 'class', 'group2', 'group3'… in file order. */
export function defaultGroupKey(key: string | undefined, index: number): string {
  return key ?? (index === 0 ? 'class' : `group${index + 1}`);
}

export const playbookSchema = z
  .strictObject({
    /** Defaults to the file name without extension. */
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: '只能用字母、数字、_ 和 -' }).optional(),
    name: z.string().min(1),
    timezone: z.string().refine(isValidTimezone, { message: '不认识的时区，例如 Asia/Shanghai' }).default('Asia/Shanghai'),
    groups: z.array(groupSchema).min(1, { message: '至少配置一个班级群' }),
    staff_group: groupSchema.optional(),
    staff: z.array(staffSchema).default([]),
    /** Assistant named in templates ({assistant}); defaults to the first staff member with role assistant. */
    assistant: z.string().optional(),
    faq: z.array(faqSchema).default([]),
    faq_match: faqMatchSchema.default({ answer_above: 0.5, confirm_above: 0.3 }),
    quiet_hours: quietHoursSchema.optional(),
    calendar: calendarSchema.default({ skip: [], workdays: [] }),
    /** How long message texts are kept; rows (and so counts and reports) stay. */
    retention: z
      .strictObject({ message_text_days: z.number().int().min(1, { message: '至少保留 1 天' }).default(180) })
      .default({ message_text_days: 180 }),
    /** Overrides of the bot's texts, by key (see playbooks/README.md for the keys). */
    messages: z.record(z.string(), z.string()).default({}),
    detector: detectorSettingsSchema.default({ sensitivity: 'balanced', extra_terms: [] }),
    followups: followupsSchema,
    checkin: checkinSchema.default([]),
    reminders: remindersSchema.default([]),
    homework: homeworkSchema.default({}),
    reports: reportsSchema.optional(),
    /** Policy rules (data/policy/rules.yaml) this class keeps on purpose: `classbot check` stops warning about them. */
    policy_ack: z.array(z.enum(POLICY_RULE_IDS)).default([]),
  })
  .superRefine((pb, ctx) => {
    const keys = new Set<string>();
    pb.groups.forEach((g, i) => {
      const key = defaultGroupKey(g.key, i);
      if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'key'], message: `群的 key "${key}" 重复了` });
      keys.add(key);
    });
    refineFollowups(pb.staff, pb.followups, ctx);
    refineCheckinGroups(pb.checkin, keys, ctx);
    refineReminders(pb.reminders, pb.staff_group ? new Set([...keys, 'staff']) : keys, pb.checkin.map((g) => g.id), Object.keys(pb.homework).length > 0, ctx);
    refineReports(pb.reports, pb.staff_group !== undefined, ctx);
  });

export type PlaybookInput = z.input<typeof playbookSchema>;
export type PlaybookData = z.output<typeof playbookSchema>;
export type GroupConfig = z.output<typeof groupSchema> & { key: string };
export type StaffConfig = z.output<typeof staffSchema>;
export type FaqEntry = z.output<typeof faqSchema>;
