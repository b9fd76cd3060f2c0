/**
 * The playbook's `followups:` block: where alerts go, who is escalated to, and per category the
 * respond / resolve deadlines and whether the class group gets an acknowledgement.
 */
import { z } from 'zod';
import { DAY, HOUR, parseHHMM } from '../../time.js';

/** Worry labels that open a follow-up, plus 'question' (a question to the bot no FAQ entry answered). */
export const CATEGORIES = ['safety', 'refund', 'complaint', 'wellbeing', 'academic', 'question'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const severityRank = (s: string): number => SEVERITIES.indexOf(s as Severity);

const UNITS: Record<string, number> = { m: 60_000, h: HOUR, d: DAY };

/** '10m', '2h', '1d' → milliseconds, or null when malformed. */
export function parseDuration(s: string): number | null {
  const m = /^\s*(\d+)\s*([mhd])\s*$/i.exec(s);
  const n = m ? Number(m[1]) : 0;
  return m && n > 0 ? n * UNITS[m[2]!.toLowerCase()]! : null;
}

const duration = z
  .string()
  .refine((s) => parseDuration(s) !== null, { message: '时长格式应为 数字+单位，例如 10m（分钟）、2h（小时）、1d（天）' })
  .transform((s) => parseDuration(s)!);

/** Defaults from the online-school service table (DESIGN.md): respond / resolve. */
export const DEFAULT_DEADLINES: Record<Category, { respond: string; resolve: string }> = {
  safety: { respond: '10m', resolve: '2h' },
  complaint: { respond: '30m', resolve: '48h' },
  refund: { respond: '30m', resolve: '48h' },
  academic: { respond: '15m', resolve: '24h' },
  wellbeing: { respond: '15m', resolve: '24h' },
  question: { respond: '15m', resolve: '24h' },
};

const categorySchema = z.strictObject({
  /** Time to claim before the next person in the escalation chain is alerted. */
  respond: duration.optional(),
  /** Time to resolve. */
  resolve: duration.optional(),
  /** Whether the class group gets the acknowledgement (texts: followup_ack_<category>). */
  reply: z.boolean().default(true),
});

export const followupsSchema = z
  .strictObject({
    /** staff_group: the staff group (or DMs to all staff without one); assignee: DM to the person concerned; both. */
    alert: z.enum(['staff_group', 'assignee', 'both']).default('staff_group'),
    /** Staff names, first to last; default: assistants, then head teachers, then coordinators. */
    escalation: z.array(z.string().min(1)).optional(),
    /** Who is re-alerted at the top of the chain every further respond window until claimed: safety (default), all, none. */
    escalation_repeat: z.enum(['safety', 'all', 'none']).default('safety'),
    /**
     * Categories whose alerts also reach the people they @ beyond the chat (Lark urgent message,
     * DingTalk DING to the app), so a night alert about a child's safety wakes someone.
     */
    urgent_delivery: z.array(z.enum(CATEGORIES)).default(['safety']),
    /** The morning digest to the staff group: true (at the end of quiet hours, else 08:00), a time "HH:MM", or false. */
    digest: z
      .union([z.boolean(), z.string().refine((s) => parseHHMM(s) !== null, { message: '时间格式应为 HH:MM，例如 08:00' })])
      .default(true),
    /** Detector verdicts below this severity do not open a follow-up. */
    min_severity: z.enum(['low', 'medium', 'high', 'urgent']).default('low'),
    /** Open a follow-up for questions to the bot that no FAQ entry answers. */
    unanswered_questions: z.boolean().default(true),
    categories: z.partialRecord(z.enum(CATEGORIES), categorySchema).default({}),
  })
  .default({ alert: 'staff_group', escalation_repeat: 'safety', urgent_delivery: ['safety'], digest: true, min_severity: 'low', unanswered_questions: true, categories: {} });

export type FollowupsConfig = z.output<typeof followupsSchema>;

/** Escalation names must be staff of the playbook (checked with the whole playbook in view). */
export function refineFollowups(staff: { name: string }[], followups: FollowupsConfig, ctx: z.RefinementCtx): void {
  followups.escalation?.forEach((name, i) => {
    if (!staff.some((s) => s.name === name)) {
      ctx.addIssue({ code: 'custom', path: ['followups', 'escalation', i], message: `“${name}”不在 staff 名单里` });
    }
  });
}
