/** How report figures read in Chinese, shared by the renderers that print text (HTML, Markdown). */
import { formatDateZh, localParts } from '../time.js';
import type { ReportRange } from './range.js';

export function percent(r: number | null, digits = 1): string {
  return r === null ? '—' : `${(r * 100).toFixed(digits)}%`;
}

/** '8 分钟', '4.0 小时', '2.0 天' */
export function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 60) return `${Math.round(minutes)} 分钟`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} 小时`;
  return `${(minutes / 1440).toFixed(1)} 天`;
}

/** '+3', '−2', '±0' */
export function delta(current: number, previous: number): string {
  const d = current - previous;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : '±0';
}

export function decimal(n: number | null, digits = 1): string {
  return n === null ? '—' : n.toFixed(digits);
}

/** '11月16日 周一' → '11月16日' */
export function shortDateZh(date: string): string {
  return formatDateZh(date).split(' ')[0]!;
}

/** '2026-W47（2026-11-16 至 2026-11-22）', or the dates alone for a range that is not a week. */
export function rangeZh(r: ReportRange): string {
  const span = r.from === r.to ? r.from : `${r.from} 至 ${r.to}`;
  return r.label.includes('-W') ? `${r.label}（${span}）` : span;
}

/** 'YYYY-MM-DD HH:MM' in `tz`. */
export function localDateTime(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

export function streakBucket(min: number, max: number | null): string {
  if (max === null) return `${min} 天以上`;
  return min === max ? `${min} 天` : `${min}–${max} 天`;
}
