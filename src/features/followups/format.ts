/** How follow-ups read to staff: alerts, list lines, details. All texts come from the playbook. */
import type { OutboundAction } from '../../model.js';
import { groupByKey, text, type Playbook } from '../../playbook/playbook.js';
import { formatHHMM, localParts } from '../../time.js';
import type { Followup, FollowupEvent } from './repo.js';
import { CATEGORIES, type Category } from './schema.js';
import { whyText } from './why.js';

/** 'HH:MM' on the same local day as `now`, else 'M月D日 HH:MM'. */
export function formatWhen(pb: Playbook, ms: number, now: number): string {
  return whenFormat(pb, now)(ms);
}

/** formatWhen for several times against one `now`, whose local date is worked out once. */
function whenFormat(pb: Playbook, now: number): (ms: number) => string {
  const today = localParts(now, pb.timezone).date;
  return (ms) => {
    const p = localParts(ms, pb.timezone);
    const time = formatHHMM(p.minuteOfDay);
    return p.date === today ? time : `${p.month}月${p.day}日 ${time}`;
  };
}

export const categoryLabel = (pb: Playbook, c: string) => text(pb, `followup_category_${c}`);
export const severityLabel = (pb: Playbook, s: string) => text(pb, `followup_severity_${s}`);
export const statusLabel = (pb: Playbook, s: string) => text(pb, `followup_status_${s}`);

/** A category from what staff typed: its key (complaint) or its label (投诉). */
export function parseCategory(pb: Playbook, word: string): Category | null {
  const w = word.trim().toLowerCase();
  return CATEGORIES.find((c) => c === w || categoryLabel(pb, c) === word.trim()) ?? null;
}

export function groupLabel(pb: Playbook, f: Followup): string {
  const g = f.groupKey ? groupByKey(pb, f.groupKey) : undefined;
  return g?.name ?? text(pb, 'followup_group_direct');
}

/** A message quoted on one line, cut to a readable length. */
export function quote(s: string | null, max = 200): string {
  const one = (s ?? '').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** Placeholders every follow-up text may use. */
export function followupVars(pb: Playbook, f: Followup, now: number, when = whenFormat(pb, now)) {
  return {
    id: f.id,
    category: categoryLabel(pb, f.category),
    severity: severityLabel(pb, f.severity),
    status: statusLabel(pb, f.status),
    parent: f.memberName,
    group: groupLabel(pb, f),
    message: quote(f.message),
    assignee: f.assignee ?? '—',
    respond_by: when(f.respondBy),
    resolve_by: when(f.resolveBy),
  };
}

/** The detector's reasons for a case, in one plain sentence; empty for cases staff opened. */
export const whyOf = (pb: Playbook, f: Followup): string => whyText(pb, reasonsOf(f), f.category);

/** The detector's reason tags stored with a case (none for cases staff opened). */
const reasonsOf = (f: Followup): string[] => (f.reasons ? (JSON.parse(f.reasons) as string[]) : []);

/** Drops the lines a placeholder left empty (no context, no rating…). */
const compact = (s: string) => s.split('\n').filter((l) => l.trim() !== '').join('\n');

export function alertText(pb: Playbook, f: Followup, context: { text: string; at: number }[], now: number): string {
  const when = whenFormat(pb, now);
  const lines = context.map((c) => `· ${when(c.at)} ${quote(c.text, 120)}`);
  return compact(
    text(pb, 'followup_alert', {
      ...followupVars(pb, f, now, when),
      icon: f.category === 'safety' ? '🚨' : '🔔',
      why: whyOf(pb, f),
      context: lines.length ? [text(pb, 'followup_context_header'), ...lines].join('\n') : '',
    }),
  );
}

/** Buttons on an alert; each runs the staff command it shows. */
/** The buttons that still apply: claim while open; none once closed. */
export function alertActions(pb: Playbook, f: Followup): OutboundAction[] {
  if (f.status === 'resolved' || f.status === 'dismissed') return [];
  return [
    ...(f.status === 'open' ? [{ label: text(pb, 'followup_button_claim'), command: `/认领 ${f.id}` }] : []),
    { label: text(pb, 'followup_button_resolve'), command: `/解决 ${f.id}` },
    { label: text(pb, 'followup_button_dismiss'), command: `/误报 ${f.id}` },
  ];
}

/** The deadline that matters now: to claim while open, then to resolve. */
export const currentDeadline = (f: Followup) => (f.status === 'open' ? f.respondBy : f.resolveBy);

/** A list line; a closed follow-up (list --all) says when it closed: its deadlines no longer apply. */
export function listItem(pb: Playbook, f: Followup, now: number): string {
  const deadline = currentDeadline(f);
  const time = formatWhen(pb, deadline, now);
  const due =
    f.resolvedAt !== null && (f.status === 'resolved' || f.status === 'dismissed')
      ? text(pb, 'followup_closed_at', { time: formatWhen(pb, f.resolvedAt, now) })
      : deadline < now
        ? text(pb, 'followup_overdue', { time })
        : text(pb, f.status === 'open' ? 'followup_due_claim' : 'followup_due_resolve', { time });
  return text(pb, 'followup_list_item', { ...followupVars(pb, f, now), due });
}

/** One line of the record; `last` and `times` for a run of the same event (a ladder repeating at the top). */
export function eventLine(pb: Playbook, e: FollowupEvent, now: number, run?: { last: number; times: number }): string {
  const actor = e.actor === 'system' ? text(pb, 'followup_actor_system') : e.actor;
  const when = run ? `${formatWhen(pb, e.at, now)}–${formatWhen(pb, run.last, now)}` : formatWhen(pb, e.at, now);
  const action = text(pb, `followup_event_${e.action}`) + (run ? text(pb, 'followup_event_times', { times: run.times }) : '');
  return `· ${when} ${actor} ${action}${e.detail ? `：${quote(e.detail, 120)}` : ''}`;
}

/** Record lines, consecutive identical events (same actor, action and detail) on one line. */
function eventLines(pb: Playbook, events: FollowupEvent[], now: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < events.length; ) {
    const e = events[i]!;
    let j = i + 1;
    while (j < events.length && events[j]!.actor === e.actor && events[j]!.action === e.action && events[j]!.detail === e.detail) j++;
    lines.push(eventLine(pb, e, now, j - i > 1 ? { last: events[j - 1]!.at, times: j - i } : undefined));
    i = j;
  }
  return lines;
}

/** Marks a value left empty, so that its whole labelled line (`评价：`) is dropped, in overridden templates too. */
const EMPTY = '\u0000';

export function showText(pb: Playbook, f: Followup, events: FollowupEvent[], now: number): string {
  const reasons = reasonsOf(f);
  // The opening event's detail is the detector's raw tags (kept for tuning): the 原因 line says them plainly.
  const shown = reasons.length ? events.map((e) => (e.action === 'opened' ? { ...e, detail: null } : e)) : events;
  const rendered = text(pb, 'followup_show', {
    ...followupVars(pb, f, now),
    rating: f.rating !== null ? `${f.rating}/5` : f.ratingAskedAt !== null ? text(pb, 'followup_unrated') : EMPTY,
    why: whyText(pb, reasons, f.category) || EMPTY,
    events: eventLines(pb, shown, now).join('\n'),
  });
  return compact(rendered.split('\n').filter((l) => !l.includes(EMPTY)).join('\n'));
}
