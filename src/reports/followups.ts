/**
 * Follow-up work in a report period. Each figure counts what happened in the period (opened,
 * claimed, resolved… by the time of that step), read through the time indexes: the follow-ups
 * with an audit event in the period, plus those opened early enough for a deadline to fall in it.
 *
 * The first response is the first human action on a follow-up (claim, visible answer, or closing
 * it): the respond deadline is what escalation measures, and a claim stops escalation.
 */
import type { Statement } from 'better-sqlite3';
import type { Playbook } from '../playbook/playbook.js';
import { followupSettings } from '../features/followups/settings.js';
import type { Followup, Status } from '../features/followups/repo.js';
import type { Store } from '../store/db.js';
import { distribution, mean, type Distribution } from './stats.js';

export type FollowupRow = Pick<
  Followup,
  'id' | 'playbookId' | 'groupId' | 'memberId' | 'category' | 'status' | 'assignee' | 'openedAt' | 'claimedAt' | 'firstResponseAt' | 'resolvedAt' | 'respondBy' | 'resolveBy' | 'rating' | 'ratedAt'
>;

/** One follow-up as the report sees it; the booleans say what happened within the period. */
export interface FollowupItem {
  id: number;
  category: string;
  memberId: number;
  /** The parent's name (or pseudonym). */
  member: string;
  assignee: string | null;
  openedAt: number;
  /** Status at the end of the period. */
  status: Status;
  opened: boolean;
  claimed: boolean;
  resolved: boolean;
  dismissed: boolean;
  /** Minutes from opening to the first response, when that response fell in the period. */
  firstResponseMinutes: number | null;
  /** Minutes from opening to resolution, when it was resolved in the period. */
  resolutionMinutes: number | null;
  respondDeadlineMinutes: number;
  resolveDeadlineMinutes: number;
  /** The respond (resolve) deadline fell in the period and was missed. */
  respondBreach: boolean;
  resolveBreach: boolean;
  /** The parent's rating, when given in the period. */
  rating: number | null;
  /** Escalation steps in the period: re-alerts while unclaimed, and whether the missed resolve deadline was announced. */
  realerts: number;
  overdueAnnounced: boolean;
}

/** The escalation events of one follow-up ('escalated', 'resolve_overdue'), as the report counts them. */
export interface EscalationStep {
  action: string;
  at: number;
}

export interface FollowupFigures {
  /** A category, or '*' for all of them. */
  category: string;
  /** Follow-ups with something in the period. */
  cases: number;
  opened: number;
  claimed: number;
  resolved: number;
  dismissed: number;
  /** Minutes. */
  firstResponse: Distribution;
  /** Minutes. */
  resolution: Distribution;
  /** The category's respond deadline in minutes (the median where playbooks differ); null for all categories. */
  respondDeadline: number | null;
  respondBreaches: number;
  resolveBreaches: number;
  ratings: number;
  averageRating: number | null;
  /** Re-alerts sent, and follow-ups whose missed resolve deadline was announced. */
  realerts: number;
  overdueAnnouncements: number;
}

export interface Followups {
  overall: FollowupFigures;
  byCategory: FollowupFigures[];
  /** Per person in charge (the follow-up's current one), by name; null: nobody. */
  byAssignee: (FollowupFigures & { assignee: string | null })[];
  /** Follow-ups with something in the period, oldest first. */
  items: FollowupItem[];
}

const MINUTE = 60_000;
const COLUMNS = `id, playbook_id AS playbookId, group_id AS groupId, member_id AS memberId, category, status, assignee, opened_at AS openedAt,
  claimed_at AS claimedAt, first_response_at AS firstResponseAt, resolved_at AS resolvedAt, respond_by AS respondBy, resolve_by AS resolveBy,
  rating, rated_at AS ratedAt`;

export class FollowupQueries {
  private readonly touched: Statement;
  private readonly open: Statement;
  private readonly escalations: Statement;
  private readonly statuses: Statement;

  constructor(store: Store) {
    const db = store.sqlite;
    this.touched = db.prepare(
      `SELECT ${COLUMNS} FROM followups WHERE id IN (
         SELECT followup_id FROM followup_events WHERE at >= @start AND at < @end
         UNION SELECT id FROM followups WHERE opened_at >= @openedFrom AND opened_at < @end)`,
    );
    this.escalations = db.prepare(
      `SELECT followup_id AS followupId, action, at FROM followup_events WHERE at >= ? AND at < ? AND action IN ('escalated', 'resolve_overdue')`,
    );
    // The audit trail records the status after every step, so it tells the status at any moment.
    this.statuses = db.prepare(
      `SELECT e.followup_id AS id, e.status FROM followup_events e
       WHERE e.followup_id IN (SELECT value FROM json_each(@ids))
         AND e.id = (SELECT MAX(x.id) FROM followup_events x WHERE x.followup_id = e.followup_id AND x.at < @end)`,
    );
    this.open = db.prepare(`SELECT ${COLUMNS} FROM followups WHERE playbook_id = ? AND status IN ('open', 'claimed') AND opened_at < ?`);
  }

  /**
   * Follow-ups of any playbook that changed in [start, end), or whose deadline may fall in it
   * (opened within the longest resolve deadline of the given playbooks before `start`).
   */
  changedBetween(start: number, end: number, playbooks: Playbook[]): FollowupRow[] {
    const lookback = Math.max(0, ...playbooks.flatMap((pb) => Object.values(followupSettings(pb).categories).map((c) => c.resolveMs)));
    return this.touched.all({ start, end, openedFrom: start - lookback }) as FollowupRow[];
  }

  /** Each follow-up's escalation steps in [start, end). */
  escalationsBetween(start: number, end: number): Map<number, EscalationStep[]> {
    const steps = new Map<number, EscalationStep[]>();
    for (const e of this.escalations.all(start, end) as (EscalationStep & { followupId: number })[]) {
      const list = steps.get(e.followupId) ?? [];
      list.push({ action: e.action, at: e.at });
      steps.set(e.followupId, list);
    }
    return steps;
  }

  /** Each follow-up's status at `end` (before it: the last step's), from the audit trail; missing when opened later. */
  statusesAt(ids: number[], end: number): Map<number, Status> {
    if (ids.length === 0) return new Map();
    const rows = this.statuses.all({ ids: JSON.stringify([...new Set(ids)]), end }) as { id: number; status: Status }[];
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /** Follow-ups of a playbook still open or claimed at `end`: open now, or closed only later (among `changed`). */
  openAt(playbookId: string, end: number, changed: FollowupRow[]): FollowupRow[] {
    const rows = new Map((this.open.all(playbookId, end) as FollowupRow[]).map((f) => [f.id, f]));
    for (const f of changed) {
      if (f.playbookId === playbookId && f.openedAt < end && f.resolvedAt !== null && f.resolvedAt >= end) rows.set(f.id, f);
    }
    return [...rows.values()].sort((a, b) => a.openedAt - b.openedAt);
  }
}

/** A safety follow-up still open or claimed (at the end of the period): the one case nobody may miss. */
export const isOpenSafety = (f: { category: string; status: string }) => f.category === 'safety' && (f.status === 'open' || f.status === 'claimed');

const within = (t: number | null, start: number, end: number): t is number => t !== null && t >= start && t < end;

/** The first human action on the follow-up, if any. */
function firstResponseAt(f: FollowupRow): number | null {
  const times = [f.claimedAt, f.firstResponseAt, f.resolvedAt].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

/**
 * The report's view of a follow-up in [start, end), as it stood at `end` (`status`: its status
 * then, from the audit trail), however it changed since; null when nothing about it falls in the period.
 */
export function followupItem(
  f: FollowupRow,
  status: Status,
  member: string,
  assignee: string | null,
  steps: readonly EscalationStep[],
  start: number,
  end: number,
  now: number,
): FollowupItem | null {
  const stepsIn = steps.filter((e) => within(e.at, start, end));
  const responded = firstResponseAt(f);
  const closed = status === 'resolved' || status === 'dismissed';
  // A deadline is missed once it has passed (by the end of the period, or by now for a period in progress).
  const passed = (deadline: number) => within(deadline, start, end) && deadline <= now;
  const item: FollowupItem = {
    id: f.id,
    category: f.category,
    memberId: f.memberId,
    member,
    assignee,
    openedAt: f.openedAt,
    status,
    opened: within(f.openedAt, start, end),
    claimed: within(f.claimedAt, start, end),
    resolved: f.status === 'resolved' && within(f.resolvedAt, start, end),
    dismissed: f.status === 'dismissed' && within(f.resolvedAt, start, end),
    firstResponseMinutes: within(responded, start, end) ? (responded - f.openedAt) / MINUTE : null,
    resolutionMinutes: f.status === 'resolved' && within(f.resolvedAt, start, end) ? (f.resolvedAt - f.openedAt) / MINUTE : null,
    respondDeadlineMinutes: (f.respondBy - f.openedAt) / MINUTE,
    resolveDeadlineMinutes: (f.resolveBy - f.openedAt) / MINUTE,
    respondBreach: passed(f.respondBy) && (responded === null || responded > f.respondBy),
    // A dismissed follow-up (false alarm) has nothing left to resolve.
    // Judged at the end of the period: a dismissal after it does not undo a deadline missed in it.
    resolveBreach: passed(f.resolveBy) && status !== 'dismissed' && (!closed || f.resolvedAt! > f.resolveBy),
    rating: within(f.ratedAt, start, end) ? f.rating : null,
    realerts: stepsIn.filter((e) => e.action === 'escalated').length,
    overdueAnnounced: stepsIn.some((e) => e.action === 'resolve_overdue'),
  };
  const happened =
    item.opened || item.claimed || item.resolved || item.dismissed || item.firstResponseMinutes !== null || item.respondBreach || item.resolveBreach ||
    item.rating !== null || item.realerts > 0 || item.overdueAnnounced;
  return happened ? item : null;
}

function followupFigures(items: FollowupItem[], category: string): FollowupFigures {
  const count = (p: (i: FollowupItem) => boolean) => items.filter(p).length;
  const values = (f: (i: FollowupItem) => number | null) => items.map(f).filter((v): v is number => v !== null);
  const ratings = values((i) => i.rating);
  return {
    category,
    cases: items.length,
    opened: count((i) => i.opened),
    claimed: count((i) => i.claimed),
    resolved: count((i) => i.resolved),
    dismissed: count((i) => i.dismissed),
    firstResponse: distribution(values((i) => i.firstResponseMinutes)),
    resolution: distribution(values((i) => i.resolutionMinutes)),
    respondDeadline: distribution(items.map((i) => i.respondDeadlineMinutes)).median,
    respondBreaches: count((i) => i.respondBreach),
    resolveBreaches: count((i) => i.resolveBreach),
    ratings: ratings.length,
    averageRating: mean(ratings),
    realerts: items.reduce((n, i) => n + i.realerts, 0),
    overdueAnnouncements: count((i) => i.overdueAnnounced),
  };
}

/** Overall and per-category figures (categories in a fixed order, then any others). */
export function summarizeFollowups(items: FollowupItem[], order: readonly string[]): Followups {
  const categories = [...new Set(items.map((i) => i.category))].sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  // A deadline is a category's; across categories a typical one would mislead.
  return {
    overall: { ...followupFigures(items, '*'), respondDeadline: null },
    byCategory: categories.map((c) => followupFigures(items.filter((i) => i.category === c), c)),
    byAssignee: [...new Set(items.map((i) => i.assignee))]
      .sort((a, b) => (a ?? '\uffff').localeCompare(b ?? '\uffff', 'zh'))
      .map((who) => ({ ...followupFigures(items.filter((i) => i.assignee === who), '*'), respondDeadline: null, assignee: who })),
    items: [...items].sort((a, b) => a.openedAt - b.openedAt || a.id - b.id),
  };
}

const rank = (order: readonly string[], c: string) => (order.indexOf(c) < 0 ? order.length : order.indexOf(c));
