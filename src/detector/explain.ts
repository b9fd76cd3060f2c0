/**
 * What a detection's cues say in plain Chinese (the lexicon's `says`), for staff who never read
 * the lexicon: 「孩子放学后没回家、不知去向」 instead of 「安全:放学…没回家」. Read from the reason
 * tags alone, so a follow-up opened before an upgrade is explained the same way.
 */
import { expandAlternatives, reasonTag } from './compile.js';
import { LEXICON } from './lexicon.js';
import type { WorryLabel } from './types.js';

/** Reasons that an earlier message of the same member contributed (conversation step) carry this tag before their own. */
export const EARLIER_TAG = '前文';
/** An explanation names at most this many facts: staff read one sentence. */
const MAX_FACTS = 3;

interface Fact {
  says: string;
  /** The label the cue is evidence for; undefined for worry words, whose label comes from their topic. */
  label: WorryLabel | undefined;
}

let facts: Map<string, Fact> | undefined;

/** Reason → fact, built on first use (about 20,000 expanded terms; most processes never explain anything). */
function table(): Map<string, Fact> {
  if (facts) return facts;
  facts = new Map();
  for (const group of LEXICON) {
    if (!group.says) continue;
    const tag = reasonTag(group.kind, group.label, group);
    const label = group.kind === 'cue' ? group.label : undefined;
    for (const pattern of group.terms) {
      for (const term of expandAlternatives(pattern)) {
        const key = `${tag}:${term}`;
        if (!facts.has(key)) facts.set(key, { says: group.says, label });
      }
    }
  }
  return facts;
}

/** The distinct facts behind `reasons` that are evidence for `label`, in reading order. */
export function factsOf(reasons: readonly string[], label: WorryLabel): string[] {
  if (label === 'none') return [];
  const t = table();
  const out: string[] = [];
  for (const reason of reasons) {
    const own = reason.startsWith(`${EARLIER_TAG}:`) ? reason.slice(EARLIER_TAG.length + 1) : reason;
    const fact = t.get(own);
    if (!fact || (fact.label !== undefined && fact.label !== label) || out.includes(fact.says)) continue;
    if (fact.label === undefined && label !== 'academic' && label !== 'wellbeing') continue;
    out.push(fact.says);
    if (out.length === MAX_FACTS) break;
  }
  return out;
}
