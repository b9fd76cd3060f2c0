import { addDays, weekdayOf, weekdayZh } from '../../time.js';
import { monthDay } from '../checkin/lists.js';

/** Sorted days as runs: 12月8日（周二）、12月10日–12月12日（3天）. */
export function formatDays(days: readonly string[]): string {
  const runs: string[][] = [];
  for (const d of days) {
    const run = runs.at(-1);
    if (run && addDays(run.at(-1)!, 1) === d) run.push(d);
    else runs.push([d]);
  }
  return runs
    .map((r) => (r.length === 1 ? `${monthDay(r[0]!)}（${weekdayZh(weekdayOf(r[0]!))}）` : `${monthDay(r[0]!)}–${monthDay(r.at(-1)!)}（${r.length}天）`))
    .join('、');
}
