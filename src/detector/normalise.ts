/**
 * Text normalisation before matching, designed to cost well under a microsecond per message:
 *
 * - NFKC (full-width letters and punctuation, compatibility ideographs, circled digits…),
 *   Traditional → Simplified Chinese and ASCII lower-casing are folded into ONE per-character
 *   table computed at load time, so each message is a single table lookup per character instead
 *   of `String.prototype.normalize` plus a phrase-level converter. The T→S data is opencc-js's own
 *   character dictionaries (Taiwan/Hong Kong variants first, then TSCharacters). Only text holding
 *   combining marks, where NFKC depends on neighbours, goes through the full `normalize('NFKC')`.
 * - @mentions and URLs are removed; the titles inside 《…》 are blanked (quoted essay and book
 *   titles are not the parent speaking); whitespace runs become one space (a clause boundary);
 *   variation selectors, skin tones and zero-width characters are dropped so 🙏🏻️ matches 🙏.
 */
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import TSCharacters from 'opencc-js/dict/TSCharacters';

/** Table value meaning "drop this code unit". 0 means "keep as is". */
const DROP = 0xffff;
/** Table value meaning "look closer": @mentions, URLs, 《titles》, skin tones, combining marks. */
const SPECIAL = 0xfffe;
/** Table value meaning "NFKC gives several characters" (… → ...): see CharTable.multi. */
const MULTI = 0xfffd;

function parseDict(dict: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of dict.split('|')) {
    const [from, to] = pair.split(' ');
    if (from && to) map.set(from, to);
  }
  return map;
}

function toSimplified(ch: string, ts: Map<string, string>, variants: Map<string, string>[]): string {
  for (const v of variants) {
    const standard = v.get(ch);
    const simplified = standard === undefined ? undefined : ts.get(standard);
    if (simplified !== undefined) return simplified;
  }
  return ts.get(ch) ?? ch;
}

interface CharTable {
  single: Uint16Array;
  /** NFKC results longer than one code unit (… → ..., ① → 1), already simplified and lower-cased. */
  multi: Map<number, string>;
}

/**
 * Characters whose use in parents' chat text differs from the dictionary's: 著急 / 跟著 / 坐著
 * (OpenCC keeps 著, as in 著名, but here it is 着), and written Cantonese (Hong Kong and Guangdong
 * parents), whose function words have one Mandarin reading and no other use: 佢話有人成日打佢,
 * 唔想返學, 冇人理, 揾唔到 read as 他话…打他, 不想返学, 没人理, 找不到.
 */
const CHAT_USAGE: readonly [string, string][] = [
  ['著', '着'],
  ['佢', '他'], ['唔', '不'], ['冇', '没'], ['嘅', '的'], ['咗', '了'], ['喺', '在'], ['哋', '们'], ['畀', '被'],
  ['睇', '看'], ['揾', '找'], ['搵', '找'], ['攞', '拿'], ['嚟', '来'], ['啲', '些'], ['咁', '这么'],
];

/** Code point ranges where NFKC changes anything a class chat is likely to contain. */
const NFKC_RANGES: readonly [number, number][] = [[0x00a0, 0x33ff], [0xf900, 0xffef]];

function buildTable(): CharTable {
  const single = new Uint16Array(65536);
  const multi = new Map<number, string>();
  const ts = parseDict(TSCharacters);
  const variants = [parseDict(TWVariantsRev), parseDict(HKVariantsRev)];
  const fold = (s: string) =>
    Array.from(s, (ch) => toSimplified(ch, ts, variants)).join('').toLowerCase();
  const put = (code: number, out: string) => {
    if (out === String.fromCharCode(code)) return;
    if (out.length === 1) single[code] = out.charCodeAt(0);
    else if (out.length === 0) single[code] = DROP;
    else {
      single[code] = MULTI;
      multi.set(code, out);
    }
  };
  for (const [from, to] of NFKC_RANGES) {
    for (let c = from; c <= to; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const nfkc = ch.normalize('NFKC');
      if (nfkc !== ch) put(c, fold(nfkc));
    }
  }
  for (const [from] of ts) {
    if (from.length === 1 && single[from.charCodeAt(0)] === 0) put(from.charCodeAt(0), fold(from));
  }
  for (const v of variants) {
    for (const [from] of v) {
      if (from.length === 1 && single[from.charCodeAt(0)] === 0) put(from.charCodeAt(0), fold(from));
    }
  }
  // Chat usage over the dictionaries (著 as 着, written Cantonese).
  for (const [from, to] of CHAT_USAGE) put(from.charCodeAt(0), to);
  for (let c = 0x41; c <= 0x5a; c++) single[c] = c + 32;
  for (const c of [0x09, 0x0a, 0x0d, 0x0b, 0x0c]) single[c] = 0x20;
  for (const c of [0xfe0e, 0xfe0f, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]) single[c] = DROP;
  for (const ch of '@＠hwHW《') single[ch.charCodeAt(0)] = SPECIAL;
  single[0xd83c] = SPECIAL;
  for (let c = 0; c < 65536; c++) if (isCombining(c)) single[c] = SPECIAL;
  return { single, multi };
}

const TABLE = buildTable();

/** Combining marks: NFKC composes them with their neighbours, which a per-character table cannot. */
function isCombining(c: number): boolean {
  return (c >= 0x0300 && c <= 0x036f) || (c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x20d0 && c <= 0x20ff) || c === 0x3099 || c === 0x309a;
}

/** Characters that end a mention name (before mapping: both ASCII and full-width forms). */
function endsName(c: number): boolean {
  return c <= 0x40 || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7f) || c === 0x3000 ||
    (c >= 0x2000 && c <= 0x206f) || (c >= 0x3001 && c <= 0x3011) || (c >= 0xff01 && c <= 0xff20) ||
    c === 0x3002;
}

const ROLE_SUFFIXES = ['老师', '老師', '班主任', '助教'];
const MAX_NAME = 12;

/** End index of the @mention starting at `at` (WeChat puts a space after it; others may not). */
function mentionEnd(text: string, at: number): number {
  let j = at + 1;
  while (j < text.length && j - at <= MAX_NAME && !endsName(text.charCodeAt(j))) j++;
  if (j < text.length && j - at <= MAX_NAME) return j;
  if (j >= text.length) return j;
  // No separator: cut after a role word such as 「@李老师孩子…」, else after a short name.
  for (let k = at + 1; k < at + 8 && k < text.length; k++) {
    for (const role of ROLE_SUFFIXES) if (text.startsWith(role, k)) return k + role.length;
  }
  return Math.min(text.length, at + 4);
}

function urlEnd(text: string, at: number): number {
  let j = at;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c <= 0x20 || c > 0x7e) break;
    j++;
  }
  return j;
}

function startsUrl(text: string, i: number): boolean {
  return text.startsWith('http://', i) || text.startsWith('https://', i) || text.startsWith('www.', i);
}

const MAX_TITLE = 40;
/** Normalised text for matching. Pure; same input, same output. */
export function normalise(input: string): string {
  return fold(input, false);
}

interface Skip {
  /** Text to put in place of what is skipped. */
  insert: string;
  /** Index to continue from. */
  resume: number;
}

/** What a SPECIAL character at i starts: something to skip, 'restart' (combining mark), or nothing (plain). */
function special(text: string, i: number, c: number, composed: boolean): Skip | 'restart' | undefined {
  if (c === 0x40 || c === 0xff20) return { insert: '', resume: mentionEnd(text, i) };
  if ((c === 0x68 || c === 0x77 || c === 0x48 || c === 0x57) && startsUrl(text, i)) return { insert: '', resume: urlEnd(text, i) };
  if (c === 0x300a) {
    // Look only as far as a title can reach: searching the whole rest for every 《 is quadratic.
    const last = Math.min(text.length - 1, i + MAX_TITLE);
    for (let j = i + 1; j <= last; j++) if (text.charCodeAt(j) === 0x300b) return { insert: '《》', resume: j + 1 };
    return undefined;
  }
  if (c === 0xd83c) {
    const low = text.charCodeAt(i + 1);
    return low >= 0xdffb && low <= 0xdfff ? { insert: '', resume: i + 2 } : undefined; // 🙏🏻 is 🙏
  }
  if (isCombining(c)) return composed ? undefined : 'restart';
  return undefined;
}

/**
 * One pass that copies unchanged runs as slices and splices in what changes, so a message that
 * needs no change costs one table lookup per character and no allocation.
 */
function fold(text: string, composed: boolean): string {
  const { single, multi } = TABLE;
  let out = '';
  let run = 0; // start of the pending unchanged run
  let space = true; // the last character kept was a space (or nothing yet): suppress spaces
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let mapped = single[c]!;
    if (mapped === 0) {
      if (c !== 0x20) space = false;
      else if (space) {
        out += text.slice(run, i);
        run = i + 1;
      } else space = true;
      continue;
    }
    if (mapped === SPECIAL) {
      const skip = special(text, i, c, composed);
      if (skip === 'restart') return fold(text.normalize('NFKC'), true);
      if (skip !== undefined) {
        out += text.slice(run, i) + skip.insert;
        if (skip.insert !== '') space = false;
        run = skip.resume;
        i = skip.resume - 1;
        continue;
      }
      mapped = c === 0x48 || c === 0x57 ? c + 32 : 0; // H / W are still lower-cased
      if (mapped === 0) {
        space = false;
        continue;
      }
    }
    out += text.slice(run, i);
    run = i + 1;
    if (mapped === MULTI) {
      out += multi.get(c)!;
      space = false;
    } else if (mapped !== DROP && !(mapped === 0x20 && space)) {
      out += String.fromCharCode(mapped);
      space = mapped === 0x20;
    }
  }
  out += text.slice(run);
  return space && out.length > 0 && out.charCodeAt(out.length - 1) === 0x20 ? out.slice(0, -1) : out;
}
