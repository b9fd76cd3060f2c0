/**
 * Negation scope as the scorer reads it, for one position of a normalised text: the same clauses,
 * the lexicon's negators, fixed phrases (不知道) and scope words (但 / 就 / 再). Features that ask
 * whether a word of their own is asserted (a check-in keyword after 还没) use this, not a copy.
 */
import { expandAlternatives } from './compile.js';
import { LEXICON, type LexiconKind } from './lexicon.js';

/** A negator reaches a word starting at most this many characters after the negator ends. */
export const NEGATION_REACH = 3;

/** Characters that end a clause (1 at their char code): a negation never reaches past one. */
export const BOUNDARY = new Uint8Array(65536);
for (const ch of ' ,.!?;:()[]"\'~、。“”‘’「」『』【】《》…—|/\\') BOUNDARY[ch.charCodeAt(0)] = 1;

const termsOf = (kind: LexiconKind): string[] =>
  LEXICON.filter((g) => g.kind === kind).flatMap((g) => g.terms.flatMap(expandAlternatives));

const NEGATORS = termsOf('negator');
const PHRASES = termsOf('phrase');
/** Contrast words and new verb phrases end a negator's scope. */
const SCOPE_ENDS = [...termsOf('boundary'), ...termsOf('scopeEnd')];

/** Whether one of `words` lies wholly in text[from, to) (a short window: the reach of a negator). */
function occursWithin(text: string, words: readonly string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) for (const w of words) if (i + w.length <= to && text.startsWith(w, i)) return true;
  return false;
}

/** Whether text[start, end) lies inside an occurrence of one of `phrases`. */
function insidePhrase(text: string, start: number, end: number, phrases: readonly string[]): boolean {
  return phrases.some((p) => {
    for (let i = Math.max(0, end - p.length); i <= start; i++) if (text.startsWith(p, i)) return true;
    return false;
  });
}

export interface ScopeOptions {
  /** How far before a position a word may end (default NEGATION_REACH). */
  reach?: number;
  /** Fixed phrases of the caller's own, besides the lexicon's, whose words scope nothing (没事). */
  phrases?: readonly string[];
}

/** Whether a word of a scope ends just before position `at` of a normalised text. */
export type ScopeTest = (text: string, at: number) => boolean;

/**
 * A test of whether one of `words` ends at most `reach` characters before a position, in the same
 * clause, with no contrast or scope-end word between, and not as part of a fixed phrase. Built once
 * (at load), asked per keyword hit.
 */
export function scopeBefore(words: readonly string[], options: ScopeOptions = {}): ScopeTest {
  const reach = options.reach ?? NEGATION_REACH;
  const phrases = options.phrases ? [...PHRASES, ...options.phrases] : PHRASES;
  // Only the window a word could end in matters: walking a long clause back to its start for each hit would be quadratic.
  const window = reach + Math.max(0, ...words.map((w) => w.length));
  return (text, at) => {
    const floor = Math.max(0, at - window);
    let clauseStart = at;
    while (clauseStart > floor && BOUNDARY[text.charCodeAt(clauseStart - 1)] !== 1) clauseStart--;
    for (let end = at; end >= Math.max(clauseStart, at - reach); end--) {
      if (end < at && occursWithin(text, SCOPE_ENDS, end, at)) return false;
      for (const w of words) {
        const start = end - w.length;
        if (start >= clauseStart && text.startsWith(w, start) && !insidePhrase(text, start, end, phrases)) return true;
      }
    }
    return false;
  };
}

/** A test of whether a position is negated (不 / 没 / 别 … and the caller's `extra` negators, e.g. 忘了). */
export function negationBefore(extra: readonly string[] = [], options: Omit<ScopeOptions, 'reach'> = {}): ScopeTest {
  return scopeBefore([...NEGATORS, ...extra], options);
}
