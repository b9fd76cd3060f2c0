/**
 * A question as the FAQ matcher reads it: the detector's normalised text, synonyms folded to one
 * meaning each, fillers and politeness dropped, cut into tokens (a meaning, a Chinese character or
 * an English word) in runs between punctuation. Data in data/faq/synonyms.yaml.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { normalise } from '../../detector/normalise.js';

export const FAQ_WORDS_FILE = new URL('../../../data/faq/synonyms.yaml', import.meta.url);

const groups = z.array(z.array(z.string().min(1)).min(1));
const words = z.array(z.string().min(1));
const fileSchema = z.strictObject({ synonyms: groups, question_words: groups, plain_words: words, stop_phrases: words });

export interface Token {
  /** A meaning ("=课表"), a character, or an English word. */
  key: string;
  /** A question word (where, how…): weighs less than what the question is about. */
  asks: boolean;
}

interface Phrase {
  text: string;
  /** null: a stop phrase (dropped). */
  token: Token | null;
}

interface Lexicon {
  /** Chinese phrases by first character, longest first. */
  byFirst: Map<string, Phrase[]>;
  /** English words. */
  words: Map<string, Token | null>;
}

const isAscii = (s: string) => /^[a-z0-9 ]+$/.test(s);

function buildLexicon(source: string): Lexicon {
  const data = fileSchema.parse(parse(source));
  const byFirst = new Map<string, Phrase[]>();
  const words = new Map<string, Token | null>();
  const add = (raw: string, token: Token | null) => {
    const text = normalise(raw);
    if (isAscii(text)) {
      if (!words.has(text)) words.set(text, token);
      return;
    }
    const list = byFirst.get(text[0]!) ?? [];
    if (!list.some((p) => p.text === text)) list.push({ text, token });
    byFirst.set(text[0]!, list);
  };
  for (const [asks, list] of [[false, data.synonyms], [true, data.question_words]] as const) {
    for (const group of list) {
      const token = { key: `=${normalise(group[0]!)}`, asks };
      for (const w of group) add(w, token);
    }
  }
  for (const w of data.plain_words) add(w, { key: normalise(w), asks: false });
  for (const w of data.stop_phrases) add(w, null);
  for (const list of byFirst.values()) list.sort((a, b) => b.text.length - a.text.length);
  return { byFirst, words };
}

let lexicon: Lexicon | undefined;
const shipped = () => (lexicon ??= buildLexicon(readFileSync(FAQ_WORDS_FILE, 'utf8')));

/** ASCII letters and digits (normalised text is lower case): read as words. */
const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
/** CJK ideographs (the unified blocks a chat uses): read one by one. */
const isHan = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);

/** Tokens of single characters, shared (a message makes no objects for them). */
const chars = new Map<string, Token>();
const charToken = (ch: string): Token => {
  let t = chars.get(ch);
  if (!t) chars.set(ch, (t = { key: ch, asks: false }));
  return t;
};

/** The runs of tokens in `s`, text already normalised (punctuation and spaces end a run). */
export function tokenRuns(s: string): Token[][] {
  const { byFirst, words } = shipped();
  const runs: Token[][] = [];
  let run: Token[] = [];
  const cut = () => {
    if (run.length > 0) runs.push(run);
    run = [];
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    if (isLetter(c)) {
      let j = i;
      while (j < s.length && isLetter(s.charCodeAt(j))) j++;
      const word = s.slice(i, j);
      const known = words.get(word);
      // English words join the run, so "the 课表" reads like 课表; unknown ones count as themselves.
      if (known !== null) run.push(known ?? { key: word, asks: false });
      i = j;
      continue;
    }
    const phrase = byFirst.get(ch)?.find((p) => s.startsWith(p.text, i));
    if (phrase) {
      if (phrase.token) run.push(phrase.token);
      i += phrase.text.length;
      continue;
    }
    if (isHan(c)) run.push(charToken(ch));
    else if (ch !== "'") cut();
    i++;
  }
  cut();
  return runs;
}
