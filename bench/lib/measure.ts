/** Timing and memory helpers shared by the sections. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/tmp: git-ignored scratch space (databases, playbooks, profiles). */
export const BENCH_TMP = fileURLToPath(new URL('../tmp', import.meta.url));

/** A fresh directory under bench/tmp (on disk, like a real bot's database), removed by `cleanup`. */
export function scratchDir(name: string): { dir: string; cleanup(): void } {
  mkdirSync(BENCH_TMP, { recursive: true });
  const dir = mkdtempSync(join(BENCH_TMP, `${name}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The p-th percentile (0–100) of `values`, which it sorts in place. */
export function percentile(values: Float32Array | Float64Array | number[], p: number): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  const rank = Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1));
  return values[rank]!;
}

export function median(values: number[]): number {
  return percentile([...values], 50);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function rssMb(): number {
  return process.memoryUsage.rss() / 1024 / 1024;
}

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export const now = (): number => performance.now();
