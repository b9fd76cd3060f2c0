/** Public types of the worry detector (re-exported by index.ts). */

export type WorryLabel = 'none' | 'academic' | 'wellbeing' | 'complaint' | 'refund' | 'safety';
export type Severity = 'none' | 'low' | 'medium' | 'high' | 'urgent';
export type Sensitivity = 'cautious' | 'balanced' | 'quiet';

export const WORRY_LABELS: readonly WorryLabel[] = ['none', 'academic', 'wellbeing', 'complaint', 'refund', 'safety'];

/** Most urgent first: where two worried labels fit, the earlier one wins (LABELS.md). */
export const LABEL_PRIORITY: readonly Exclude<WorryLabel, 'none'>[] = ['safety', 'refund', 'complaint', 'wellbeing', 'academic'];

export const SEVERITY_ORDER: readonly Severity[] = ['none', 'low', 'medium', 'high', 'urgent'];

/** Negative, zero or positive as severity a is below, equal to or above b. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b);
}

export interface Detection {
  label: WorryLabel;
  severity: Severity;
  /** 0..1: strength of the evidence for the label (for `none`, of the strongest worry that was set aside). */
  score: number;
  /** The cues that decided it, in reading order, e.g. 「学业:跟不上」「否定:不→担心」「紧急:到底」. */
  reasons: string[];
}

export interface DetectorContext {
  /** Earlier messages from the same member (any order, newest first where it matters), for repetition and for signs of danger spread over messages. */
  recent?: { text: string; timestamp: number }[];
  /** Epoch ms of the current message; needed for the time-based cues. */
  now?: number;
  /** Epoch ms since which this member's earlier question has had no staff answer. */
  unansweredSinceMs?: number;
}

export interface ExtraTerm {
  /** A term as it appears in messages; `…` separates the parts of a gapped phrase. */
  term: string;
  /** `none` makes the term an exclusion: cues overlapping it are ignored. */
  label: WorryLabel;
  /** Evidence weight; 2 by default, enough on its own at every sensitivity (a label needs 0.7 / 1 / 1.5). */
  weight?: number;
}

export interface DetectorOptions {
  sensitivity?: Sensitivity;
  extraTerms?: ExtraTerm[];
  /** Let the learned model raise messages the lexicon passed over (default true). */
  secondOpinion?: boolean;
}

export interface Detector {
  /** `context` may be given as a function, called only when the conversation can change the verdict. */
  detect(text: string, context?: DetectorContext | (() => DetectorContext)): Detection;
}
