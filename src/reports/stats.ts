/** Small statistics the report needs, kept exact; renderers round. */

export interface Distribution {
  n: number;
  median: number | null;
  p90: number | null;
}

/** Quantile with linear interpolation between closest ranks (the common "type 7" definition). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** a / b, or null when there is nothing to divide by. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Adds up counts by name, keeping first-seen order. */
export function sumCounts<K extends string>(lists: readonly (readonly { name: K; count: number }[])[]): { name: K; count: number }[] {
  const totals = new Map<K, number>();
  for (const list of lists) for (const { name, count } of list) totals.set(name, (totals.get(name) ?? 0) + count);
  return [...totals].map(([name, count]) => ({ name, count }));
}
