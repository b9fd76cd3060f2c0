/**
 * Weekdays as assistants write them: 周三, 星期三, 週三, 礼拜三, 周日/周天/星期天, mon…sun, 0–7
 * (0 and 7 are Sunday), and ranges and lists of them (周一至周五, 周一到周五, 1-5, 周一、周三).
 * Playbooks keep them as numbers, 0 (Sunday) to 6.
 */
import { z } from 'zod';

const DIGITS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const ENGLISH = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export const WEEKDAY_HINT = '星期，例如 周三、星期三、mon 或 0–7（周日是 0 或 7）';

/** One weekday, or null when `v` is not one. */
export function parseWeekday(v: string | number): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 7 ? v % 7 : null;
  const s = v.trim().toLowerCase();
  if (/^[0-7]$/.test(s)) return Number(s) % 7;
  const english = ENGLISH.findIndex((d) => s === d || s === d.slice(0, 3));
  if (english >= 0) return english;
  const zh = /^(?:周|週|星期|礼拜|禮拜)([日天一二三四五六])$/.exec(s);
  return zh ? DIGITS[zh[1]!]! : null;
}

/** Position in the Chinese week (Monday first), to list days in order. */
const order = (d: number) => (d + 6) % 7;

/** Weekdays of `周一至周五` (to, 到, -, ~) or `周一、周三` (、 , space), or one day; null if any part is not a weekday. */
export function parseWeekdays(v: string | number): number[] | null {
  if (typeof v === 'number') {
    const d = parseWeekday(v);
    return d === null ? null : [d];
  }
  const days: number[] = [];
  for (const part of v.split(/[、,，\s]+/).filter(Boolean)) {
    const range = /^(.+?)\s*(?:至|到|~|～|-|—)\s*(.+)$/.exec(part);
    if (!range) {
      const d = parseWeekday(part);
      if (d === null) return null;
      days.push(d);
      continue;
    }
    const [from, to] = [parseWeekday(range[1]!), parseWeekday(range[2]!)];
    if (from === null || to === null) return null;
    for (let i = 0, d = from; i < 7; i++, d = (d + 1) % 7) {
      days.push(d);
      if (d === to) break;
    }
  }
  return days.length ? [...new Set(days)] : null;
}

// Checked in a refinement, converted after: a refinement's issue lets the rest of the playbook be checked too.
const dayValue = z.union([z.number(), z.string()]);

/** One weekday (`calendar.workdays[].as`), as a number 0–6. */
export const weekdaySchema = dayValue
  .refine((v) => parseWeekday(v) !== null, { message: `应为${WEEKDAY_HINT}` })
  .transform((v) => parseWeekday(v)!);

/** A list of weekdays or ranges (`[周一至周五, 周六]`), or one string (`周一至周五`), as numbers 0–6 in week order. */
export const weekdayListSchema = z
  .union([z.array(dayValue), dayValue])
  .superRefine((v, ctx) => {
    if (Array.isArray(v) && v.length === 0) ctx.addIssue({ code: 'custom', message: '至少写一天' });
    (Array.isArray(v) ? v : [v]).forEach((item, i) => {
      if (parseWeekdays(item) === null) ctx.addIssue({ code: 'custom', path: Array.isArray(v) ? [i] : [], message: `应为${WEEKDAY_HINT}，或范围如 周一至周五` });
    });
  })
  .transform((v) => [...new Set((Array.isArray(v) ? v : [v]).flatMap((item) => parseWeekdays(item)!))].sort((a, b) => order(a) - order(b)));
