/**
 * Check-in keywords and bot commands are matched on the detector's normalised text (Traditional →
 * Simplified, full width → half width, lower case), and playbook keywords are normalised the same
 * way when the playbook loads, so either side may be written either way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

const game = (keyword: string, extra = '') => `
checkin:
  - { id: writing, name: 书法, trigger: { keywords: [${keyword}] }${extra} }
`;
const start = (extra: string) => testBot({ 'c1.yaml': classPlaybook(extra) }, { now: '2026-11-23T18:00:00+08:00' });
const checkins = () => (t.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM checkins').get() as { n: number }).n;
const classTexts = () => t.adapter.textsTo('class-1');

describe('check-in keywords on normalised text', () => {
  it('a Traditional keyword matches a Simplified message', async () => {
    t = await start(game('練字'));
    await t.say('王妈妈', '今天练字完成');
    expect(checkins()).toBe(1);
    expect(classTexts().at(-1)).toMatch(/^✅ 书法打卡成功/);
  });

  it('a Simplified keyword matches a Traditional message', async () => {
    t = await start(game('练字'));
    await t.say('王妈妈', '今天練字完成');
    expect(checkins()).toBe(1);
  });

  it('full-width letters match an ASCII keyword, and full-width digits give the number', async () => {
    t = await start(game('ABC', ', require: { number: 时长, units: [分钟] }'));
    await t.say('王妈妈', 'ａｂｃ打卡 ３０分钟');
    expect(checkins()).toBe(1);
    const amount = t.bot.store.sqlite.prepare('SELECT amount FROM checkins').get() as { amount: number };
    expect(amount.amount).toBe(30);
  });

  it('a message without the keyword in any form is not a check-in', async () => {
    t = await start(game('練字'));
    await t.say('王妈妈', '今天练琴完成');
    expect(checkins()).toBe(0);
  });
});

describe('commands on normalised text', () => {
  it('a phrase command typed in Traditional, and slash commands in Traditional or full width, are recognised', async () => {
    t = await start(game('练字'));
    await t.say('王妈妈', '补卡');
    const simplified = classTexts();
    expect(simplified).toHaveLength(1);
    await t.say('王妈妈', '補卡');
    expect(classTexts()).toEqual([...simplified, simplified[0]]);
    await t.say('李爸爸', '／幫助', { addressed: true });
    await t.say('李爸爸', '/ＨＥＬＰ', { addressed: true });
    const helps = classTexts().slice(2);
    expect(helps).toHaveLength(2);
    for (const h of helps) expect(h.split('\n')[0]).toBe('可用指令：');
  });
});
