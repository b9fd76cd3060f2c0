import { describe, expect, it } from 'vitest';
import { normalise } from '../src/detector/normalise.js';
import { Automaton, MatchBuffer } from '../src/detector/trie.js';

describe('worry detector: normalisation', () => {
  it('applies NFKC: full-width letters, digits and punctuation become ASCII, lower-cased', () => {
    expect(normalise('ＯＫ，收到！！１２３')).toBe('ok,收到!!123');
    expect(normalise('①…')).toBe('1...');
  });

  it('converts Traditional to Simplified, including Taiwan and Hong Kong variants', () => {
    expect(normalise('老師，孩子這次數學只考了59分')).toBe('老师,孩子这次数学只考了59分');
    expect(normalise('裡面為什麼著急')).toBe('里面为什么着急');
    expect(normalise('女兒說放學路上有個男的跟著她')).toBe('女儿说放学路上有个男的跟着她');
  });

  it('reads written Cantonese function words as Mandarin (Hong Kong and Guangdong parents)', () => {
    expect(normalise('佢話有人成日打佢，唔想返學')).toBe('他话有人成日打他,不想返学');
    expect(normalise('揾唔到個仔，冇人睇到佢')).toBe('找不到个仔,没人看到他');
  });

  it('leaves Simplified text alone', () => {
    expect(normalise('孩子最近不想上学')).toBe('孩子最近不想上学');
  });

  it('removes @mentions, with or without a following space', () => {
    expect(normalise('@李老师 收到，谢谢您')).toBe('收到,谢谢您');
    expect(normalise('@王老师\u2005作业已上传')).toBe('作业已上传');
    expect(normalise('@李老师孩子看图写话写不出来，怎么办')).toBe('孩子看图写话写不出来,怎么办');
  });

  it('removes URLs', () => {
    expect(normalise('作业在这 https://example.com/hw?id=3 请查收')).toBe('作业在这 请查收');
    expect(normalise('看www.example.com上的通知')).toBe('看上的通知');
  });

  it('blanks titles in 《》 but keeps quoted speech', () => {
    expect(normalise('作文《我最害怕的一件事》写完了')).toBe('作文《》写完了');
    expect(normalise('她说“我不想活了”')).toBe('她说“我不想活了”');
  });

  it('drops variation selectors, skin tones and zero-width characters, so emoji match plainly', () => {
    expect(normalise('收到🙏🏻\ufe0f')).toBe('收到🙏');
    expect(normalise('好\u200b的')).toBe('好的');
  });

  it('collapses whitespace and trims it', () => {
    expect(normalise('  周一早上又哭了\t\n不肯进教室  ')).toBe('周一早上又哭了 不肯进教室');
  });

  it('composes combining marks as NFKC does', () => {
    expect(normalise('cafe\u0301')).toBe('café');
  });
});

describe('worry detector: one-pass automaton', () => {
  const find = (patterns: string[], text: string) => {
    const buffer = new MatchBuffer();
    new Automaton(patterns).scan(text, buffer);
    return Array.from({ length: buffer.count }, (_, i) => [patterns[buffer.pattern[i]!], buffer.start[i], buffer.end[i]]);
  };

  it('reports every occurrence, overlapping ones included, not just the longest', () => {
    expect(find(['不', '不想', '不想上学', '上学'], '不想上学')).toEqual([
      ['不', 0, 1], ['不想', 0, 2], ['不想上学', 0, 4], ['上学', 2, 4],
    ]);
  });

  it('finds suffix patterns through failure links and repeated occurrences', () => {
    expect(find(['欺负', '被欺负'], '又被欺负了，欺负他')).toEqual([
      ['被欺负', 1, 4], ['欺负', 2, 4], ['欺负', 6, 8],
    ]);
  });

  it('matches emoji and stops at characters no pattern contains', () => {
    expect(find(['😭', '哭了'], '又哭了😭x😭')).toEqual([['哭了', 1, 3], ['😭', 3, 5], ['😭', 6, 8]]);
    expect(find(['打人'], '打x人')).toEqual([]);
  });

  it('rejects empty patterns', () => {
    expect(() => new Automaton([''])).toThrow();
  });
});
