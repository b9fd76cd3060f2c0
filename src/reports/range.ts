/**
 * The period a report covers: local calendar dates, turned into instants per playbook timezone
 * (a week in Shanghai and a week in London start at different instants).
 */
import { addDays, daysBetween, isValidDate, isoWeekOf, localDate, mondayOfIsoWeek, zonedToUtc } from '../time.js';

export interface ReportRange {
  /** First local date, inclusive. */
  from: string;
  /** Last local date, inclusive. */
  to: string;
  /** '2026-W47' for an ISO week, else '2026-11-01_2026-11-30'. */
  label: string;
}

/** The longest range a report may cover, so a typo cannot ask for a century. */
export const MAX_RANGE_DAYS = 400;

export function weekRange(week: string): ReportRange | null {
  const monday = mondayOfIsoWeek(week);
  return monday ? { from: monday, to: addDays(monday, 6), label: week } : null;
}

/** A range of local dates (an exact ISO week gets the week's label), or why it is not one. */
export function dateRange(from: string, to: string): ReportRange | string {
  if (!isValidDate(from)) return `开始日期 ${from} 格式不对，应为 YYYY-MM-DD`;
  if (!isValidDate(to)) return `结束日期 ${to} 格式不对，应为 YYYY-MM-DD`;
  const days = daysBetween(from, to) + 1;
  if (days < 1) return `结束日期 ${to} 早于开始日期 ${from}`;
  if (days > MAX_RANGE_DAYS) return `时间范围太长（${days} 天），最多 ${MAX_RANGE_DAYS} 天`;
  const week = isoWeekOf(from);
  if (days === 7 && mondayOfIsoWeek(week) === from) return { from, to, label: week };
  return { from, to, label: `${from}_${to}` };
}

/** The last ISO week that has fully ended at `now` in `tz`. */
export function lastCompleteWeek(now: number, tz: string): ReportRange {
  const today = localDate(now, tz);
  const thisMonday = mondayOfIsoWeek(isoWeekOf(today))!;
  return weekRange(isoWeekOf(addDays(thisMonday, -7)))!;
}

/** The range of the same length just before `r` (what "change vs. the previous week" compares with). */
export function previousRange(r: ReportRange): ReportRange {
  const days = daysBetween(r.from, r.to) + 1;
  const from = addDays(r.from, -days);
  const to = addDays(r.from, -1);
  const week = isoWeekOf(from);
  return { from, to, label: days === 7 && mondayOfIsoWeek(week) === from ? week : `${from}_${to}` };
}

/** [start, end) instants of the range in `tz`. */
export function rangeBounds(r: ReportRange, tz: string): { start: number; end: number } {
  return { start: zonedToUtc(r.from, 0, tz), end: zonedToUtc(addDays(r.to, 1), 0, tz) };
}
