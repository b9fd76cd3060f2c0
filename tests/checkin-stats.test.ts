/**
 * The check-in queries other features build on (reminders, reports), over activity produced
 * through the real engine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  awardsInRange,
  checkinCountToday,
  notCheckedIn,
  participationByDay,
  streakDistribution,
} from '../src/features/checkin/stats.js';
import type { Playbook } from '../src/playbook/playbook.js';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const GAMES = `
calendar:
  skip: [2026-11-25]
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [打卡] }
    days: [周一, 周二, 周三, 周四, 周五]
    makeup: { per_month: 2 }
    badges: [{ days: 2, name: 两日之星 }]
    levels: [{ checkins: 3, name: 第一关 }]
  - id: piano
    name: 练琴
    trigger: { keywords: ["#练琴"] }
`;

let t: TestBot;
let pb: Playbook;

async function at(iso: string, who: string, text: string, staff = false) {
  t.clock.set(Date.parse(`${iso}+08:00`));
  await t.say(who, text, staff ? { groupId: 'staff-1', groupName: '老师群' } : {});
}

beforeEach(async () => {
  t = await testBot({ 'c1.yaml': classPlaybook(GAMES) }, { now: '2026-11-23T07:00:00+08:00' });
  pb = t.bot.engine.playbooks[0]!;
  // Monday: 王 reads and practises, 李 reads, 张 only chats; the teacher posts too.
  await at('2026-11-23T07:00:00', '王妈妈', '打卡');
  await at('2026-11-23T07:01:00', '王妈妈', '#练琴');
  await at('2026-11-23T07:02:00', '李爸爸', '打卡');
  await at('2026-11-23T07:03:00', '张妈妈', '早上好');
  await at('2026-11-23T07:04:00', 'li', '大家早');
  // Tuesday: 王 reads; 张 is excused; 李 misses. Thursday: 王 and 李 read; 李 makes up Tuesday.
  await at('2026-11-24T07:00:00', '王妈妈', '打卡');
  await at('2026-11-24T08:00:00', 'li', '/打卡请假 张妈妈 晨读', true);
  await at('2026-11-26T07:00:00', '王妈妈', '打卡');
  await at('2026-11-26T07:01:00', '李爸爸', '打卡');
  await at('2026-11-26T07:02:00', '李爸爸', '补卡');
  // A member who first appears on Thursday.
  await at('2026-11-26T07:03:00', '赵奶奶', '你好');
});
afterEach(async () => {
  await t.stop();
});

describe('checkinCountToday', () => {
  it('counts members per game or across games, excused days not included', () => {
    expect(checkinCountToday(t.bot.store, pb, 'class', '2026-11-23')).toBe(2);
    expect(checkinCountToday(t.bot.store, pb, 'class', '2026-11-23', 'piano')).toBe(1);
    expect(checkinCountToday(t.bot.store, pb, 'class', '2026-11-24', 'reading')).toBe(2);
    expect(checkinCountToday(t.bot.store, pb, 'class', '2026-11-25')).toBe(0);
  });
});

describe('notCheckedIn', () => {
  it('lists members who posted, minus staff, the excused and those who joined later', () => {
    expect(notCheckedIn(t.bot.store, pb, 'class', '2026-11-23')).toEqual([{ id: '张妈妈', name: '张妈妈' }]);
    expect(notCheckedIn(t.bot.store, pb, 'class', '2026-11-23', 'piano').map((m) => m.name)).toEqual(['李爸爸', '张妈妈']);
    // Tuesday: 李 made it up later, 张 is excused.
    expect(notCheckedIn(t.bot.store, pb, 'class', '2026-11-24', 'reading')).toEqual([]);
    expect(notCheckedIn(t.bot.store, pb, 'class', '2026-11-26', 'reading').map((m) => m.name)).toEqual(['张妈妈', '赵奶奶']);
    expect(notCheckedIn(t.bot.store, pb, 'nope', '2026-11-26')).toEqual([]);
  });
});

describe('participationByDay', () => {
  it('gives members, check-ins, make-ups and excused per local day', () => {
    const days = participationByDay(t.bot.store, pb, 'class', '2026-11-23', '2026-11-26', 'reading');
    expect(days).toEqual([
      { date: '2026-11-23', gameDay: true, members: 3, checkedIn: 2, makeups: 0, corrected: 0, excused: 0 },
      { date: '2026-11-24', gameDay: true, members: 3, checkedIn: 2, makeups: 1, corrected: 0, excused: 1 },
      { date: '2026-11-25', gameDay: false, members: 3, checkedIn: 0, makeups: 0, corrected: 0, excused: 0 },
      { date: '2026-11-26', gameDay: true, members: 4, checkedIn: 2, makeups: 0, corrected: 0, excused: 0 },
    ]);
    // Across games, a day is a game day when any game runs: 练琴 runs on Saturdays, not on the holiday.
    expect(participationByDay(t.bot.store, pb, 'class', '2026-11-28', '2026-11-28')[0]!.gameDay).toBe(true);
    expect(participationByDay(t.bot.store, pb, 'class', '2026-11-25', '2026-11-25')[0]!.gameDay).toBe(false);
  });
});

describe('streakDistribution', () => {
  it('counts members per streak length, as of the end of a day or while it is open', () => {
    // End of Thursday: 王 3 (Mon, Tue, Thu), 李 3 (Tue made up), 张 0 (excused Tue, missed Mon/Thu), 赵 0.
    expect(streakDistribution(t.bot.store, pb, 'class', '2026-11-26', 'reading')).toEqual([
      { gameId: 'reading', streak: 0, members: 2 },
      { gameId: 'reading', streak: 3, members: 2 },
    ]);
    // Friday morning, the day still open: streaks are alive.
    const friday = Date.parse('2026-11-27T08:00:00+08:00');
    expect(streakDistribution(t.bot.store, pb, 'class', '2026-11-27', 'reading', friday)).toEqual([
      { gameId: 'reading', streak: 0, members: 2 },
      { gameId: 'reading', streak: 3, members: 2 },
    ]);
    expect(streakDistribution(t.bot.store, pb, 'class', '2026-11-27', 'reading')).toEqual([{ gameId: 'reading', streak: 0, members: 4 }]);
    // Without a game id: every game of the group.
    expect(streakDistribution(t.bot.store, pb, 'class', '2026-11-23').map((b) => b.gameId)).toEqual(['reading', 'reading', 'piano', 'piano']);
  });
});

describe('awardsInRange', () => {
  it('lists badges and levels reached between two dates, with the member', () => {
    const all = awardsInRange(t.bot.store, pb, 'class', '2026-11-23', '2026-11-30');
    expect(all.map((a) => `${a.day} ${a.member.name} ${a.kind} ${a.name} ${a.threshold}`)).toEqual([
      '2026-11-24 王妈妈 badge 两日之星 2',
      '2026-11-26 王妈妈 level 第一关 3',
      '2026-11-26 李爸爸 badge 两日之星 2',
      '2026-11-26 李爸爸 level 第一关 3',
    ]);
    expect(awardsInRange(t.bot.store, pb, 'class', '2026-11-25', '2026-11-25')).toEqual([]);
  });
});
