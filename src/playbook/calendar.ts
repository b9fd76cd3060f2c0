import { addDays, weekdayOf } from '../time.js';
import type { z } from 'zod';
import type { calendarSchema } from './schema.js';

type CalendarData = z.output<typeof calendarSchema>;

/** What a local date means for scheduled things: skipped (holiday), or which weekday's schedule it follows. */
export interface DayInfo {
  skipped: boolean;
  reason?: string;
  /** 0–6; differs from the real weekday on 调休 makeup days. */
  scheduleWeekday: number;
}

export interface Calendar {
  day(date: string): DayInfo;
}

export function compileCalendar(data: CalendarData): Calendar {
  const skipped = new Map<string, string>();
  for (const entry of data.skip) {
    const [from, to, name] =
      typeof entry === 'string'
        ? entry.includes('..')
          ? [...(entry.split('..') as [string, string]), '放假']
          : [entry, entry, '放假']
        : [entry.from, entry.to, entry.name ?? '放假'];
    // Ranges are bounded (a term break is weeks, not years); the cap guards a typo like 2062.
    for (let d = from, n = 0; d <= to && n < 800; d = addDays(d, 1), n++) skipped.set(d, name);
  }
  const workdays = new Map(data.workdays.map((w) => [w.date, w.as]));
  return {
    day(date) {
      const reason = skipped.get(date);
      if (reason !== undefined) return { skipped: true, reason, scheduleWeekday: weekdayOf(date) };
      return { skipped: false, scheduleWeekday: workdays.get(date) ?? weekdayOf(date) };
    },
  };
}
