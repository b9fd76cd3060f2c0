/**
 * WeChat's quoted replies (引用) as puppets give them: the quote in corner brackets, a dashed line,
 * then the reply. Only the reply is the sender's words.
 */
import { describe, expect, it } from 'vitest';
import { splitQuote } from '../../adapters/wechaty/quote.js';

const DASHES = '- - - - - - - - - - - - - - -';

describe('a quoted reply', () => {
  it('gives the reply as the text and the quote, with its sender, as context', () => {
    expect(splitQuote(`「王妈妈：明天几点到校？」\n${DASHES}\n七点半到校`)).toEqual({ text: '七点半到校', quoted: '王妈妈：明天几点到校？' });
  });

  it('takes full-width 「」 and 『』, half-width ｢｣, dashed lines of any length, spaced or not, and CRLF', () => {
    const variants = [
      `「赵爸爸：孩子发烧了」\n- - - - - - - - - -\n请假一天`,
      `『赵爸爸：孩子发烧了』\n${DASHES}\n请假一天`,
      `｢赵爸爸：孩子发烧了｣\n${DASHES}\n请假一天`,
      `「赵爸爸：孩子发烧了」\n---------------\n请假一天`,
      `「赵爸爸：孩子发烧了」 \r\n - - - \r\n请假一天 `,
    ];
    for (const v of variants) expect(splitQuote(v), v).toEqual({ text: '请假一天', quoted: '赵爸爸：孩子发烧了' });
  });

  it('keeps a quote that spans lines or holds brackets whole, and a reply that spans lines', () => {
    expect(splitQuote(`「李老师：今日作业：\n1. 抄写「春晓」两遍\n2. 口算第 18 页」\n${DASHES}\n收到\n明天交`)).toEqual({
      text: '收到\n明天交',
      quoted: '李老师：今日作业：\n1. 抄写「春晓」两遍\n2. 口算第 18 页',
    });
  });

  it('is only a quote when nothing follows the dashed line: no words of the sender', () => {
    expect(splitQuote(`「王妈妈：明天几点到校？」\n${DASHES}`)).toEqual({ text: '', quoted: '王妈妈：明天几点到校？' });
    expect(splitQuote(`「王妈妈：明天几点到校？」\n${DASHES}\n  `)).toEqual({ text: '', quoted: '王妈妈：明天几点到校？' });
  });

  it('leaves text alone that only looks like one: brackets without the dashed line, dashes in the middle, too few dashes', () => {
    for (const t of ['「春晓」这首诗要背吗', `老师好\n「春晓」\n${DASHES}\n要背吗`, '「春晓」\n- -\n要背吗', '「春晓」背完了 - - - - - 下一首呢']) {
      expect(splitQuote(t)).toEqual({ text: t.trim() });
    }
  });
});
