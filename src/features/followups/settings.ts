import { quietHoursEnd } from '../../engine/quiet-hours.js';
import type { Playbook } from '../../playbook/playbook.js';
import type { StaffConfig } from '../../playbook/schema.js';
import { CATEGORIES, DEFAULT_DEADLINES, parseDuration, severityRank, type Category, type FollowupsConfig } from './schema.js';
import { oncePer } from '../../memo.js';
import { parseHHMM } from '../../time.js';

/** When the morning digest goes out in a playbook without quiet hours (local time). */
export const DEFAULT_DIGEST_AT = '08:00';

export interface CategorySettings {
  respondMs: number;
  resolveMs: number;
  reply: boolean;
}

/** A playbook's follow-up settings, compiled once per Playbook object. */
export interface FollowupSettings {
  alert: FollowupsConfig['alert'];
  /** Assistant → head teacher → coordinator (or the playbook's own order). */
  chain: StaffConfig[];
  /** Who a new follow-up is assigned to. */
  assignee: StaffConfig | null;
  /** Categories re-alerted at the top of the chain every further respond window until claimed. */
  repeats: (category: string) => boolean;
  /** Alerts of this category go out with urgent delivery to the people they @. */
  urgentDelivery: (category: string) => boolean;
  /** Local minute of day of the morning digest to the staff group; null: none. */
  digestMinute: number | null;
  minSeverity: number;
  unansweredQuestions: boolean;
  categories: Record<Category, CategorySettings>;
}

const ROLE_ORDER = ['assistant', 'head_teacher', 'coordinator'] as const;

export const followupSettings = oncePer((pb: Playbook): FollowupSettings => {
  const c = pb.data.followups;
  const byRole = ROLE_ORDER.flatMap((role) => pb.staff.filter((st) => st.role === role));
  const chain = c.escalation ? c.escalation.map((name) => pb.staff.find((st) => st.name === name)).filter((st): st is StaffConfig => st !== undefined) : byRole;
  const categories = Object.fromEntries(
    CATEGORIES.map((cat) => {
      const own = c.categories[cat];
      return [cat, {
        respondMs: own?.respond ?? parseDuration(DEFAULT_DEADLINES[cat].respond)!,
        resolveMs: own?.resolve ?? parseDuration(DEFAULT_DEADLINES[cat].resolve)!,
        reply: own?.reply ?? true,
      }];
    }),
  ) as Record<Category, CategorySettings>;
  // The digest comes when quiet hours end: the first moment staff may be @-ed about the night.
  const digestAt = c.digest === false ? null : c.digest === true ? (pb.data.quiet_hours?.end ?? DEFAULT_DIGEST_AT) : c.digest;
  return {
    alert: c.alert,
    chain,
    repeats: (category) => c.escalation_repeat === 'all' || (c.escalation_repeat === 'safety' && category === 'safety'),
    urgentDelivery: (category) => (c.urgent_delivery as string[]).includes(category),
    digestMinute: digestAt === null ? null : parseHHMM(digestAt),
    assignee: pb.staff.find((st) => st.name === pb.assistantName) ?? chain[0] ?? pb.staff[0] ?? null,
    minSeverity: severityRank(c.min_severity),
    unansweredQuestions: c.unanswered_questions,
    categories,
  };
});

/**
 * The first instant at or after `at` outside the playbook's quiet hours: when non-urgent
 * escalations may @ someone. Holds even under policy `drop`, which is about families, not staff.
 */
export function afterQuietHours(pb: Playbook, at: number): number {
  return quietHoursEnd(pb, at) ?? at;
}
