/**
 * The days a parent names in free text, relative to the local `today`: 今天/明天/后天 (and 听日),
 * 周三 / 下周一 / 这周五, 12月8日 / 8号 / 12-8, ranges (周三到周五), and counts (两天, 3天, 一周).
 */
import { addDays, daysBetween, isValidDate, weekdayOf } from '../../time.js';

const RELATIVE: Record<string, number> = { 前天: -2, 昨天: -1, 昨日: -1, 今天: 0, 今日: 0, 明天: 1, 明日: 1, 听日: 1, 后天: 2, 后日: 2, 大后天: 3 };
const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const NUMERAL: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** One day expression found in the text: where it is and the day(s) it names. */
interface DayToken {
  at: number;
  end: number;
  days: string[];
}

export interface NamedDays {
  /** The days named, sorted, each once. */
  days: string[];
  /** Whether the text named a day or a count itself (rather than the caller's default). */
  explicit: boolean;
  /** Every span of the text that named a day or a count, for the caller to cut out. */
  spans: [number, number][];
}

/** 3, 十, 十二, 两 → the number; null when it is not one. */
export function chineseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '半') return 1;
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  const [, tens, ten, ones] = m;
  if (!ten) return tens && !ones ? NUMERAL[tens]! : null;
  return (tens ? NUMERAL[tens]! : 1) * 10 + (ones ? NUMERAL[ones]! : 0);
}

const TOKEN = new RegExp(
  [
    '(大后天|后天|明天|明日|听日|今天|今日|后日|昨天|昨日|前天)',
    '(明后|今明)两?天',
    '(下下|下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天])',
    '(?:(\\d{1,2})月)?(\\d{1,2})[日号]',
    '(?<![\\d.])(\\d{1,2})[/-](\\d{1,2})(?![\\d/-])',
  ].join('|'),
  'g',
);
const RANGE_JOIN = /^\s*(?:到|至|~|～|-|—|－)\s*$/;
const COUNT = /(\d{1,2}|[一两二三四五六七八九十]{1,3}|半)\s*(?:个)?(?:整)?(天|日|周|星期|礼拜)(?![一二三四五六日天])/g;

/** A Monday-first weekday index: Monday 0 … Sunday 6. */
const mondayFirst = (date: string) => (weekdayOf(date) + 6) % 7;

function monthDayOf(today: string, month: number | null, day: number): string | null {
  const year = Number(today.slice(0, 4));
  const thisMonth = Number(today.slice(5, 7));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (month === null) {
    // 8号: this month's, or next month's once this month's is over.
    let date = `${year}-${pad(thisMonth)}-${pad(day)}`;
    if (isValidDate(date) && date >= today) return date;
    const next = thisMonth === 12 ? `${year + 1}-01` : `${year}-${pad(thisMonth + 1)}`;
    date = `${next}-${pad(day)}`;
    return isValidDate(date) ? date : null;
  }
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (!isValidDate(date)) return null;
  // A date long past is next year's (12月 is written in 1月 of the next year rarely; the reverse often).
  if (daysBetween(date, today) > 60) {
    const next = `${year + 1}-${pad(month)}-${pad(day)}`;
    return isValidDate(next) ? next : null;
  }
  return date;
}

function tokenDays(m: RegExpExecArray, today: string): string[] | null {
  const [, relative, pair, weekPrefix, weekday, month, day, slashMonth, slashDay] = m;
  if (relative) return [addDays(today, RELATIVE[relative]!)];
  if (pair) {
    const first = pair === '明后' ? 1 : 0;
    return [addDays(today, first), addDays(today, first + 1)];
  }
  if (weekday) {
    const target = WEEKDAY[weekday]! - 1;
    const from = mondayFirst(today);
    let delta = (target - from + 7) % 7;
    if (weekPrefix?.startsWith('这') || weekPrefix === '本') delta = target - from;
    else if (weekPrefix === '下下') delta = 14 - from + target;
    else if (weekPrefix?.startsWith('下')) delta = 7 - from + target;
    return [addDays(today, delta)];
  }
  if (day) {
    const date = monthDayOf(today, month ? Number(month) : null, Number(day));
    return date ? [date] : null;
  }
  if (slashDay) {
    const date = monthDayOf(today, Number(slashMonth), Number(slashDay));
    return date ? [date] : null;
  }
  return null;
}

function between(a: string, b: string): string[] {
  const out: string[] = [];
  for (let d = a; d <= b && out.length < 31; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * The days `text` (normalised: half-width digits, Simplified) names. With a count and one day, the
 * count runs from that day; with a count alone, from `start`; with neither, `start` alone.
 */
export function namedDays(text: string, today: string, start: string): NamedDays {
  const tokens: DayToken[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const days = tokenDays(m, today);
    if (days) tokens.push({ at: m.index, end: m.index + m[0].length, days });
  }
  const counts = [...text.matchAll(COUNT)]
    .filter((m) => !tokens.some((t) => m.index < t.end && t.at < m.index + m[0].length))
    .map((m) => ({ at: m.index, end: m.index + m[0].length, n: (chineseNumber(m[1]!) ?? 1) * (m[2] === '天' || m[2] === '日' ? 1 : 7) }));
  const spans: [number, number][] = [...tokens, ...counts].map((t) => [t.at, t.end]);
  const days = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (next && RANGE_JOIN.test(text.slice(t.end, next.at)) && t.days[0]! <= next.days.at(-1)!) {
      for (const d of between(t.days[0]!, next.days.at(-1)!)) days.add(d);
      spans.push([t.end, next.at]);
      i++;
    } else for (const d of t.days) days.add(d);
  }
  const count = counts[0] ? Math.min(counts[0].n, 31) : null;
  if (count !== null && days.size <= 1) {
    const from = days.size === 1 ? [...days][0]! : start;
    days.clear();
    for (let k = 0; k < count; k++) days.add(addDays(from, k));
  }
  const explicit = days.size > 0;
  if (!explicit) days.add(start);
  return { days: [...days].sort(), explicit, spans };
}
