import type { MemberRef } from '../../model.js';
import { parseWeekdays } from '../../playbook/weekday.js';
import { text, type Playbook } from '../../playbook/playbook.js';
import type { GroupConfig } from '../../playbook/schema.js';
import { renderTemplate } from '../../template.js';
import { weekdayOf, weekdayZh } from '../../time.js';
import type { ReminderData } from './schema.js';
import { oncePer } from '../../memo.js';

/** Today's check-in numbers of the reminder's game, as the check-in feature reports them. */
export interface CheckinToday {
  count: number;
  /** Members of the group who have not checked in today, in the order to name them. */
  missing: MemberRef[];
}

export interface ReminderInput {
  /** Local date of the fire. */
  date: string;
  group: GroupConfig;
  /** Present when the reminder uses check-in numbers or mentions. */
  checkin?: CheckinToday;
}

export interface RenderedReminder {
  text: string;
  mentions: MemberRef[];
  mentionAll: boolean;
}

interface Homework {
  byDate: Map<string, string>;
  byWeekday: Map<number, string>;
}

const homeworkOf = oncePer((pb: Playbook): Homework => {
  const hw: Homework = { byDate: new Map(), byWeekday: new Map() };
  for (const [key, value] of Object.entries(pb.data.homework)) {
    if (/^\d{4}-/.test(key)) hw.byDate.set(key, value);
    else for (const d of parseWeekdays(key) ?? []) hw.byWeekday.set(d, value);
  }
  return hw;
});

/** The homework of a local date: by date first, else by the weekday whose schedule the day follows (调休). */
export function homeworkFor(pb: Playbook, date: string): string | undefined {
  const hw = homeworkOf(pb);
  return hw.byDate.get(date) ?? hw.byWeekday.get(pb.calendar.day(date).scheduleWeekday);
}

/** Up to `limit` names joined with 、, then "等N人" (N = all of them) when there are more. */
function nameList(pb: Playbook, members: MemberRef[], limit: number): string {
  if (members.length === 0) return text(pb, 'reminder_nobody_missing');
  const names = members.slice(0, limit).map((m) => m.name).join('、');
  return members.length > limit ? `${names}${text(pb, 'reminder_mention_more', { count: members.length })}` : names;
}

/** A reminder's text and mentions for one group on one day. */
export function renderReminder(pb: Playbook, r: ReminderData, input: ReminderInput): RenderedReminder {
  const { date, group, checkin } = input;
  const [, month, day] = date.split('-').map(Number);
  const body = renderTemplate(r.message, {
    date: `${month}月${day}日`,
    weekday: weekdayZh(weekdayOf(date)),
    class: pb.name,
    group: group.name,
    assistant: pb.assistantName,
    homework: homeworkFor(pb, date) ?? text(pb, 'reminder_no_homework'),
    checkin_count: checkin?.count,
    not_checked_in: checkin && nameList(pb, checkin.missing, r.mention_limit),
    not_checked_in_count: checkin?.missing.length,
  });
  if (r.mention === 'all') return { text: body, mentions: [], mentionAll: true };
  if (r.mention === 'not_checked_in' && checkin) {
    const missing = checkin.missing;
    const more = missing.length > r.mention_limit ? `${text(pb, 'reminder_mention_more', { count: missing.length })} ` : '';
    // Adapters put the @names before the text, so "等N人" reads right after them.
    return { text: `${more}${body}`, mentions: missing.slice(0, r.mention_limit), mentionAll: false };
  }
  return { text: body, mentions: [], mentionAll: false };
}
