/**
 * FAQ answers on the real engine and store: Traditional Chinese and full-width text, questions
 * asked in the parent's own words, the band where staff are asked to confirm, and the labelled
 * set the matcher is measured on (tests/fixtures/faq-*.tsv, also `classbot faq --eval`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateFaq, parseFaqTsv } from '../src/features/faq/evaluate.js';
import { formatError, loadPlaybookDir, parsePlaybook } from '../src/playbook/load.js';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';
import { ROOT, runCli } from './helpers/cli.js';

const SCHEDULE = '本学期课表在群文件里。';
const REPLAY = '回放在 App「我的课程」里。';
const REFUND = '退费请私信李老师。';
const FAQ = `faq:
  - q: 课表在哪里看
    keywords: [课表, 課程表]
    answer: ${SCHEDULE}
  - q: 回放在哪里
    keywords: [回放]
    examples: [直播错过了还能看吗]
    answer: ${REPLAY}
  - q: 上课链接
    keywords: [ZOOM链接]
    answer: 链接课前发在群里。
  - q: 退费流程
    keywords: [退费流程, 怎么退费]
    answer: ${REFUND}
`;

let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

const start = (extra = FAQ) => testBot({ 'c1.yaml': classPlaybook(extra) }, { now: '2026-11-23T18:00:00+08:00' });
const classTexts = () => t.adapter.textsTo('class-1');
const staffTexts = () => t.adapter.textsTo('staff-1');
const followups = () => t.bot.store.sqlite.prepare('SELECT category FROM followups').all();

describe('FAQ on normalised text', () => {
  it('answers a Traditional question, then the same question @-addressed, with no follow-up', async () => {
    t = await start();
    await t.say('王妈妈', '請問課表在哪裡看？');
    await t.advance(20 * 60_000);
    await t.say('王妈妈', '@classbot 課表在哪', { addressed: true });
    expect(classTexts()).toEqual([SCHEDULE, SCHEDULE]);
    expect(followups()).toEqual([]);
    expect(staffTexts()).toEqual([]);
  });

  it('matches keywords written in Traditional or full width against the other form', async () => {
    t = await start();
    await t.say('王妈妈', '课程表在哪？');
    await t.say('李爸爸', 'ｚｏｏｍ链接在哪？');
    expect(classTexts()).toEqual([SCHEDULE, '链接课前发在群里。']);
  });

  it('reads written Cantonese function words as Mandarin', async () => {
    t = await start(`faq:\n  - q: 回放\n    keywords: [看回放]\n    answer: ${REPLAY}\n`);
    await t.say('陈妈妈', '唔该，点样睇回放？');
    expect(classTexts()).toEqual([REPLAY]);
  });
});

describe('FAQ by meaning', () => {
  it('answers paraphrases with no keyword in them', async () => {
    t = await start();
    await t.say('王妈妈', '孩子的课程安排在哪能查到');
    await t.say('李爸爸', '昨天直播没赶上能补看吗');
    expect(classTexts()).toEqual([SCHEDULE, REPLAY]);
    expect(staffTexts()).toEqual([]);
  });

  it('answers in the middle band and asks staff to confirm, opening no follow-up', async () => {
    t = await start(`${FAQ}faq_match: { answer_above: 1, confirm_above: 0.3 }\n`);
    await t.say('王妈妈', '孩子的课程安排在哪能查到');
    expect(classTexts()).toEqual([SCHEDULE]);
    expect(staffTexts()).toEqual([
      '🤔 请确认机器人的回答\n王妈妈在三年级二班家长群问：孩子的课程安排在哪能查到\n机器人按常见问题「课表在哪里看」回答了：本学期课表在群文件里。\n答得不对的话，请在群里直接更正；答得对就不用管。',
    ]);
    expect(followups()).toEqual([]);
  });

  it('leaves a question below the band to the unanswered-question follow-up', async () => {
    t = await start(`${FAQ}faq_match: { answer_above: 1, confirm_above: 1 }\n`);
    await t.say('王妈妈', '孩子的课程安排在哪能查到', { addressed: true });
    expect(classTexts()).toEqual(['这个问题我先记下了，李老师会尽快回复您～']);
    expect(followups()).toEqual([{ category: 'question' }]);
  });

  it('answers nothing to a question about something else', async () => {
    t = await start();
    await t.say('王妈妈', '孩子发烧了，明天的体育课还要上吗？');
    await t.say('李爸爸', '学校食堂的菜谱在哪看');
    expect(classTexts()).toEqual([]);
  });
});

describe('faq_match in the playbook', () => {
  it('rejects thresholds out of order or out of range, at their line', () => {
    const bad = parsePlaybook(classPlaybook(`${FAQ}faq_match: { answer_above: 0.4, confirm_above: 0.6 }\n`), 'c1.yaml', 'c1');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map(formatError)).toEqual([expect.stringMatching(/^c1\.yaml:\d+:\d+: faq_match\.confirm_above: confirm_above 不能大于 answer_above$/)]);
    const range = parsePlaybook(classPlaybook(`${FAQ}faq_match: { answer_above: 2 }\n`), 'c1.yaml', 'c1');
    expect(range.ok ? [] : range.errors.map((e) => e.message)).toEqual(['应在 0 到 1 之间']);
  });
});

describe('FAQ beside a follow-up', () => {
  it('a worried message that also asks an FAQ question gets the answer and the follow-up', async () => {
    t = await start();
    await t.say('王妈妈', '回放在哪看？老师一直不回消息', { addressed: true });
    expect(followups()).toEqual([{ category: 'complaint' }]);
    expect(classTexts()).toHaveLength(2);
    expect(classTexts()[1]).toBe(REPLAY);
  });

  it('a worried message that only mentions a keyword, or a safety case, gets no FAQ answer', async () => {
    t = await start();
    await t.say('王妈妈', '课表太乱了，孩子跟不上，好焦虑？', { addressed: true });
    await t.say('李爸爸', '孩子在学校被同学欺负了，身上都是伤，回放在哪看？', { addressed: true });
    expect(followups()).toEqual([{ category: 'academic' }, { category: 'safety' }]);
    expect(classTexts()).not.toContain(SCHEDULE);
    expect(classTexts()).not.toContain(REPLAY);
    expect(classTexts()).toHaveLength(2);
  });
});

describe('the refund FAQ', () => {
  it('answers a calm question about the refund process, and opens no follow-up for it', async () => {
    t = await start();
    await t.say('王妈妈', '退费流程是怎样的', { addressed: true });
    await t.say('李爸爸', '请问怎么退费？');
    expect(classTexts()).toEqual([REFUND, REFUND]);
    expect(followups()).toEqual([]);
    expect(staffTexts()).toEqual([]);
  });

  it('answers and opens a follow-up when the question carries a demand, worry or a complaint besides it', async () => {
    t = await start();
    await t.say('王妈妈', '我们要退费，怎么退费？', { addressed: true });
    await t.say('李爸爸', '孩子实在不想学了，怎么退费？', { addressed: true });
    await t.say('张妈妈', '回放在哪看？老师一直不回消息', { addressed: true });
    expect(followups()).toEqual([{ category: 'refund' }, { category: 'refund' }, { category: 'complaint' }]);
    expect(classTexts().filter((m) => m === REFUND)).toHaveLength(2);
    expect(classTexts()).toContain(REPLAY);
    expect(staffTexts()).toHaveLength(3);
  });
});

describe('the labelled set', () => {
  const playbooks = new Map(loadPlaybookDir(join(ROOT, 'playbooks')).playbooks.map((pb) => [pb.id, pb]));
  for (const file of ['tests/fixtures/faq-dev.tsv', 'tests/fixtures/faq-fresh.tsv', 'tests/fixtures/faq-fresh-2.tsv']) {
    it(`holds precision ≥ 0.95 and recall ≥ 0.85 on ${file}`, () => {
      const { rows, errors } = parseFaqTsv(readFileSync(join(ROOT, file), 'utf8'));
      expect(errors).toEqual([]);
      const report = evaluateFaq(rows, (r) => playbooks.get(r.playbook!)!);
      expect(report.precision).toBeGreaterThanOrEqual(0.95);
      expect(report.recall).toBeGreaterThanOrEqual(0.85);
    });
  }

  it('has at least 300 lines for the example playbooks, each naming one of their entries or none', () => {
    const rows = ['faq-dev', 'faq-fresh', 'faq-fresh-2'].flatMap((f) => parseFaqTsv(readFileSync(join(ROOT, `tests/fixtures/${f}.tsv`), 'utf8')).rows);
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.playbook))).toEqual(new Set(playbooks.keys()));
    const entries = new Set([...playbooks.values()].flatMap((pb) => pb.faq.map((f) => f.q)));
    for (const r of rows) if (r.expected) expect(entries).toContain(r.expected);
  });

  it('classbot faq --eval prints precision, recall and the misses', () => {
    const r = runCli(['faq', '--eval', 'tests/fixtures/faq-dev.tsv', '--playbook', 'g5-english']);
    expect(r.status).toBe(0);
    expect(r.lines[0]).toMatch(/^共 \d+ 条，应回答 \d+ 条；机器人回答 \d+ 条/);
    expect(r.lines[1]).toMatch(/^精确率 \d+\.\d%　召回率 \d+\.\d%$/);
    const bad = runCli(['faq', '--eval', 'tests/fixtures/faq-dev.tsv', '--playbook', 'nope']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('找不到 id 为 nope 的班级配置');
  });
});
