/**
 * Conversation cues: a member asking the same thing again, or writing again while an earlier
 * question still has no staff answer past a limit. Both raise severity (and turn a plain
 * question into a low complaint, the first sign of "no one answers").
 */
import { normalise } from './normalise.js';
import type { DetectorContext } from './types.js';

/** Earlier messages older than this are not "repeating". */
export const REPEAT_WINDOW_MS = 24 * 60 * 60 * 1000;
const SIMILAR = 0.6;
const MIN_CONTENT = 4;

export interface ConversationSignals {
  /** How many recent messages say nearly the same as this one. */
  repeats: number;
  /** How long the member's earlier question has waited, when known. */
  waitedMs: number | undefined;
}

const REQUEST = /[?吗呢]|请问|麻烦|能不能|可不可以|怎么|什么|哪|几点|多少|回复|回一下/;

/** Does the (normalised) text ask for something? */
export function isRequest(normalised: string): boolean {
  return REQUEST.test(normalised);
}

function content(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]/gu, '');
}

function bigrams(text: string): Map<string, number> {
  const grams = new Map<string, number>();
  for (let i = 0; i + 1 < text.length; i++) {
    const g = text.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Dice coefficient over character bigrams of the content characters. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const ga = bigrams(a);
  const gb = bigrams(b);
  let shared = 0;
  for (const [g, n] of ga) shared += Math.min(n, gb.get(g) ?? 0);
  const total = a.length - 1 + b.length - 1;
  return total <= 0 ? 0 : (2 * shared) / total;
}

export function conversationSignals(normalised: string, context: DetectorContext | undefined): ConversationSignals {
  if (!context) return { repeats: 0, waitedMs: undefined };
  const now = context.now;
  const mine = content(normalised);
  let repeats = 0;
  if (mine.length >= MIN_CONTENT) {
    for (const earlier of context.recent ?? []) {
      if (now !== undefined && (earlier.timestamp > now || now - earlier.timestamp > REPEAT_WINDOW_MS)) continue;
      if (similarity(mine, content(normalise(earlier.text))) >= SIMILAR) repeats++;
    }
  }
  const waitedMs = now !== undefined && context.unansweredSinceMs !== undefined && context.unansweredSinceMs <= now
    ? now - context.unansweredSinceMs
    : undefined;
  return { repeats, waitedMs };
}
