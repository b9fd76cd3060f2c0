/**
 * Playbook regular expressions (FAQ `pattern`, check-in `trigger.pattern`, group `match`) run on
 * re2js, a linear-time engine: parents type the messages and anyone can set a group's title, and
 * JavaScript's backtracking RegExp takes seconds on `^打卡(\d+\s*)+分钟` against 「打卡」 and 28
 * digits (four times longer for every two more). Authors keep writing JavaScript syntax; this
 * module translates it to RE2's and refuses, in Chinese and naming it, what no linear-time engine
 * can do (lookaround, backreferences). Compile once per playbook, at load.
 */
import { RE2JS } from 're2js';
import { z } from 'zod';

export type Pattern = RE2JS;

interface Problem {
  /** Index in the pattern where the construct starts. */
  at: number;
  construct: string;
  what: string;
  hint: string;
}

/** JavaScript's \s, which includes what a Chinese input method types (U+3000); RE2's \s is ASCII only. */
const SPACES = '\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
const ANY = '\\x{0}-\\x{10ffff}';
const LOOKAROUND: readonly [string, string][] = [
  ['(?=', '先行断言'], ['(?!', '否定先行断言'], ['(?<=', '后行断言'], ['(?<!', '否定后行断言'],
];
const LOOKAROUND_HINT = '去掉断言，把要求的文字直接写进表达式，或改用 keywords';
const BACKREFERENCE_HINT = '把要重复的文字直接写出来';
/** `\p{Script=Han}` and `\p{gc=L}` are JavaScript's spellings of RE2's `\p{Han}` and `\p{L}`. */
const PROPERTY_PREFIX = /^(?:Script|sc|Script_Extensions|scx|General_Category|gc)=/;
const HEX = /^[0-9a-fA-F]+$/;

const hexEscape = (code: number) => `\\x{${code.toString(16)}}`;

/** The escape at source[i] (a backslash) in RE2 syntax, and where it ends; or the problem with it. */
function translateEscape(source: string, i: number, inClass: boolean): { text: string; end: number } | Problem {
  const c = source[i + 1] ?? '';
  if (/[1-9]/.test(c) || source.startsWith('k<', i + 1)) {
    const construct = c === 'k' ? source.slice(i, source.indexOf('>', i) + 1 || source.length) : `\\${c}`;
    return { at: i, construct, what: '反向引用', hint: BACKREFERENCE_HINT };
  }
  if (c === 's') return { text: inClass ? SPACES : `[${SPACES}]`, end: i + 2 };
  if (c === 'S' && !inClass) return { text: `[^${SPACES}]`, end: i + 2 };
  if (c === 'b' && inClass) return { text: hexEscape(8), end: i + 2 }; // [\b] is a backspace
  if (c === '0') return { text: hexEscape(0), end: i + 2 };
  if (c === 'u' || c === 'x') {
    const braced = c === 'u' && source[i + 2] === '{' ? source.slice(i + 3, source.indexOf('}', i + 3)) : '';
    const digits = braced || source.slice(i + 2, i + (c === 'u' ? 6 : 4));
    if (HEX.test(digits) && (braced !== '' || digits.length === (c === 'u' ? 4 : 2))) {
      let code = parseInt(digits, 16);
      let end = braced ? i + 4 + braced.length : i + 2 + digits.length;
      // \uD83D\uDE00 is one emoji: RE2 reads code points, not UTF-16 halves.
      const low = source.slice(end + 2, end + 6);
      if (code >= 0xd800 && code <= 0xdbff && source.startsWith('\\u', end) && HEX.test(low) && low.length === 4) {
        const l = parseInt(low, 16);
        if (l >= 0xdc00 && l <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (l - 0xdc00);
          end += 6;
        }
      }
      return { text: hexEscape(code), end };
    }
    return { text: c, end: i + 2 };
  }
  if (c === 'c' && /[A-Za-z]/.test(source[i + 2] ?? '')) return { text: hexEscape(source.charCodeAt(i + 2) % 32), end: i + 3 };
  if ((c === 'p' || c === 'P') && source[i + 2] === '{') {
    const close = source.indexOf('}', i + 3);
    if (close > 0) return { text: `\\${c}{${source.slice(i + 3, close).replace(PROPERTY_PREFIX, '')}}`, end: close + 1 };
  }
  if ('dDwWbBtnrfvS'.includes(c)) return { text: `\\${c}`, end: i + 2 };
  // Any other escaped punctuation is itself in both; an escaped letter or other character is the character (JavaScript).
  return { text: /[!-/:-@[-`{-~]/.test(c) ? `\\${c}` : c, end: i + 2 };
}

/** The pattern (valid JavaScript) in RE2 syntax, or the first construct RE2 cannot run. */
function translate(source: string): { re2: string } | Problem {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const escaped = translateEscape(source, i, inClass);
      if ('at' in escaped) return escaped;
      out += escaped.text;
      i = escaped.end - 1;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c; // [[:alpha:]] is a POSIX class in RE2, brackets in JavaScript
    } else if (c === '[') {
      // JavaScript's [] matches nothing and [^] anything; RE2 spells neither so.
      if (source.startsWith('[]', i) || source.startsWith('[^]', i)) {
        const negated = source[i + 1] === '^';
        out += negated ? `[${ANY}]` : `[^${ANY}]`;
        i += negated ? 2 : 1;
        continue;
      }
      inClass = true;
      out += '[';
      if (source[i + 1] === '^') out += source[++i];
    } else if (c === '(' && source[i + 1] === '?') {
      const look = LOOKAROUND.find(([open]) => source.startsWith(open, i));
      if (look) return { at: i, construct: look[0], what: look[1], hint: LOOKAROUND_HINT };
      if (source[i + 2] === '<') {
        out += '(?P<';
        i += 2;
      } else out += c;
    } else out += c;
  }
  return { re2: out };
}

const describe = (p: Problem) =>
  `正则表达式第 ${p.at + 1} 个字符起的「${p.construct}」是${p.what}，不支持（本程序用线性时间的正则引擎，匹配时间不随消息变长而暴涨）；请改写：${p.hint}`;

/** What RE2 said, in Chinese where the playbook author is likely to hit it. */
function describeRe2Error(e: Error): string {
  const m = /invalid repeat count: `([^`]*)`/.exec(e.message);
  if (m) return `正则表达式里的重复次数「${m[1]}」太大：连同外层的重复，最多 1000 次`;
  const property = /invalid character class range: `(\\[pP][^`]*)`/.exec(e.message);
  if (property) return `正则表达式里的 Unicode 类别「${property[1]}」不认识，可用 \\p{Han}（汉字）、\\p{L}（字母）等`;
  return `正则表达式无法使用：${e.message}`;
}

/** Compiles a playbook pattern, throwing an Error with a Chinese message when it cannot run in linear time. */
export function compilePattern(source: string, options: { ignoreCase?: boolean } = {}): Pattern {
  const translated = translate(source);
  if ('at' in translated) throw new Error(describe(translated));
  try {
    return RE2JS.compile(translated.re2, options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    throw new Error(describeRe2Error(e as Error));
  }
}

/** A playbook field holding a regular expression: valid JavaScript syntax that the linear-time engine can run. */
export const patternSchema = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch {
    ctx.addIssue({ code: 'custom', message: '不是有效的正则表达式' });
    return;
  }
  try {
    compilePattern(source);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});
