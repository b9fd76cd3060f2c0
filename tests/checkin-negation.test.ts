/**
 * Check-in keywords that are negated (「还没打卡」「又忘了打卡」) or plans (「晚上再打卡」) are no
 * check-in (#18 item 7), through the real engine: no reply, no record, no streak, no badge.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const GAME = `
checkin:
  - id: writing
    name: 练字
    trigger: { keywords: [打卡, 练字完成], media: [image] }
    window: { start: "06:00", end: "22:00" }
    badges: [{ days: 2, name: 两日之星 }]
`;

let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

const recorded = (name: string) =>
  (t.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM checkins c JOIN members m ON m.id = c.member_id WHERE m.name = ?`).get(name) as { n: number }).n;

const COUNTS = [
  '打卡',
  '今天练字完成 打卡',
  '打卡 20分钟',
  '補打卡昨天的',
  '已打卡',
  '打卡了，今天没偷懒',
  '不容易啊，终于打卡了',
  '不好意思，打卡晚了',
  '没想到今天这么顺利，打卡',
  '没事打卡啦',
  '昨天忘了打卡，今天打卡 30分钟',
  '今天晚上打卡 30分钟',
  '練字完成！',
];

const DOES_NOT_COUNT = [
  '又忘了打卡，孩子爸爸太忙了😂',
  '今天还没打卡，晚上补',
  '今天还没打卡，晚上再打卡 20分钟',
  '今天還沒打卡',
  '没打卡',
  '今天没有打卡',
  '未打卡',
  '还不打卡',
  '忘记给孩子打卡了',
  '别忘了打卡',
  '明天打卡',
  '待会打卡',
  '一会儿再打卡',
  '等下给孩子打卡',
  '晚点打卡',
  '准备打卡了',
  '打算明天早上打卡',
  '晚上补打卡',
];

describe('what a keyword says about the check-in', () => {
  it('counts check-ins and leaves negated and planned ones alone, silently', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(GAME) }, { now: '2026-11-23T08:00:00+08:00' });
    const cases = [...COUNTS.map((text) => ({ text, counts: true })), ...DOES_NOT_COUNT.map((text) => ({ text, counts: false }))];
    const results = [];
    for (const [i, c] of cases.entries()) {
      const who = `家长${i}`;
      t.adapter.clear();
      await t.say(who, c.text);
      results.push({ text: c.text, counted: recorded(who) === 1, replied: t.adapter.textsTo('class-1').length > 0 });
    }
    expect(results).toEqual(cases.map((c) => ({ text: c.text, counted: c.counts, replied: c.counts })));
  });

  it('does not count a photo whose words say the check-in is still to come', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(GAME) }, { now: '2026-11-23T08:00:00+08:00' });
    await t.say('王妈妈', '作业拍好了，还没打卡', { elements: [{ type: 'text', text: '作业拍好了，还没打卡' }, { type: 'image' }] });
    expect(recorded('王妈妈')).toBe(0);
    await t.say('王妈妈', '', { elements: [{ type: 'image' }] });
    expect(recorded('王妈妈')).toBe(1);
  });

  it('gives the quoted messages of the issue no check-in, no streak and no badge', async () => {
    t = await testBot({ 'c1.yaml': classPlaybook(GAME) }, { now: '2026-11-23T08:00:00+08:00' });
    await t.say('王妈妈', '打卡');
    t.clock.set(Date.parse('2026-11-24T08:00:00+08:00'));
    t.adapter.clear();
    for (const text of ['又忘了打卡，孩子爸爸太忙了😂', '今天还没打卡，晚上补', '今天还没打卡，晚上再打卡 20分钟']) await t.say('王妈妈', text);
    expect(t.adapter.textsTo('class-1')).toEqual([]);
    expect(recorded('王妈妈')).toBe(1);
    expect(t.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM checkin_awards`).get()).toEqual({ n: 0 });
    await t.say('王妈妈', '我的打卡');
    expect(t.adapter.textsTo('class-1').at(-1)).toContain('徽章：暂无');
    // The evening's real check-in is the one that continues the streak and earns the badge.
    t.clock.set(Date.parse('2026-11-24T20:00:00+08:00'));
    await t.say('王妈妈', '打卡');
    expect(t.adapter.textsTo('class-1').at(-1)).toBe('✅ 练字打卡成功！今天全班已有 1 人打卡，你已连续打卡 2 天。\n🏅 连续打卡 2 天，获得「两日之星」徽章！');
  });
});
