/**
 * What can happen to a follow-up: open, claim, note, resolve, dismiss, reassign, escalate, rate.
 * Each writes the row and its audit event and queues the messages it causes, inside the caller's
 * transaction. Chat commands and the CLI both call these, after checking who may act.
 */
import type { Services } from '../../engine/feature.js';
import type { SendOptions } from '../../engine/messenger.js';
import type { MemberRef, Platform } from '../../model.js';
import { groupByKey, text, type Playbook } from '../../playbook/playbook.js';
import type { StaffConfig } from '../../playbook/schema.js';
import { alertActions, alertText, followupVars, whyOf } from './format.js';
import { followupRepo, type Followup, type Source } from './repo.js';
import { severityRank, type Category, type Severity } from './schema.js';
import { afterQuietHours, followupSettings } from './settings.js';

export const SYSTEM = 'system';

export interface OpenInput {
  pb: Playbook;
  platform: Platform;
  groupRowId: number | null;
  member: { memberId: number; userId: string; name: string };
  messageId: number | null;
  message: string;
  category: Category;
  severity: Severity;
  source: Source;
  score?: number;
  reasons?: string[];
  /** Who opened it: 'system' for the detector and unanswered questions, else the staff name. */
  actor: string;
  /** The parent's previous messages, shown in the alert. */
  context: { text: string; at: number }[];
  now: number;
}

export type Outcome =
  | { ok: true; f: Followup }
  | { ok: false; reason: 'closed' | 'claimed_by_other'; f: Followup };

const isClosed = (f: Followup) => f.status === 'resolved' || f.status === 'dismissed';

/** Staff members as mentions on `platform` (those with an id there). */
function mentionsOf(people: StaffConfig[], platform: Platform): MemberRef[] {
  return people.flatMap((s) => (s.ids[platform] ? [{ id: s.ids[platform]!, name: s.name }] : []));
}

/**
 * To the staff group (or every staff member without one), and/or directly to `people`, as the
 * playbook's `followups.alert` says.
 */
function alertStaff(services: Services, pb: Playbook, f: Followup, body: string, people: StaffConfig[], opts: Omit<SendOptions, 'mentions'>): void {
  const { alert, urgentDelivery } = followupSettings(pb);
  const urgent = urgentDelivery(f.category);
  if (alert !== 'assignee') {
    const platform = pb.staffGroup?.platform ?? f.platform;
    const mentions = mentionsOf(people, platform);
    services.messenger.toStaff(pb, body, { ...opts, mentions, ...(urgent ? { urgentTo: mentions } : {}) });
  }
  if (alert !== 'staff_group') {
    for (const s of people) {
      const id = s.ids[f.platform];
      if (!id) continue;
      services.messenger.toMember(pb, f.platform, id, body, { ...opts, key: `${opts.key}:dm:${s.name}`, ...(urgent ? { urgentTo: [{ id, name: s.name }] } : {}) });
    }
  }
}

/**
 * The parent recalled the message that opened a follow-up: staff are told (the worry may have
 * passed, or the parent regrets saying it in public); the case stays open for a human to judge.
 */
export function noteRecall(services: Services, pb: Playbook, messageId: number, now: number): void {
  const repo = followupRepo(services.store);
  for (const open of repo.openedBy(messageId)) {
    const f = repo.change(open, {}, now, SYSTEM, 'recalled');
    alertStaff(services, pb, f, text(pb, 'followup_recalled', followupVars(pb, f, now)), [], {
      key: `followup:${f.id}:recalled`,
      cause: 'followup',
    });
  }
}

/** 李老师、王老师 */
const namesOf = (people: StaffConfig[]) => people.map((s) => s.name).join('、');

const staffNamed = (pb: Playbook, name: string | null) => (name ? pb.staff.find((s) => s.name === name) : undefined);

/**
 * Opens a follow-up and alerts staff. A worried parent who already has an open follow-up of the
 * same category gets no second one: the message is added to it (and raises its severity).
 */
export function openFollowup(services: Services, input: OpenInput): { f: Followup; created: boolean } {
  const { pb, now } = input;
  const repo = followupRepo(services.store);
  if (input.source === 'detector') {
    const same = repo.active(input.member.memberId, pb.id).find((f) => f.category === input.category);
    if (same) {
      const raised = severityRank(input.severity) > severityRank(same.severity);
      // A possible danger made firm by a new message (「还没到家」, then 「电话也打不通」) reaches the whole chain now, as an urgent case opened so would.
      const top = same.category === 'safety' && input.severity === 'urgent' && raised ? Math.max(followupSettings(pb).chain.length - 1, 0) : null;
      const patch = raised
        ? { severity: input.severity, ...(input.reasons?.length ? { reasons: JSON.stringify(input.reasons) } : {}), ...(top !== null ? { escalationLevel: top } : {}) }
        : {};
      const f = repo.change(same, patch, now, input.member.name, 'message', input.message);
      const vars = { ...followupVars(pb, f, now), message: input.message };
      const people = top !== null ? ladderPeople(followupSettings(pb).chain, f.category, f.escalationLevel) : [];
      alertStaff(services, pb, f, top !== null ? text(pb, 'followup_raised', { ...vars, why: whyOf(pb, f) }) : text(pb, 'followup_update', vars), people, {
        key: `followup:${f.id}:msg:${input.messageId ?? now}`,
        cause: 'followup',
        urgent: f.category === 'safety',
        ...(top !== null ? { actions: alertActions(pb, f) } : {}),
      });
      return { f, created: false };
    }
  }
  const settings = followupSettings(pb);
  const cat = settings.categories[input.category];
  const safety = input.category === 'safety';
  // Outside quiet hours the clock starts now; a worry written at night is due soon after they end.
  const respondBy = (safety ? now : afterQuietHours(pb, now)) + cat.respondMs;
  const f = repo.insert(
    {
      playbookId: pb.id,
      platform: input.platform,
      groupId: input.groupRowId,
      memberId: input.member.memberId,
      messageId: input.messageId,
      message: input.message,
      category: input.category,
      severity: input.severity,
      source: input.source,
      assignee: settings.assignee?.name ?? null,
      score: input.score ?? null,
      reasons: input.reasons?.length ? JSON.stringify(input.reasons) : null,
      openedAt: now,
      respondBy,
      resolveBy: now + cat.resolveMs,
      // An urgent safety case starts at the top of the chain; the ladder then repeats there.
      escalationLevel: safety && input.severity === 'urgent' ? Math.max(settings.chain.length - 1, 0) : 0,
      escalateAt: respondBy,
    },
    input.actor,
    input.source === 'detector' ? (input.reasons ?? []).join(' ') || null : null,
  );
  const people = safety ? ladderPeople(settings.chain, f.category, f.escalationLevel) : settings.assignee ? [settings.assignee] : [];
  alertStaff(services, pb, f, alertText(pb, f, input.context, now), people, {
    key: `followup:${f.id}:alert`,
    cause: 'followup',
    actions: alertActions(pb, f),
    urgent: safety,
  });
  return { f, created: true };
}

export function claim(services: Services, pb: Playbook, f: Followup, actor: StaffConfig, now: number): Outcome {
  if (isClosed(f)) return { ok: false, reason: 'closed', f };
  if (f.status === 'claimed') return f.assignee === actor.name ? { ok: true, f } : { ok: false, reason: 'claimed_by_other', f };
  const repo = followupRepo(services.store);
  return { ok: true, f: repo.change(f, { status: 'claimed', assignee: actor.name, claimedAt: now, escalateAt: null }, now, actor.name, 'claimed') };
}

export function note(services: Services, f: Followup, actor: StaffConfig, body: string, now: number): Outcome {
  return { ok: true, f: followupRepo(services.store).change(f, {}, now, actor.name, 'noted', body) };
}

/**
 * Categories whose parents are never @-ed about them in the class group (the rating request goes
 * by direct message or not at all), nor @-ed by the class reminders while one is open.
 */
export const SENSITIVE: ReadonlySet<string> = new Set<Category>(['safety', 'wellbeing']);

/** Platform user ids of the playbook's parents with an open sensitive case: reminders do not @ them. */
export function parentsWithSensitiveCase(services: Services, pb: Playbook, platform: Platform): Set<string> {
  return new Set(followupRepo(services.store).activeUserIds(pb.id, platform, [...SENSITIVE]));
}

/**
 * Resolves and asks the parent to rate the help: directly where they talk to the bot, else with
 * an @ in the group, except for a sensitive case, which then goes unrated.
 */
export function resolve(services: Services, pb: Playbook, f: Followup, actor: StaffConfig, body: string | null, now: number): Outcome {
  if (isClosed(f)) return { ok: false, reason: 'closed', f };
  const repo = followupRepo(services.store);
  let r = repo.change(
    f,
    {
      status: 'resolved',
      resolvedAt: now,
      claimedAt: f.claimedAt ?? now,
      firstResponseAt: f.firstResponseAt ?? now,
      assignee: f.status === 'open' ? actor.name : f.assignee,
      escalateAt: null,
    },
    now,
    actor.name,
    'resolved',
    body,
  );
  const ask = text(pb, 'followup_rating_ask', { name: r.memberName, assistant: r.assignee ?? pb.assistantName });
  const opts = { key: `followup:${r.id}:rating`, cause: 'followup', quiet: true } as const;
  const group = r.groupKey ? groupByKey(pb, r.groupKey) : undefined;
  const direct = !group || repo.hasDirectChat(r.memberId);
  if (!direct && SENSITIVE.has(r.category)) return { ok: true, f: repo.change(r, {}, now, SYSTEM, 'rating_skipped') };
  const sent = direct
    ? services.messenger.toMember(pb, r.platform, r.memberUserId, ask, opts)
    : services.messenger.toGroup(pb, group, ask, { ...opts, mentions: [{ id: r.memberUserId, name: r.memberName }] });
  if (sent !== 'dropped' && sent !== 'no-target') r = repo.change(r, { ratingAskedAt: now }, now, SYSTEM, 'rating_asked');
  return { ok: true, f: r };
}

/** The confirmation of a resolution: whether the parent was asked for a rating. */
export const resolvedText = (f: Followup) => (f.ratingAskedAt !== null ? 'followup_resolved' : 'followup_resolved_unrated');

/** A false alarm: closed, and kept (with the detector's reasons) for tuning. */
export function dismiss(services: Services, f: Followup, actor: StaffConfig, reason: string | null, now: number): Outcome {
  if (isClosed(f)) return { ok: false, reason: 'closed', f };
  return { ok: true, f: followupRepo(services.store).change(f, { status: 'dismissed', resolvedAt: now, escalateAt: null }, now, actor.name, 'dismissed', reason) };
}

/** Hands it to another staff member, who gets the alert directly. */
export function reassign(services: Services, pb: Playbook, f: Followup, actor: StaffConfig, to: StaffConfig, now: number): Outcome {
  if (isClosed(f)) return { ok: false, reason: 'closed', f };
  const r = followupRepo(services.store).change(f, { assignee: to.name }, now, actor.name, 'reassigned', `${f.assignee ?? '—'} → ${to.name}`);
  const id = to.ids[r.platform];
  if (id) services.messenger.toMember(pb, r.platform, id, alertText(pb, r, [], now), { key: `followup:${r.id}:to:${to.name}:${now}`, cause: 'followup', actions: alertActions(pb, r) });
  return { ok: true, f: r };
}

/** A staff member @-mentioned the parent in the class group: the first visible response. */
export function responded(services: Services, f: Pick<Followup, 'id' | 'status'>, actor: StaffConfig, now: number): Followup {
  return followupRepo(services.store).change(f, { firstResponseAt: now }, now, actor.name, 'responded');
}

/**
 * Who a step of the escalation ladder @s: for safety everyone reached so far (nobody drops off
 * as it climbs; an urgent case starts at the top, so the whole chain), for other categories the
 * one person at that level.
 */
function ladderPeople(chain: StaffConfig[], category: string, level: number): StaffConfig[] {
  return category === 'safety' ? chain.slice(0, level + 1) : chain.slice(level, level + 1);
}

/** Outside safety, nobody is @-ed during quiet hours: announcements wait until they end. */
const mayAlertNow = (pb: Playbook, f: Followup, now: number) => f.category === 'safety' || afterQuietHours(pb, now) <= now;

/**
 * Re-alerts unclaimed follow-ups past their respond deadline, one step up the escalation chain per
 * respond window; at the top, categories that repeat (`escalation_repeat`) are re-alerted there
 * every window until someone claims them. Each step is one 'escalated' event (detail: level and
 * who was @-ed) written with its messages in the tick's transaction, and moves `escalate_at` on:
 * after a restart the step is not sent again.
 */
export function escalateDue(services: Services, pb: Playbook, now: number): void {
  const repo = followupRepo(services.store);
  const settings = followupSettings(pb);
  const last = Math.max(settings.chain.length - 1, 0);
  for (const f of repo.due(pb.id, now)) {
    if (!mayAlertNow(pb, f, now)) {
      repo.reschedule(f.id, afterQuietHours(pb, now));
      continue;
    }
    const safety = f.category === 'safety';
    const level = Math.min(f.escalationLevel + 1, last);
    const people = ladderPeople(settings.chain, f.category, level);
    const respondMs = settings.categories[f.category as Category]?.respondMs ?? 0;
    const again = respondMs > 0 && (level < last || settings.repeats(f.category));
    const r = repo.change(
      f,
      { escalationLevel: level, escalateAt: again ? now + respondMs : null },
      now,
      SYSTEM,
      'escalated',
      text(pb, 'followup_escalated_detail', { level: level + 1, people: namesOf(people) || '—' }),
    );
    alertStaff(services, pb, r, text(pb, safety ? 'followup_escalation_safety' : 'followup_escalation', followupVars(pb, r, now)), people, {
      key: `followup:${r.id}:esc:${level}:${f.escalateAt}`,
      cause: 'followup',
      actions: alertActions(pb, r),
      urgent: safety,
    });
  }
}

/** The assignee and the next person up the escalation chain (the first of it when the assignee is not in it). */
function assigneeAndNext(pb: Playbook, f: Followup): StaffConfig[] {
  const { chain } = followupSettings(pb);
  const assignee = staffNamed(pb, f.assignee);
  const next = chain[chain.findIndex((s) => s.name === assignee?.name) + 1];
  return [assignee, next].filter((s, i, all): s is StaffConfig => s !== undefined && all.indexOf(s) === i);
}

/**
 * Announces, once per follow-up (its 'resolve_overdue' event), an open or claimed follow-up past
 * its resolve deadline, to the assignee and the next person up; outside safety, after quiet hours.
 */
export function announceOverdue(services: Services, pb: Playbook, now: number): void {
  const repo = followupRepo(services.store);
  for (const f of repo.overdueUnannounced(pb.id, now)) {
    if (!mayAlertNow(pb, f, now)) continue;
    const people = assigneeAndNext(pb, f);
    const r = repo.change(f, {}, now, SYSTEM, 'resolve_overdue', namesOf(people) || null);
    const vars = { ...followupVars(pb, r, now), people: namesOf(people) || text(pb, 'followup_actor_staff') };
    alertStaff(services, pb, r, text(pb, 'followup_resolve_overdue', vars), people, {
      key: `followup:${r.id}:resolve-overdue`,
      cause: 'followup',
      actions: alertActions(pb, r),
      urgent: r.category === 'safety',
    });
  }
}

/** A rating this low goes back to staff, since the problem may not be over, and gets its own reply. */
export const isLowRating = (rating: number) => rating <= 2;

/** Stores the parent's 1–5 rating; a low one goes back to staff. */
export function rate(services: Services, pb: Playbook, f: Followup, rating: number, now: number): Followup {
  const r = followupRepo(services.store).change(f, { rating, ratedAt: now }, now, f.memberName, 'rated', String(rating));
  if (isLowRating(rating)) {
    const assignee = staffNamed(pb, r.assignee);
    alertStaff(services, pb, r, text(pb, 'followup_rating_low', { ...followupVars(pb, r, now), rating }), assignee ? [assignee] : [], {
      key: `followup:${r.id}:low-rating`,
      cause: 'followup',
    });
  }
  return r;
}
