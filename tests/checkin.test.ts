/**
 * Check-in games end to end on the real engine, store and scheduler, with a fake clock: what
 * parents and staff see in their groups, and what is recorded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGES } from '../src/messages.js';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const READING = `
calendar:
  skip: [{ from: 2026-11-25, to: 2026-11-25, name: 运动会 }]
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [打卡], media: [image] }
    window: { start: "06:00", end: "21:00" }
    days: [周一, 周二, 周三, 周四, 周五]
    makeup: { per_month: 1, within_days: 3 }
    badges: [{ days: 3, name: 三日之星 }]
    levels: [{ checkins: 2, name: 第一关 }, { checkins: 4, name: 第二关 }]
    leaderboard: { cron: "0 21 * * 0", top: 2 }
    inactivity: { after_days: 2, cron: "0 20 * * *" }
`;

let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

const start = (extra = READING, now = '2026-11-23T08:00:00+08:00') => testBot({ 'c1.yaml': classPlaybook(extra) }, { now });
const setTime = (iso: string) => t.clock.set(Date.parse(iso));
const classTexts = () => t.adapter.textsTo('class-1');
const staffTexts = () => t.adapter.textsTo('staff-1');
const lastClass = () => classTexts().at(-1);

interface Row {
  name: string;
  day: string;
  kind: string;
  amount: number | null;
}
const rows = (): Row[] =>
  t.bot.store.sqlite
    .prepare(`SELECT m.name, c.day, c.kind, c.amount FROM checkins c JOIN members m ON m.id = c.member_id ORDER BY c.day, m.name`)
    .all() as Row[];

/** Posts as `who` at a local time (+08:00). */
async function at(iso: string, who: string, text: string, extra = {}) {
  setTime(`${iso}+08:00`);
  await t.say(who, text, extra);
}

describe('the daily window and local midnight', () => {
  it('counts 23:59:59 for that day and 00:00 for the next, in the playbook timezone', async () => {
    t = await start(`
checkin:
  - { id: allday, name: 练字, trigger: { keywords: [打卡] } }
`);
    await at('2026-11-23T23:59:59', '王妈妈', '打卡');
    expect(lastClass()).toBe('✅ 练字打卡成功！今天全班已有 1 人打卡，你已连续打卡 1 天。');
    await at('2026-11-24T00:00:00', '王妈妈', '打卡');
    expect(lastClass()).toBe('✅ 练字打卡成功！今天全班已有 1 人打卡，你已连续打卡 2 天。');
    expect(rows().map((r) => r.day)).toEqual(['2026-11-23', '2026-11-24']);
  });

  it('counts a message sent at 23:59 and delivered after midnight for the day it was sent', async () => {
    t = await start(`
checkin:
  - { id: allday, name: 练字, trigger: { keywords: [打卡] } }
`);
    setTime('2026-11-24T00:00:20+08:00');
    await t.say('王妈妈', '打卡', { timestamp: Date.parse('2026-11-23T23:59:50+08:00') });
    expect(rows().map((r) => r.day)).toEqual(['2026-11-23']);
  });

  it('refuses kindly before the start and from the end minute on, without counting', async () => {
    t = await start();
    await at('2026-11-23T05:59:59', '王妈妈', '打卡');
    expect(lastClass()).toBe('⏰ 晨读的打卡时间是每天 06:00–21:00，现在不在打卡时间内，这次没有计入哦～');
    await at('2026-11-23T06:00:00', '王妈妈', '打卡');
    expect(lastClass()).toMatch(/^✅ 晨读打卡成功/);
    await at('2026-11-23T21:00:00', '李爸爸', '打卡');
    expect(lastClass()).toMatch(/^⏰ 晨读的打卡时间/);
    await at('2026-11-23T20:59:59', '张妈妈', '打卡');
    expect(lastClass()).toBe('✅ 晨读打卡成功！今天全班已有 2 人打卡，你已连续打卡 1 天。');
    expect(rows().map((r) => r.name)).toEqual(['张妈妈', '王妈妈']);
  });

  it('keeps photos outside the window silent and passes them on', async () => {
    t = await start();
    await at('2026-11-23T22:00:00', '王妈妈', '', { elements: [{ type: 'image', ref: 'x' }] });
    expect(classTexts()).toEqual([]);
    await at('2026-11-24T07:00:00', '王妈妈', '', { elements: [{ type: 'image', ref: 'x' }] });
    expect(lastClass()).toMatch(/^✅ 晨读打卡成功/);
    expect(rows()).toHaveLength(1);
  });
});

describe('once per member, day and game', () => {
  it('ignores redeliveries and answers a repeat without counting it twice', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '打卡', { eventId: 'same-event' });
    await t.say('王妈妈', '打卡', { eventId: 'same-event' });
    expect(classTexts()).toHaveLength(1);
    await at('2026-11-23T07:05:00', '王妈妈', '打卡啦');
    expect(lastClass()).toBe('今天的晨读打卡已经记上啦，明天继续加油～（今天全班已有 1 人打卡）');
    // A repeated photo is not worth a reply.
    await t.say('王妈妈', '', { elements: [{ type: 'image' }] });
    expect(classTexts()).toHaveLength(2);
    await at('2026-11-23T07:10:00', '李爸爸', '打卡');
    expect(lastClass()).toBe('✅ 晨读打卡成功！今天全班已有 2 人打卡，你已连续打卡 1 天。');
    expect(rows()).toHaveLength(2);
  });

  it('counts a check-in that carries a worried note and still lets the follow-ups see the note', async () => {
    t = await start();
    const note = '打卡，孩子这几天晚上总是哭，说不想上学了，我很担心';
    await at('2026-11-23T07:00:00', '王妈妈', note);
    expect(classTexts()[0]).toBe('✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 1 天。');
    expect(staffTexts().some((x) => x.includes(note))).toBe(true);
    // A bare check-in alerts nobody.
    await at('2026-11-23T07:01:00', '李爸爸', '打卡！');
    expect(staffTexts().some((x) => x.includes('李爸爸'))).toBe(false);
    expect(rows()).toHaveLength(2);
  });

  it('does not take a question about check-ins for a check-in', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '昨天忘记打卡了怎么办？');
    expect(rows()).toEqual([]);
    expect(classTexts().some((x) => x.includes('打卡成功'))).toBe(false);
  });

  it('asks for the required number, checks its range and reads full-width digits', async () => {
    t = await start(`
checkin:
  - id: piano
    name: 练琴
    trigger: { keywords: [打卡] }
    require: { number: 练琴时长, units: [分钟, 分], min: 10, max: 120, example: 打卡 30分钟 }
`);
    await at('2026-11-23T19:00:00', '王妈妈', '打卡');
    expect(lastClass()).toBe('练琴打卡请带上练琴时长，例如：打卡 30分钟');
    await t.say('王妈妈', '打卡 5分钟');
    expect(lastClass()).toBe('练琴时长至少要 10分钟 才能打卡哦，继续加油～');
    await t.say('王妈妈', '打卡 300分');
    expect(lastClass()).toBe('练琴时长最多记 120分钟，请检查一下数字再打卡～');
    await t.say('王妈妈', '今天打卡 ３０分钟');
    expect(lastClass()).toBe('✅ 练琴打卡成功（30分钟）！今天全班已有 1 人打卡，你已连续打卡 1 天。');
    expect(rows()).toEqual([{ name: '王妈妈', day: '2026-11-23', kind: 'normal', amount: 30 }]);
  });

  it('gives a check-in to the game whose pattern matches before one that only shares a keyword', async () => {
    t = await start(`
checkin:
  - { id: reading, name: 晨读, trigger: { keywords: [打卡] } }
  - id: words
    name: 单词
    trigger: { pattern: "^单词打卡" }
    window: { start: "15:00", end: "22:00" }
    require: { number: 单词数, units: [个] }
`);
    await at('2026-11-23T16:00:00', '王妈妈', '单词打卡 15个');
    expect(lastClass()).toBe('✅ 单词打卡成功（15个）！今天全班已有 1 人打卡，你已连续打卡 1 天。');
    await at('2026-11-24T09:00:00', '王妈妈', '单词打卡 15个');
    expect(lastClass()).toMatch(/^⏰ 单词的打卡时间是每天 15:00–22:00/);
    await t.say('王妈妈', '打卡');
    expect(lastClass()).toMatch(/^✅ 晨读打卡成功/);
    const games = t.bot.store.sqlite.prepare(`SELECT game_id AS g, day FROM checkins ORDER BY id`).all();
    expect(games).toEqual([{ g: 'words', day: '2026-11-23' }, { g: 'reading', day: '2026-11-24' }]);
  });
});

describe('streaks over game days', () => {
  it('a weekend and a holiday the game does not run never break a streak; a missed game day does', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '打卡'); // Mon
    await at('2026-11-24T07:00:00', '王妈妈', '打卡'); // Tue
    await at('2026-11-25T07:00:00', '王妈妈', '打卡'); // Wed: 运动会 (holiday)
    expect(lastClass()).toBe('今天晨读不用打卡（运动会），好好休息～');
    await at('2026-11-26T07:00:00', '王妈妈', '打卡'); // Thu
    expect(lastClass()).toMatch(/你已连续打卡 3 天。/);
    await at('2026-11-27T07:00:00', '王妈妈', '打卡'); // Fri
    await at('2026-11-28T07:00:00', '王妈妈', '打卡'); // Sat: not a game day
    expect(lastClass()).toBe('今天晨读不用打卡（休息日），好好休息～');
    await at('2026-11-30T07:00:00', '王妈妈', '打卡'); // Mon
    expect(lastClass()).toMatch(/你已连续打卡 5 天。/);
    // Tuesday missed: Wednesday starts over.
    await at('2026-12-02T07:00:00', '王妈妈', '打卡');
    expect(lastClass()).toMatch(/你已连续打卡 1 天。/);
    expect(rows()).toHaveLength(6);
  });

  it('a staff-granted excused day pauses the streak without counting', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '打卡');
    await at('2026-11-23T07:01:00', '李爸爸', '你好');
    await at('2026-11-24T08:00:00', 'li', '/打卡请假 王妈妈', { groupId: 'staff-1', groupName: '老师群' });
    expect(staffTexts().at(-1)).toBe('已为 王妈妈 记 11月24日 请假（晨读）：这些天不计打卡，也不会中断连续天数。');
    // The excused member is not on the staff's list of who has not checked in.
    await t.say('li', '/未打卡', { groupId: 'staff-1', groupName: '老师群' });
    expect(staffTexts().at(-1)).toBe('📋 三年级二班家长群·晨读（11月24日 周二）还有 1/2 人未打卡：李爸爸');
    await at('2026-11-26T07:00:00', '王妈妈', '打卡');
    expect(lastClass()).toBe('✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 2 天。\n🎉 累计打卡 2 次，闯关成功，晋级「第一关」！');
    await t.say('王妈妈', '我的打卡');
    expect(lastClass()).toContain('晨读：已连续 2 天，本月 2 天，累计 2 天');
    expect(rows().map((r) => `${r.day} ${r.kind}`)).toEqual(['2026-11-23 normal', '2026-11-24 excused', '2026-11-26 normal']);
  });

  it('excuses a number of game days, skipping days the game does not run, and never over a check-in', async () => {
    t = await start();
    await at('2026-11-27T07:00:00', '王妈妈', '打卡'); // Fri
    await at('2026-11-27T08:00:00', 'li', '/打卡请假 王妈妈 11-27 3天', { groupId: 'staff-1', groupName: '老师群' });
    // Friday is already checked in; the weekend needs no leave: Monday and Tuesday do.
    expect(staffTexts().at(-1)).toBe('已为 王妈妈 记 11月30日、12月1日 请假（晨读）：这些天不计打卡，也不会中断连续天数。');
    expect(rows().map((r) => `${r.day} ${r.kind}`)).toEqual(['2026-11-27 normal', '2026-11-30 excused', '2026-12-01 excused']);
    // Checking in on an excused day anyway counts.
    await at('2026-12-01T07:00:00', '王妈妈', '打卡');
    expect(lastClass()).toMatch(/你已连续打卡 2 天。/);
  });
});

describe('补卡 (make-up check-ins)', () => {
  it('makes up the latest missed game day, within the monthly limit and the look-back', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '打卡'); // Mon; Tue missed; Wed holiday
    await at('2026-11-26T07:00:00', '王妈妈', '打卡'); // Thu
    expect(lastClass()).toMatch(/你已连续打卡 1 天。/);
    await t.say('王妈妈', '补卡');
    expect(lastClass()).toBe('✅ 已补上 11月24日 周二 的晨读打卡，本月还可补 0 次；现在已连续打卡 3 天。\n🏅 连续打卡 3 天，获得「三日之星」徽章！');
    // Friday missed; the November allowance is used up.
    await at('2026-11-30T07:00:00', '王妈妈', '/补卡 11-27');
    expect(lastClass()).toBe('本月的晨读补卡次数（1 次）已经用完啦，下个月再来～');
    await t.say('王妈妈', '/补卡 11-20');
    expect(lastClass()).toBe('只能补最近 3 天内的卡哦～');
    await t.say('王妈妈', '/补卡 今天');
    expect(lastClass()).toBe('补卡只能补以前的日子，今天的卡直接打就好～');
    await t.say('王妈妈', '/补卡 11-28');
    expect(lastClass()).toBe('11月28日 周六 不需要补卡（已经打过卡、请过假，或那天不打卡）。');
    await t.say('王妈妈', '/补卡 哪天');
    expect(lastClass()).toBe('看不懂日期“哪天”，可以写 今天、昨天、11-24 或 2026-11-24。');
    // December has its own allowance.
    await at('2026-12-03T07:00:00', '王妈妈', '/补卡 昨天');
    expect(lastClass()).toMatch(/^✅ 已补上 12月2日 周三 的晨读打卡，本月还可补 0 次/);
    expect(rows().filter((r) => r.kind === 'makeup').map((r) => r.day)).toEqual(['2026-11-24', '2026-12-02']);
  });

  it('says so when the game has no make-ups or nothing is missing', async () => {
    t = await start(`
checkin:
  - { id: a, name: 晨读, trigger: { keywords: [打卡] } }
`);
    await at('2026-11-23T07:00:00', '王妈妈', '补卡');
    expect(lastClass()).toBe('晨读没有开放补卡哦～');
    await t.stop();
    t = await start();
    await at('2026-11-24T07:00:00', '王妈妈', '补卡');
    // Monday was a game day the member missed (before first posting, too): it can be made up.
    expect(lastClass()).toMatch(/^✅ 已补上 11月23日 周一/);
    await at('2026-11-26T07:00:00', '李爸爸', '打卡');
    await at('2026-11-27T07:00:00', '李爸爸', '打卡');
    await at('2026-11-27T07:01:00', '李爸爸', '补卡');
    expect(lastClass()).toMatch(/^✅ 已补上 11月24日 周二/);
  });
});

describe('badges and levels', () => {
  it('are awarded exactly at their thresholds, once, and shown in 我的打卡', async () => {
    t = await start();
    const replies: string[] = [];
    for (const [day, text] of [['23', '打卡'], ['24', '打卡'], ['26', '打卡'], ['26', '打卡'], ['27', '打卡']] as const) {
      await at(`2026-11-${day}T07:00:00`, '王妈妈', text);
      replies.push(lastClass()!);
    }
    expect(replies).toEqual([
      '✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 1 天。',
      '✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 2 天。\n🎉 累计打卡 2 次，闯关成功，晋级「第一关」！',
      '✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 3 天。\n🏅 连续打卡 3 天，获得「三日之星」徽章！',
      '今天的晨读打卡已经记上啦，明天继续加油～（今天全班已有 1 人打卡）',
      '✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 4 天。\n🎉 累计打卡 4 次，闯关成功，晋级「第二关」！',
    ]);
    await t.say('王妈妈', '我的打卡');
    expect(lastClass()).toBe('📒 王妈妈 的打卡记录：\n晨读：已连续 4 天，本月 4 天，累计 4 天；徽章：三日之星；关卡：第二关（本月还可补卡 1 次）');
    // The streak breaks and grows back to 3: the badge is not given again.
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03']) await at(`${day}T07:00:00`, '王妈妈', '打卡');
    expect(lastClass()).toBe('✅ 晨读打卡成功！今天全班已有 1 人打卡，你已连续打卡 3 天。');
    const awards = t.bot.store.sqlite.prepare(`SELECT kind, name, threshold, day FROM checkin_awards ORDER BY id`).all();
    expect(awards).toEqual([
      { kind: 'level', name: '第一关', threshold: 2, day: '2026-11-24' },
      { kind: 'badge', name: '三日之星', threshold: 3, day: '2026-11-26' },
      { kind: 'level', name: '第二关', threshold: 4, day: '2026-11-27' },
    ]);
  });
});

describe('class-wide streak', () => {
  it('celebrates once a day when every member has checked in or is excused', async () => {
    t = await start();
    for (const who of ['王妈妈', '李爸爸', '张妈妈']) await at('2026-11-23T07:00:00', who, '打卡');
    expect(lastClass()).toBe('🎉 今天全班都完成了晨读打卡！已经连续 1 天全员打卡，为大家点赞！');
    for (const who of ['王妈妈', '李爸爸']) await at('2026-11-24T07:00:00', who, '打卡');
    expect(lastClass()).toMatch(/^✅/);
    await t.say('li', '/打卡请假 张妈妈', { groupId: 'staff-1', groupName: '老师群' });
    expect(lastClass()).toBe('🎉 今天全班都完成了晨读打卡！已经连续 2 天全员打卡，为大家点赞！');
    // Correcting a check-in later that day does not celebrate twice.
    await t.say('li', '/改打卡 张妈妈 今天', { groupId: 'staff-1', groupName: '老师群' });
    expect(classTexts().filter((x) => x.includes('全员打卡'))).toHaveLength(2);
  });

  it('waits for a parent who posted but has not checked in; staff posting in the class group do not hold it back', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', 'li', '各位家长早上好');
    await at('2026-11-23T07:00:00', '赵爸爸', '老师好');
    for (const who of ['王妈妈', '李爸爸', '张妈妈']) await at('2026-11-23T07:05:00', who, '打卡');
    expect(classTexts().filter((x) => x.includes('全员打卡'))).toHaveLength(0);
    await at('2026-11-23T07:10:00', '赵爸爸', '打卡');
    expect(lastClass()).toBe('🎉 今天全班都完成了晨读打卡！已经连续 1 天全员打卡，为大家点赞！');
  });
});

describe('effort leaderboard', () => {
  it('posts the week’s check-in counts on schedule, leaving out members who opted out', async () => {
    t = await start();
    const week = ['2026-11-23', '2026-11-24', '2026-11-26', '2026-11-27'];
    for (const [who, days] of [['王妈妈', 4], ['李爸爸', 3], ['张妈妈', 2], ['赵奶奶', 4]] as const) {
      for (const day of week.slice(0, days)) await at(`${day}T07:00:00`, who, '打卡');
    }
    await at('2026-11-27T08:00:00', '赵奶奶', '不参与排行');
    expect(lastClass()).toBe('好的，赵奶奶 以后不会出现在排行榜上。想重新参与可以发“参与排行”。');
    setTime('2026-11-29T20:50:00+08:00');
    await t.bot.tick();
    t.adapter.clear();
    await t.advance(15 * 60_000);
    expect(classTexts()).toEqual([
      '🏆 晨读本周坚持榜（11月23日–11月29日）\n1. 王妈妈：本周打卡 4 天\n2. 李爸爸：本周打卡 3 天\n只比坚持，不比成绩，每一天的努力都值得点赞！不想上榜可以发“不参与排行”。',
    ]);
    // Opting back in puts the member back.
    await at('2026-11-30T08:00:00', '赵奶奶', '参与排行');
    const settings = t.bot.store.sqlite.prepare(`SELECT leaderboard_opt_out AS o FROM member_settings`).all();
    expect(settings).toEqual([{ o: 0 }]);
  });

  it('ranks ties together and can rank by current streak', async () => {
    t = await start(`
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [打卡] }
    leaderboard: { cron: "0 21 * * 0", metric: streak, top: 2 }
`);
    for (const day of ['2026-11-27', '2026-11-28', '2026-11-29']) {
      for (const who of ['王妈妈', '李爸爸']) await at(`${day}T07:00:00`, who, '打卡');
    }
    await at('2026-11-29T07:00:00', '张妈妈', '打卡');
    setTime('2026-11-29T20:50:00+08:00');
    await t.bot.tick();
    t.adapter.clear();
    await t.advance(15 * 60_000);
    expect(classTexts()[0]).toBe('🏆 晨读本周坚持榜（11月23日–11月29日）\n1. 李爸爸：连续打卡 3 天\n1. 王妈妈：连续打卡 3 天\n全班已连续 3 天全员打卡！\n只比坚持，不比成绩，每一天的努力都值得点赞！不想上榜可以发“不参与排行”。');
  });

  it('posts nothing for a week nobody played', async () => {
    t = await start();
    setTime('2026-11-29T20:50:00+08:00');
    await t.bot.tick();
    await t.advance(15 * 60_000);
    expect(classTexts()).toEqual([]);
  });
});

describe('inactivity', () => {
  it('lists broken streaks and long absences to the staff only, on game days', async () => {
    t = await start();
    for (const day of ['2026-11-23', '2026-11-24']) await at(`${day}T07:00:00`, '王妈妈', '打卡');
    await at('2026-11-23T07:00:00', '李爸爸', '打卡');
    await at('2026-11-23T07:00:00', '张妈妈', '大家好');
    // Thursday 20:00: Thursday's window is still open and Wednesday was a holiday, so Tuesday is the last day that is over.
    setTime('2026-11-26T19:50:00+08:00');
    await t.bot.tick();
    t.adapter.clear();
    await t.advance(15 * 60_000);
    expect(classTexts()).toEqual([]);
    expect(staffTexts()).toEqual([
      '🔔 三年级二班家长群·晨读 需要关心的同学（仅老师可见，请私下联系）：\n· 张妈妈：还没有打过卡（已 2 个打卡日）',
    ]);
    // Friday 20:00: Thursday is over. 王妈妈's 2-day streak broke on Thursday; 李爸爸 has been away 2 game days.
    await t.advance(DAY);
    expect(staffTexts().at(-1)).toBe(
      '🔔 三年级二班家长群·晨读 需要关心的同学（仅老师可见，请私下联系）：\n· 张妈妈：还没有打过卡（已 3 个打卡日）\n· 李爸爸：已连续 2 个打卡日没有打卡（上次 11月23日）\n· 王妈妈：连续打卡 2 天后，11月26日 没有打卡',
    );
    // The weekend is not a game day: no list on Saturday.
    const before = staffTexts().length;
    await t.advance(DAY);
    expect(staffTexts()).toHaveLength(before);
    // The staff may ask at any time.
    await t.say('li', '/打卡掉队', { groupId: 'staff-1', groupName: '老师群' });
    expect(staffTexts().at(-1)).toContain('· 张妈妈：还没有打过卡');
  });
});

const DAY = 24 * 60 * 60_000;

describe('staff commands', () => {
  const STAFF_ONLY = DEFAULT_MESSAGES.staff_only.replace('{assistant}', '李老师');

  it('refuse parents politely and change nothing', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '打卡');
    for (const cmd of ['/未打卡', '/打卡请假 王妈妈', '/改打卡 王妈妈 今天 撤销', '/打卡掉队']) {
      await t.say('李爸爸', cmd);
      expect(lastClass()).toBe(STAFF_ONLY);
    }
    expect(rows().map((r) => `${r.name} ${r.kind}`)).toEqual(['王妈妈 normal']);
    expect(staffTexts()).toEqual([]);
  });

  it('send the list of who has not checked in to the staff group, not the class group', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '打卡');
    await at('2026-11-23T07:00:00', '李爸爸', '早上好');
    await at('2026-11-23T07:00:00', '张妈妈', '早');
    const before = classTexts().length;
    await at('2026-11-23T09:00:00', 'li', '/未打卡');
    expect(classTexts()).toHaveLength(before);
    expect(staffTexts()).toEqual(['📋 三年级二班家长群·晨读（11月23日 周一）还有 2/3 人未打卡：李爸爸、张妈妈']);
    await t.say('li', '/未打卡 昨天', { groupId: 'staff-1', groupName: '老师群' });
    expect(staffTexts().at(-1)).toBe('三年级二班家长群·晨读（11月22日 周日）不打卡（休息日）。');
  });

  it('correct a check-in by the member’s shown name, and ask when the name is ambiguous', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '打卡');
    await at('2026-11-23T07:01:00', '王爸爸', '你好');
    const staff = (text: string) => t.say('li', text, { groupId: 'staff-1', groupName: '老师群' });
    await at('2026-11-24T09:00:00', 'li', '/改打卡 王 昨天', { groupId: 'staff-1', groupName: '老师群' });
    expect(staffTexts().at(-1)).toBe('“王”对应多位成员：王妈妈、王爸爸，请写完整的名字。');
    await staff('/改打卡 刘妈妈 昨天');
    expect(staffTexts().at(-1)).toBe('没有在群里找到“刘妈妈”，请用群里显示的名字。');
    await staff('/改打卡 王爸爸 昨天');
    expect(staffTexts().at(-1)).toBe('已为 王爸爸 记上 11月23日 周一 的晨读打卡（更正），现在已连续 1 天。');
    await staff('/改打卡 王妈妈 昨天 撤销');
    expect(staffTexts().at(-1)).toBe('已撤销 王妈妈 在 11月23日 周一 的晨读打卡记录，现在已连续 0 天。');
    await staff('/改打卡 王妈妈 昨天 撤销');
    expect(staffTexts().at(-1)).toBe('王妈妈 在 11月23日 周一 没有晨读打卡记录，无需撤销。');
    await staff('/改打卡 王爸爸 明天');
    expect(staffTexts().at(-1)).toBe('11月25日 周三 还没到，不能更正。');
    // By @-mention, too.
    await t.say('li', '/改打卡 @王妈妈 今天', { groupId: 'staff-1', groupName: '老师群', mentions: [{ id: '王妈妈', name: '王妈妈' }] });
    expect(staffTexts().at(-1)).toMatch(/^已为 王妈妈 记上 11月24日 周二/);
    expect(rows().map((r) => `${r.name} ${r.day} ${r.kind}`)).toEqual(['王爸爸 2026-11-23 corrected', '王妈妈 2026-11-24 corrected']);
  });

  it('answer staff commands typed in the class group in the staff group', async () => {
    t = await start();
    await at('2026-11-23T07:00:00', '王妈妈', '你好');
    const before = classTexts().length;
    await at('2026-11-23T08:00:00', 'li', '/打卡请假 王妈妈');
    expect(classTexts()).toHaveLength(before);
    expect(staffTexts().at(-1)).toMatch(/^已为 王妈妈 记 11月23日 请假/);
  });
});
