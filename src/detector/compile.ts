/**
 * Turns the lexicon (plus a playbook's extra terms) into one Aho–Corasick automaton and flat
 * per-pattern tables the scorer reads with plain array indexing. Done once per detector; terms
 * go through the same normalisation as messages, so a Traditional or full-width term matches too.
 */
import { Automaton } from './trie.js';
import { normalise } from './normalise.js';
import { LEXICON, type LexiconGroup, type LexiconKind } from './lexicon.js';
import { WORRY_LABELS, type ExtraTerm, type WorryLabel } from './types.js';

/** Separates the parts of a gapped phrase in lexicon and extra terms. */
export const GAP_MARK = '…';
const DEFAULT_GAP = 6;
export const DEFAULT_EXTRA_WEIGHT = 2;

/** Reason tags, in Chinese because assistants read them. */
export const LABEL_TAG: Record<Exclude<WorryLabel, 'none'>, string> = {
  safety: '安全', refund: '退费', complaint: '投诉', wellbeing: '情绪', academic: '学业',
};
const KIND_TAG: Partial<Record<LexiconKind, string>> = {
  worry: '担忧', degree: '程度', degreeAfter: '程度', urgency: '紧急', distress: '表情', resolved: '已解决',
  positive: '积极', illness: '生病', joke: '玩笑', thirdParty: '代问', policy: '政策咨询', topic: '话题', homework: '作业题', frame: '转发',
  neutral: '排除',
};

/** Lexicon kinds as small integers, for the scorer's per-kind lists. */
export const KINDS: readonly LexiconKind[] = [
  'cue', 'worry', 'domain', 'negator', 'boundary', 'scopeEnd', 'degree', 'degreeAfter', 'urgency', 'distress',
  'resolved', 'positive', 'illness', 'joke', 'thirdParty', 'policy', 'topic', 'homework', 'frame', 'neutral', 'phrase', 'ack',
];
export const K = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<LexiconKind, number>;

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

/** One meaning of a term: a term can have several (好 is a degree adverb and an acknowledgement). */
export interface Entry {
  kind: number;
  /** Index in WORRY_LABELS; 0 when the entry has no label. */
  label: number;
  weight: number;
  firm: boolean;
  /** Firm evidence of present danger on its own (firm, or a `present` group). */
  present: boolean;
  atStart: boolean;
  /** The term as written in the lexicon. */
  term: string;
  /** The reason shown when this entry counts, e.g. 「安全:被…打」. */
  reason: string;
}

export interface CompiledLexicon {
  automaton: Automaton;
  entries: Entry[];
  /** entries[i].kind and .weight, as flat arrays for the per-message loops. */
  entryKind: Uint8Array;
  entryWeight: Float64Array;
  /** 1 when entries[i] only counts at the start of a message. */
  entryAtStart: Uint8Array;
  /** Meanings of pattern p: entryIds[entryStart[p] .. entryStart[p + 1]). */
  entryStart: Int32Array;
  entryIds: Int32Array;
  /** Gapped rule r: its entry, gap, whether it may span clauses, parts ruleParts[partStart[r] .. partStart[r + 1]). */
  ruleEntry: Int32Array;
  ruleGap: Int32Array;
  ruleCross: Uint8Array;
  partStart: Int32Array;
  ruleParts: Int32Array;
  /**
   * Per last part p, a 32-bit filter of the penultimate parts it pairs with (bit `q & 31` for
   * part q); 0 when p ends no rule. Most seen parts fail it, sparing a map lookup.
   */
  pairFilter: Int32Array;
  /**
   * Rules by their last two parts: pairStart maps `penultimate * patternCount + last` to an index
   * i of pairRules, which holds the count at i and the rules after it. A last part such as 打
   * ends dozens of rules (被{人|同学|…}…打), but a message holds few earlier parts, so the scorer
   * looks up the pairs it has seen instead of trying every rule.
   */
  pairStart: Map<number, number>;
  pairRules: Int32Array;
  /** 1 when pattern p is an earlier part of some rule (its occurrences must be remembered). */
  innerPart: Uint8Array;
  patternCount: number;
  /** Per kind, the longest span a hit can cover (a term, or a gapped rule's parts and gaps): how far apart its start and end can be. */
  kindSpan: Int32Array;
}

/** The tag a reason of this kind, label and group starts with (安全, 反讽, 担忧…). */
export function reasonTag(kind: LexiconKind, label: WorryLabel | undefined, group?: LexiconGroup): string {
  const worried = label !== undefined && label !== 'none' ? label : undefined;
  return group?.tag ?? (kind === 'cue' && worried ? LABEL_TAG[worried] : KIND_TAG[kind] ?? kind);
}

function makeEntry(kind: LexiconKind, label: WorryLabel | undefined, weight: number, term: string, group?: LexiconGroup): Entry {
  const worried = label !== undefined && label !== 'none' ? label : undefined;
  const tag = reasonTag(kind, label, group);
  return {
    kind: K[kind],
    label: worried ? WORRY_LABELS.indexOf(worried) : 0,
    weight,
    firm: group?.firm ?? false,
    present: (group?.firm ?? false) || (group?.present ?? false),
    atStart: group?.atStart ?? false,
    term,
    reason: `${tag}:${term}`,
  };
}

/** Flattens lists indexed 0..n-1 into (start offsets, values). */
function flatten(lists: number[][]): [Int32Array, Int32Array] {
  const start = new Int32Array(lists.length + 1);
  let total = 0;
  lists.forEach((l, i) => {
    start[i] = total;
    total += l.length;
  });
  start[lists.length] = total;
  const values = new Int32Array(total);
  lists.forEach((l, i) => values.set(l, start[i]!));
  return [start, values];
}

export function compileLexicon(extraTerms: readonly ExtraTerm[] = []): CompiledLexicon {
  const patterns: string[] = [];
  const ids = new Map<string, number>();
  const entries: Entry[] = [];
  const meanings: number[][] = [];
  const rules: { entry: number; parts: number[]; gap: number; cross: boolean }[] = [];

  const patternId = (raw: string): number | undefined => {
    const p = normalise(raw);
    if (p.length === 0) return undefined;
    let id = ids.get(p);
    if (id === undefined) {
      id = patterns.length;
      ids.set(p, id);
      patterns.push(p);
      meanings.push([]);
    }
    return id;
  };

  const seen = new Set<string>();
  const add = (entry: Entry, gap: number, cross: boolean) => {
    const parts = entry.term.split(GAP_MARK).filter((p) => p.length > 0);
    const partIds = parts.map(patternId);
    if (partIds.length === 0 || partIds.some((id) => id === undefined)) return;
    // The same term with the same meaning twice (two groups, or an extra term repeating the lexicon) counts once.
    const key = `${partIds.join(',')}|${entry.kind}|${entry.label}|${entry.weight}|${entry.firm}|${entry.atStart}|${gap}|${cross}`;
    if (seen.has(key)) return;
    seen.add(key);
    entries.push(entry);
    if (partIds.length === 1) meanings[partIds[0]!]!.push(entries.length - 1);
    else rules.push({ entry: entries.length - 1, parts: partIds as number[], gap, cross });
  };

  for (const group of LEXICON) {
    for (const pattern of group.terms) {
      for (const term of expandAlternatives(pattern)) {
        add(makeEntry(group.kind, group.label, group.weight, term, group), group.gap ?? DEFAULT_GAP, group.crossClause ?? false);
      }
    }
  }
  for (const extra of extraTerms) {
    const worried = extra.label !== 'none';
    add(makeEntry(worried ? 'cue' : 'neutral', extra.label, extra.weight ?? DEFAULT_EXTRA_WEIGHT, extra.term), DEFAULT_GAP, false);
  }

  const count = patterns.length;
  const [entryStart, entryIds] = flatten(meanings);
  const pairFilter = new Int32Array(count);
  const innerPart = new Uint8Array(count);
  const pairs = new Map<number, number[]>();
  rules.forEach((r, i) => {
    const last = r.parts[r.parts.length - 1]!;
    const key = r.parts[r.parts.length - 2]! * count + last;
    pairFilter[last]! |= 1 << (r.parts[r.parts.length - 2]! & 31);
    for (let k = 0; k < r.parts.length - 1; k++) innerPart[r.parts[k]!] = 1;
    const list = pairs.get(key);
    if (list) list.push(i);
    else pairs.set(key, [i]);
  });
  const pairStart = new Map<number, number>();
  const pairRules = new Int32Array(pairs.size + rules.length);
  let at = 0;
  for (const [key, list] of pairs) {
    pairStart.set(key, at);
    pairRules[at++] = list.length;
    pairRules.set(list, at);
    at += list.length;
  }
  const [partStart, ruleParts] = flatten(rules.map((r) => r.parts));
  const kindSpan = new Int32Array(KINDS.length);
  meanings.forEach((list, p) => {
    for (const e of list) kindSpan[entries[e]!.kind] = Math.max(kindSpan[entries[e]!.kind]!, patterns[p]!.length);
  });
  for (const r of rules) {
    const kind = entries[r.entry]!.kind;
    kindSpan[kind] = Math.max(kindSpan[kind]!, r.parts.reduce((sum, q) => sum + patterns[q]!.length, 0) + r.gap * (r.parts.length - 1));
  }
  return {
    automaton: new Automaton(patterns),
    entries,
    entryKind: Uint8Array.from(entries, (e) => e.kind),
    entryWeight: Float64Array.from(entries, (e) => e.weight),
    entryAtStart: Uint8Array.from(entries, (e) => (e.atStart ? 1 : 0)),
    entryStart,
    entryIds,
    ruleEntry: Int32Array.from(rules, (r) => r.entry),
    ruleGap: Int32Array.from(rules, (r) => r.gap),
    ruleCross: Uint8Array.from(rules, (r) => (r.cross ? 1 : 0)),
    partStart,
    ruleParts,
    pairFilter,
    pairStart,
    pairRules,
    innerPart,
    patternCount: count,
    kindSpan,
  };
}
