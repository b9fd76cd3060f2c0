/**
 * Turns the lexicon (plus a playbook's extra terms) into one Aho–Corasick automaton and the
 * per-pattern facts the scorer needs. Done once per detector; terms go through the same
 * normalisation as messages, so a Traditional or full-width term matches too.
 */
import { Automaton } from './trie.js';
import { normalise } from './normalise.js';
import { LEXICON, type LexiconGroup, type LexiconKind } from './lexicon.js';
import type { ExtraTerm, WorryLabel } from './types.js';

/** Separates the parts of a gapped phrase in lexicon and extra terms. */
export const GAP_MARK = '…';

/**
 * Expands alternatives: 「{同学|有人}…{推|踹}」 is four terms. Lets the lexicon state a pattern
 * (who did what, body part + harm) instead of listing sentences.
 */
export function expandAlternatives(term: string): string[] {
  const open = term.indexOf('{');
  if (open < 0) return [term];
  const close = term.indexOf('}', open);
  if (close < 0) throw new Error(`unclosed { in lexicon term ${term}`);
  const head = term.slice(0, open);
  const rest = expandAlternatives(term.slice(close + 1));
  return term.slice(open + 1, close).split('|').flatMap((alt) => rest.map((tail) => head + alt + tail));
}
const DEFAULT_GAP = 6;
export const DEFAULT_EXTRA_WEIGHT = 2;

/** One meaning of a term: a term can have several (好 is a degree adverb and an acknowledgement). */
export interface Entry {
  kind: LexiconKind;
  label: Exclude<WorryLabel, 'none'> | undefined;
  weight: number;
  firm: boolean;
  atStart: boolean;
  /** The term as written in the lexicon, for reasons. */
  term: string;
  tag: string | undefined;
}

/** A gapped phrase: its parts are patterns that must occur in order, in one clause. */
export interface GappedRule {
  entry: Entry;
  parts: number[];
  gap: number;
  crossClause: boolean;
}

export interface CompiledLexicon {
  automaton: Automaton;
  /** Single-part meanings, by pattern id. */
  entries: Entry[][];
  /** For each pattern id, the gapped rules it is a part of, as [rule index, part index] pairs. */
  partOf: [number, number][][];
  rules: GappedRule[];
}

function groupEntry(group: LexiconGroup, term: string): Entry {
  return {
    kind: group.kind,
    label: group.label,
    weight: group.weight,
    firm: group.firm ?? false,
    atStart: group.atStart ?? false,
    term,
    tag: group.tag,
  };
}

function extraEntry(extra: ExtraTerm): Entry {
  const worried = extra.label !== 'none';
  return {
    kind: worried ? 'cue' : 'neutral',
    label: worried ? (extra.label as Exclude<WorryLabel, 'none'>) : undefined,
    weight: extra.weight ?? DEFAULT_EXTRA_WEIGHT,
    firm: false,
    atStart: false,
    term: extra.term,
    tag: undefined,
  };
}

export function compileLexicon(extraTerms: readonly ExtraTerm[] = []): CompiledLexicon {
  const patterns: string[] = [];
  const ids = new Map<string, number>();
  const entries: Entry[][] = [];
  const partOf: [number, number][][] = [];
  const rules: GappedRule[] = [];

  const patternId = (raw: string): number | undefined => {
    const p = normalise(raw);
    if (p.length === 0) return undefined;
    let id = ids.get(p);
    if (id === undefined) {
      id = patterns.length;
      ids.set(p, id);
      patterns.push(p);
      entries.push([]);
      partOf.push([]);
    }
    return id;
  };

  const add = (entry: Entry, gap: number, crossClause: boolean) => {
    const parts = entry.term.split(GAP_MARK).filter((p) => p.length > 0);
    if (parts.length <= 1) {
      const id = patternId(parts[0] ?? '');
      if (id !== undefined) entries[id]!.push(entry);
      return;
    }
    const partIds = parts.map(patternId);
    if (partIds.some((id) => id === undefined)) return;
    const rule = rules.length;
    rules.push({ entry, parts: partIds as number[], gap, crossClause });
    partIds.forEach((id, k) => partOf[id!]!.push([rule, k]));
  };

  for (const group of LEXICON) {
    for (const pattern of group.terms) {
      for (const term of expandAlternatives(pattern)) add(groupEntry(group, term), group.gap ?? DEFAULT_GAP, group.crossClause ?? false);
    }
  }
  for (const extra of extraTerms) add(extraEntry(extra), DEFAULT_GAP, false);

  return { automaton: new Automaton(patterns), entries, partOf, rules };
}
