/**
 * Which FAQ entry a question asks, by meaning: a small offline similarity model over each entry's
 * `q`, `keywords` and `examples`. Every text becomes a set of features (the meanings, words and
 * English words of words.ts, and the bigrams and trigrams of their runs), weighted by how rare
 * they are among the playbook's entries (IDF), so 课表 tells entries apart and 在哪 hardly does.
 *
 * An entry's score is how much of its closest text (q, one keyword or one example) the question
 * contains, by weight (sharpened, so half of an entry's words is much less than half as sure),
 * discounted when much of the question is about something the entry never mentions, and for a
 * message that does not read as a question. A pattern that matches is certain. The constants
 * below were tuned on tests/fixtures/faq-dev.tsv only (README.md, "FAQ").
 */
import { normalise } from '../../detector/normalise.js';
import type { Pattern } from '../../playbook/pattern.js';
import { tokenRuns } from './words.js';

export interface FaqDoc {
  q: string;
  keywords: string[];
  examples?: string[];
  regex: Pattern | null;
}

type Features = Map<string, number>;

/** How much a question word, or a lone character, weighs against a meaning or an n-gram. */
const ASKS_WEIGHT = 0.3;
const CHAR_WEIGHT = 0.3;
/** Bigrams and trigrams add word order and context on top of the words themselves. */
const BIGRAM_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.3;
/** How strongly unexplained parts of a question lower the score (0: not at all). */
const FOCUS = 0.3;
/** Above 1, a question holding only part of an entry's text scores much lower than one holding all of it. */
const SHARPNESS = 1.5;
/** Score factor for a message that does not read as a question. */
const STATEMENT = 0.7;

/** A question's first characters are what it asks: a pasted essay costs no more than this. */
const EXAMINED_CHARS = 500;

/** Base weight of each feature of `normalised` text (before IDF). */
export function features(normalised: string): Features {
  const out: Features = new Map();
  const put = (key: string, w: number) => out.set(key, Math.max(out.get(key) ?? 0, w));
  for (const run of tokenRuns(normalised.length > EXAMINED_CHARS ? normalised.slice(0, EXAMINED_CHARS) : normalised)) {
    for (let i = 0; i < run.length; i++) {
      const t = run[i]!;
      put(t.key, t.asks ? ASKS_WEIGHT : t.key.length > 1 ? 1 : CHAR_WEIGHT);
      const next = run[i + 1];
      if (!next) continue;
      // An n-gram of question words alone ("在哪 看") says as little as one.
      put(`${t.key} ${next.key}`, BIGRAM_WEIGHT * (t.asks && next.asks ? ASKS_WEIGHT : 1));
      const third = run[i + 2];
      if (third) put(`${t.key} ${next.key} ${third.key}`, TRIGRAM_WEIGHT * (t.asks && next.asks && third.asks ? ASKS_WEIGHT : 1));
    }
  }
  return out;
}

interface Entry<E> {
  entry: E;
  docs: Features[];
  /** Every feature of the entry's texts. */
  all: Set<string>;
}

export interface FaqHit<E> {
  entry: E;
  /** 0…1: 1 is certain (a pattern, or the question contains an entry's text and little else). */
  score: number;
}

export class FaqIndex<E extends FaqDoc> {
  private readonly entries: Entry<E>[];
  private readonly idf = new Map<string, number>();
  /** Weight of a feature no entry has. */
  private readonly unseen: number;

  constructor(list: readonly E[]) {
    this.entries = list.map((entry) => {
      const docs = [entry.q, ...entry.keywords, ...(entry.examples ?? [])].map((t) => features(normalise(t))).filter((d) => d.size > 0);
      const all = new Set<string>();
      for (const d of docs) for (const k of d.keys()) all.add(k);
      return { entry, docs, all };
    });
    const df = new Map<string, number>();
    for (const e of this.entries) for (const k of e.all) df.set(k, (df.get(k) ?? 0) + 1);
    const n = this.entries.length;
    for (const [k, d] of df) this.idf.set(k, Math.log(1 + n / d));
    this.unseen = Math.log(1 + n);
  }

  private weight(key: string, base: number): number {
    return base * (this.idf.get(key) ?? this.unseen);
  }

  /**
   * The best-scoring entry for `text` (`normalised` is it normalised), or null when none shares
   * anything with it. `asking`: the message reads as a question; one that does not ("作业已经交了")
   * is less likely asking an entry.
   */
  best(text: string, normalised: string, asking: boolean): FaqHit<E> | null {
    let top: FaqHit<E> | null = null;
    const q = features(normalised);
    let qWords = 0;
    for (const [k, w] of q) if (!k.includes(' ')) qWords += this.weight(k, w);
    for (const e of this.entries) {
      if (e.entry.regex && (e.entry.regex.test(text) || e.entry.regex.test(normalised))) return { entry: e.entry, score: 1 };
      let contained = 0;
      for (const d of e.docs) {
        let have = 0;
        let total = 0;
        for (const [k, w] of d) {
          const wk = this.weight(k, w);
          total += wk;
          if (q.has(k)) have += wk;
        }
        contained = Math.max(contained, (have / total) ** SHARPNESS);
      }
      let explained = 0;
      for (const [k, w] of q) if (!k.includes(' ') && e.all.has(k)) explained += this.weight(k, w);
      const score = contained * (qWords === 0 ? 0 : explained / qWords) ** FOCUS * (asking ? 1 : STATEMENT);
      if (score > 0 && (!top || score > top.score)) top = { entry: e.entry, score };
    }
    return top;
  }
}
