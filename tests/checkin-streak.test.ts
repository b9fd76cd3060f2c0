/**
 * A check-in's streak runs back through the member's whole history: a streak of months, and one
 * broken long ago behind months of older check-ins.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recordCheckin } from '../src/features/checkin/records.js';
import { addDays } from '../src/time.js';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const PIANO = `
checkin:
  - id: piano
    name: 练琴
    trigger: { keywords: ["#练琴"] }
`;

let t: TestBot;
afterEach(async () => t?.stop());

/** 王妈妈 posts once (so she is a member), then has check-ins on the `days` before 2027-02-01 given; returns the reply to her check-in on 2027-02-01. */
async function checkInAfter(days: number[]): Promise<string | undefined> {
  t = await testBot({ 'c1.yaml': classPlaybook(PIANO) }, { now: '2026-11-01T07:00:00+08:00' });
  await t.say('王妈妈', '老师好');
  const memberId = (t.bot.store.sqlite.prepare(`SELECT id FROM members WHERE user_id = '王妈妈'`).get() as { id: number }).id;
  const slot = { playbookId: 'c1', gameId: 'piano', groupKey: 'class', memberId };
  for (const back of days) recordCheckin(t.bot.store, slot, { day: addDays('2027-02-01', -back), kind: 'normal', now: t.clock.now() });
  t.clock.set(Date.parse('2027-02-01T07:00:00+08:00'));
  await t.say('王妈妈', '#练琴');
  return t.adapter.textsTo('class-1').at(-1);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('check-in streaks over a long history', () => {
  it('counts a streak of months', async () => {
    expect(await checkInAfter(range(1, 80))).toBe('✅ 练琴打卡成功！今天全班已有 1 人打卡，你已连续打卡 81 天。');
  });

  it('stops at a missed day, however much older history there is', async () => {
    expect(await checkInAfter([...range(1, 9), ...range(11, 90)])).toBe('✅ 练琴打卡成功！今天全班已有 1 人打卡，你已连续打卡 10 天。');
  });
});
