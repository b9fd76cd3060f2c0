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
/** A question asked again shows in how it begins: long messages are compared on this many content characters, so a 64k paste costs what a paragraph does. */
const COMPARED = 500;

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
  return text.replace(/[\s\p{P}\p{S}]/gu, '').slice(0, COMPARED);
}

/** The text's character bigrams (two UTF-16 units as one number), sorted: no string or map per bigram. */
function bigrams(text: string): Float64Array {
  const grams = new Float64Array(Math.max(text.length - 1, 0));
  for (let i = 0; i < grams.length; i++) grams[i] = text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);
  return grams.sort();
}

/** How many bigrams two sorted lists share, counting repeats (the size of their multiset intersection). */
function shared(a: Float64Array, b: Float64Array): number {
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      n++;
      i++;
      j++;
    }
  }
  return n;
}

/** Dice coefficient over character bigrams of the content characters; `ga` are a's bigrams, computed once for all b. */
function similarity(a: string, ga: Float64Array, b: string): number {
  if (a === b) return 1;
  const total = a.length - 1 + b.length - 1;
  return total <= 0 ? 0 : (2 * shared(ga, bigrams(b))) / total;
}

export function conversationSignals(normalised: string, context: DetectorContext | undefined): ConversationSignals {
  if (!context) return { repeats: 0, waitedMs: undefined };
  const now = context.now;
  const mine = content(normalised);
  let repeats = 0;
  if (mine.length >= MIN_CONTENT) {
    let grams: Float64Array | undefined;
    for (const earlier of context.recent ?? []) {
      if (now !== undefined && (earlier.timestamp > now || now - earlier.timestamp > REPEAT_WINDOW_MS)) continue;
      grams ??= bigrams(mine);
      if (similarity(mine, grams, content(normalise(earlier.text))) >= SIMILAR) repeats++;
    }
  }
  const waitedMs = now !== undefined && context.unansweredSinceMs !== undefined && context.unansweredSinceMs <= now
    ? now - context.unansweredSinceMs
    : undefined;
  return { repeats, waitedMs };
}
