/**
 * Calendar arithmetic in a playbook's IANA timezone, independent of the server's zone.
 * A local calendar date is a 'YYYY-MM-DD' string; a local time of day is 'HH:MM'.
 */

const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when the runtime knows the zone name. */
export function isValidTimezone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone's UTC offset in ms at instant `ms`. Offsets only change on whole quarter hours, so the
 * answer is cached per 15-minute bucket: Intl formatting is far too slow for the per-message path.
 */
export function tzOffset(ms: number, tz: string): number {
  const bucket = Math.floor(ms / (15 * MINUTE));
  const key = `${tz}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const at = bucket * 15 * MINUTE;
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(at))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  const offset = asUtc - at;
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

export interface LocalParts {
  date: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** minutes since local midnight */
  minuteOfDay: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function localParts(ms: number, tz: string): LocalParts {
  const d = new Date(ms + tzOffset(ms, tz));
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return {
    date: `${year}-${pad(month)}-${pad(day)}`,
    year,
    month,
    day,
    hour,
    minute,
    weekday: d.getUTCDay(),
    minuteOfDay: hour * 60 + minute,
  };
}

/** '2026-11-23T18:00:00+08:00': the instant as local time in `tz`, with its offset. */
export function localIso(ms: number, tz: string): string {
  const offset = tzOffset(ms, tz);
  const local = new Date(ms + offset).toISOString().slice(0, 19);
  const minutes = Math.abs(offset) / 60_000;
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export function localDate(ms: number, tz: string): string {
  return localParts(ms, tz).date;
}

/** 'HH:MM' → minutes since midnight, or null when malformed. */
export function parseHHMM(s: string): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function formatHHMM(minuteOfDay: number): string {
  return `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;
}

function dateToUtcMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const ms = dateToUtcMidnight(date);
  return new Date(ms).toISOString().slice(0, 10) === date;
}

export function addDays(date: string, n: number): string {
  return new Date(dateToUtcMidnight(date) + n * DAY).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateToUtcMidnight(b) - dateToUtcMidnight(a)) / DAY);
}

export function weekdayOf(date: string): number {
  return new Date(dateToUtcMidnight(date)).getUTCDay();
}

/** The instant at which local `date` + `minuteOfDay` happens in `tz` (first one on DST overlaps). */
export function zonedToUtc(date: string, minuteOfDay: number, tz: string): number {
  const naive = dateToUtcMidnight(date) + minuteOfDay * MINUTE;
  let guess = naive - tzOffset(naive, tz);
  // One correction handles offset changes between the naive guess and the real instant.
  guess = naive - tzOffset(guess, tz);
  return guess;
}

export function startOfLocalDay(ms: number, tz: string): number {
  return zonedToUtc(localDate(ms, tz), 0, tz);
}

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export function weekdayZh(weekday: number): string {
  return WEEKDAYS_ZH[weekday] ?? '';
}

/** '2026-11-24' → '11月24日 周二' */
export function formatDateZh(date: string): string {
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日 ${weekdayZh(weekdayOf(date))}`;
}

/** ISO-8601 week of a local date, e.g. '2026-W47'. */
export function isoWeekOf(date: string): string {
  const wd = (weekdayOf(date) + 6) % 7; // Monday = 0
  const thursday = addDays(date, 3 - wd);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${pad(week)}`;
}

/** Monday of an ISO week 'YYYY-Www', or null when malformed. */
export function mondayOfIsoWeek(week: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const jan4 = `${m[1]}-01-04`;
  const monday1 = addDays(jan4, -((weekdayOf(jan4) + 6) % 7));
  const n = Number(m[2]);
  if (n < 1 || n > 53) return null;
  const monday = addDays(monday1, (n - 1) * 7);
  return isoWeekOf(monday) === week ? monday : null;
}
