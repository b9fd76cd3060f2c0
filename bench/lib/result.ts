/**
 * What a bench section reports: figures, each next to the baseline measured in the same run
 * (ratio = value / baseline) and to its target, which applies to the ratio or to the value.
 */

export interface Target {
  on: 'value' | 'ratio';
  op: '>=' | '<=' | '<' | '=';
  limit: number;
}

export interface Figure {
  metric: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  target?: Target;
  pass?: boolean;
}

export interface SectionResult {
  section: string;
  title: string;
  /** Workload sizes and settings, for the record. */
  params: Record<string, unknown>;
  figures: Figure[];
  notes: string[];
  /** Wall time of the whole section, set-up included. */
  seconds: number;
  /** Set when the section could not run (code not there yet, peer not installed). */
  skipped?: string;
  /** Set when the section crashed. */
  error?: string;
}

export function figure(f: { metric: string; value: number; unit: string; baseline?: { name: string; value: number }; target?: Target }): Figure {
  const ratio = f.baseline && f.baseline.value > 0 ? f.value / f.baseline.value : undefined;
  const out: Figure = { ...f, ...(ratio !== undefined ? { ratio } : {}) };
  if (f.target) {
    const x = f.target.on === 'ratio' ? ratio : f.value;
    out.pass = x !== undefined && meets(x, f.target);
  }
  return out;
}

function meets(x: number, t: Target): boolean {
  switch (t.op) {
    case '>=':
      return x >= t.limit;
    case '<=':
      return x <= t.limit;
    case '<':
      return x < t.limit;
    case '=':
      return x === t.limit;
  }
}

export function describeTarget(t: Target, unit: string): string {
  const op = t.op === '>=' ? '≥' : t.op === '<=' ? '≤' : t.op;
  return t.on === 'ratio' ? `${op} ${t.limit}×` : `${op} ${formatNumber(t.limit)} ${unit}`;
}

/** 1234567 → "1,234,567"; small numbers keep up to 3 significant decimals. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** The result of a section that could not run, and why. */
export function skipped(section: string, title: string, reason: string): SectionResult {
  return { section, title, params: {}, figures: [], notes: [], seconds: 0, skipped: reason };
}
