/**
 * Requests to the bot (#18 item 8) on the real engine: a leave request (请假) is recorded, confirmed
 * to the parent, told to staff, and excuses the days' check-ins and reminders' @; staff list leave
 * with /请假记录; a greeting gets a hello; a request the bot cannot serve becomes a follow-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { namedDays } from '../src/features/leave/days.js';
import { readLeave } from '../src/features/leave/intent.js';
import { DEFAULT_MESSAGES } from '../src/messages.js';
import { DAY, HOUR } from '../src/time.js';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const PB = classPlaybook(`
checkin:
  - { id: reading, name: 晨读, trigger: { keywords: [打卡] } }
reminders:
  - { id: nag, cron: "0 20 * * *", mention: not_checked_in, checkin: reading, message: 记得打卡 }
faq:
  - q: 课表在哪里看
    keywords: [课表]
    answer: 课表在群文件里。
  - q: 怎么请假
    answer: 直接@我说哪天请假就行。
`);
const TO_BOT = { addressed: true };
const DIRECT = { chatType: 'direct' as const, groupId: null, addressed: true };
const IN_STAFF = { groupId: 'staff-1', groupName: '老师群' };
const LI = { id: 'li', name: '李老师' };

let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

const leaves = () => t.bot.store.sqlite.prepare(`SELECT member_id AS memberId, group_key AS groupKey, days, reason, source FROM leave_requests ORDER BY id`).all();
const excused = () => t.bot.store.sqlite.prepare(`SELECT day FROM checkins WHERE kind = 'excused' ORDER BY day`).pluck().all();
const staffTexts = () => t.adapter.textsTo('staff-1');
const lastTo = (target: string) => t.adapter.textsTo(target).at(-1);

describe('the days a parent names', () => {
  // 2026-11-23 is a Monday.
  const days = (s: string) => namedDays(s, '2026-11-23', '2026-11-23').days;
  it('reads relative days, weekdays, dates, ranges and counts', () => {
    expect(days('明天')).toEqual(['2026-11-24']);
    expect(days('听日')).toEqual(['2026-11-24']);
    expect(days('明后两天')).toEqual(['2026-11-24', '2026-11-25']);
    expect(days('周三周四')).toEqual(['2026-11-25', '2026-11-26']);
    expect(days('周三到周五')).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    expect(days('下周一请两天')).toEqual(['2026-11-30', '2026-12-01']);
    expect(days('12月1日')).toEqual(['2026-12-01']);
    expect(days('25号')).toEqual(['2026-11-25']);
    expect(days('3号')).toEqual(['2026-12-03']);
    expect(days('11/26')).toEqual(['2026-11-26']);
    expect(days('一周')).toHaveLength(7);
    expect(days('十天')).toHaveLength(10);
  });

  it('falls back to the given start when no day is named, and says so', () => {
    expect(namedDays('孩子请假', '2026-11-23', '2026-11-24')).toMatchObject({ days: ['2026-11-24'], explicit: false });
    expect(namedDays('请假一天', '2026-11-23', '2026-11-24')).toMatchObject({ days: ['2026-11-24'], explicit: true });
  });
});

describe('what reads as a leave request', () => {
  const read = (s: string) => readLeave(s, '2026-11-23', '2026-11-23');
  it('takes the days and the reason in the parent\'s words', () => {
    expect(read('孩子发烧了明天请假一天')).toMatchObject({ days: ['2026-11-24'], reason: '发烧', ill: true });
    expect(read('老师，孩子明天请假')).toMatchObject({ days: ['2026-11-24'], reason: null, ill: false });
    expect(read('因为家里有事，周三到周五请假')).toMatchObject({ days: ['2026-11-25', '2026-11-26', '2026-11-27'], reason: '家里有事', ill: false });
    expect(read('下周一请两天假，回老家')).toMatchObject({ days: ['2026-11-30', '2026-12-01'], reason: '回老家' });
    expect(read('老師，孩子聽日請假，發燒咗')).toMatchObject({ days: ['2026-11-24'], reason: '发烧', ill: true });
    expect(read('明天可以请假吗？')).toMatchObject({ days: ['2026-11-24'], reason: null });
  });

  it('leaves out questions about leave, cancellations and other children\'s leave', () => {
    for (const s of ['怎么请假？', '请假要什么手续', '请假会扣分吗', '不用请假了', '请假的同学作业怎么补', '上次请假的作业在哪', '今天作业是什么']) expect(read(s), s).toBeNull();
  });

  it('notices a question beside the leave', () => {
    expect(read('明天请假，作业怎么交？')).toMatchObject({ days: ['2026-11-24'], questions: ['作业怎么交'] });
    expect(read('明天请假，谢谢老师')).toMatchObject({ questions: [] });
  });
});

describe('a parent asks for leave', () => {
  it('in the class group: recorded, confirmed with an @, told to staff, and listed by /请假记录', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '孩子发烧了明天请假一天', TO_BOT);
    const reply = t.adapter.sent.at(-2)!;
    expect(reply.target).toEqual({ kind: 'group', groupId: 'class-1' });
    expect(reply.mentions).toEqual([{ id: '王妈妈', name: '王妈妈' }]);
    expect(reply.text).toBe('收到～已为孩子记下请假：11月24日（周二）（发烧），也已经转告李老师。请假的日子不用打卡，连续打卡天数不会中断。祝孩子早日康复！🌷');
    expect(lastTo('staff-1')).toBe('📝 请假：王妈妈（三年级二班家长群）11月24日（周二）（发烧）\n原话：孩子发烧了明天请假一天');
    expect(leaves()).toEqual([{ memberId: 1, groupKey: 'class', days: '2026-11-24', reason: '发烧', source: 'parent' }]);
    expect(excused()).toEqual(['2026-11-24']);

    await t.say(LI, '/请假记录', IN_STAFF);
    expect(lastTo('staff-1')).toBe('📋 11月16日 周一以来的请假：\n11月24日（周二） 王妈妈（三年级二班家长群）（发烧）');
  });

  it('in a direct chat: every class group of the parent, no @, and staff learn it came privately', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '收到');
    await t.say('王妈妈', '老师，孩子明天请假', DIRECT);
    expect(lastTo('王妈妈')).toBe('收到～已为孩子记下请假：11月24日（周二），也已经转告李老师。请假的日子不用打卡，连续打卡天数不会中断。');
    expect(t.adapter.sent.find((m) => m.target.kind === 'direct')!.mentions ?? []).toEqual([]);
    expect(lastTo('staff-1')).toBe('📝 请假：王妈妈（私聊）11月24日（周二）\n原话：老师，孩子明天请假');
    expect(leaves()).toEqual([{ memberId: 1, groupKey: null, days: '2026-11-24', reason: null, source: 'parent' }]);
    expect(excused()).toEqual(['2026-11-24']);
    await t.say(LI, '/请假记录', IN_STAFF);
    expect(lastTo('staff-1')).toContain('11月24日（周二） 王妈妈（三年级二班家长群）');
  });

  it('keeps the streak over the leave and does not @ the child as missing on those days', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '打卡');
    await t.say('李爸爸', '打卡');
    await t.say('王妈妈', '明天请假', TO_BOT);
    await t.advance(DAY); // 11-24 08:00, through the 20:00 nag of the 23rd
    await t.advance(12 * HOUR + 1); // the 24th's nag
    const nag = t.adapter.sent.filter((m) => m.text.includes('记得打卡')).at(-1)!;
    expect(nag.mentions).toEqual([{ id: '李爸爸', name: '李爸爸' }]);
    t.adapter.clear();
    await t.advance(12 * HOUR); // 11-25 08:00
    await t.say('王妈妈', '打卡');
    expect(lastTo('class-1')).toContain('你已连续打卡 2 天');
  });

  it('assumes tomorrow in the evening when no day is named, and says so', async () => {
    t = await testBot({ 'c1.yaml': PB }, { now: '2026-11-23T21:00:00+08:00' });
    await t.say('王妈妈', '孩子不舒服，请假', TO_BOT);
    expect(lastTo('class-1')).toContain('11月24日（周二）（不舒服）');
    expect(lastTo('class-1')).toContain(DEFAULT_MESSAGES.leave_assumed.replace('{date}', '11月24日（周二）'));
  });

  it('in the group without @: taken only when it names its days', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '孩子请假');
    expect(leaves()).toEqual([]);
    await t.say('王妈妈', '老师，孩子周三请假');
    expect(leaves()).toMatchObject([{ days: '2026-11-25' }]);
  });

  it('a past day is asked of staff, with the command to grant it, and excuses nothing by itself', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '昨天孩子发烧请假了，没打卡', TO_BOT);
    expect(lastTo('class-1')).toBe('11月22日（周日）已经过去了，过去的请假需要老师补记，我已经转告李老师～');
    expect(lastTo('staff-1')).toContain('同意的话发送：/打卡请假 王妈妈 2026-11-22 1天');
    expect(leaves()).toEqual([]);
    expect(excused()).toEqual([]);
  });

  it('a question about leave gets the FAQ answer and records nothing', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '怎么请假？', TO_BOT);
    expect(lastTo('class-1')).toContain('直接@我说哪天请假就行。');
    expect(leaves()).toEqual([]);
  });

  it('a question beside the leave still reaches a human', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '明天请假，落下的作业怎么补交？', TO_BOT);
    expect(leaves()).toHaveLength(1);
    expect(t.bot.store.sqlite.prepare(`SELECT category, source FROM followups`).all()).toEqual([{ category: 'question', source: 'question' }]);
    // Not the FAQ about leave, which the whole message resembles.
    expect(t.adapter.sent.map((m) => m.text)).not.toContain('直接@我说哪天请假就行。');
  });

  it('a question beside the leave that the FAQ answers gets the answer', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '明天请假，课表在哪里看？', TO_BOT);
    expect(leaves()).toHaveLength(1);
    expect(lastTo('class-1')).toBe('课表在群文件里。');
    expect(t.bot.store.sqlite.prepare(`SELECT COUNT(*) FROM followups`).pluck().get()).toBe(0);
  });

  it('a worried leave request opens the safety follow-up as well', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '孩子在学校被同学打了，身上都是伤，明天请假', TO_BOT);
    expect(t.bot.store.sqlite.prepare(`SELECT category FROM followups`).pluck().all()).toEqual(['safety']);
    expect(leaves()).toMatchObject([{ days: '2026-11-24' }]);
    expect(staffTexts().some((s) => s.includes('📝 请假：王妈妈'))).toBe(true);
  });
});

describe('staff grant leave', () => {
  it('/打卡请假 makes the same record, listed with who granted it', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '收到');
    await t.say(LI, '/打卡请假 王妈妈 明天 2天', IN_STAFF);
    expect(lastTo('staff-1')).toBe('已为 王妈妈 记 11月24日、11月25日 请假（晨读）：这些天不计打卡，也不会中断连续天数。');
    expect(leaves()).toEqual([{ memberId: 1, groupKey: 'class', days: '2026-11-24,2026-11-25', reason: null, source: 'staff' }]);
    await t.say(LI, '/请假记录 王妈妈', IN_STAFF);
    expect(lastTo('staff-1')).toBe('📋 11月16日 周一以来的请假：\n11月24日–11月25日（2天） 王妈妈（三年级二班家长群），李老师记');
    await t.say(LI, '/请假记录 赵爸爸', IN_STAFF);
    expect(lastTo('staff-1')).toBe('11月16日 周一以来没有请假记录。');
  });

  it('/请假记录 is refused to parents', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '/请假记录', TO_BOT);
    expect(lastTo('class-1')).toContain('只有老师和助教可以使用');
  });

  it('a leave reason is purged with the other texts after the retention period', async () => {
    t = await testBot({ 'c1.yaml': `${PB}retention: { message_text_days: 1 }\n` });
    await t.say('王妈妈', '孩子发烧了明天请假', TO_BOT);
    t.clock.advance(2 * DAY);
    await t.bot.tick();
    expect(leaves()).toMatchObject([{ days: '2026-11-24', reason: null }]);
  });
});

describe('a greeting to the bot', () => {
  it('gets a hello listing what the bot does here', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '你好', TO_BOT);
    expect(lastTo('class-1')).toBe(
      [
        '王妈妈您好！我是班级小助手，可以帮您：',
        '• 打卡：在群里发“打卡”',
        '• 解答常见问题：比如“@我 课表在哪里看”',
        '• 请假：比如“@我 孩子明天请假一天”',
        '• 其他事情@我 留言，我会转告李老师',
        '发送 /帮助 查看全部指令。',
      ].join('\n'),
    );
    await t.say('王妈妈', '在吗？', DIRECT);
    expect(lastTo('王妈妈')).toContain('• 请假：比如“孩子明天请假一天”');
  });

  it('is not answered when said to the group, nor when it comes with a question', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '大家好');
    expect(t.adapter.sent).toEqual([]);
    await t.say('王妈妈', '你好，课表在哪？', TO_BOT);
    expect(lastTo('class-1')).toContain('课表在群文件里。');
  });
});

describe('a request the bot cannot serve', () => {
  it('becomes an unanswered follow-up, acknowledged as a request', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '帮我查一下孩子这周的作业', TO_BOT);
    expect(t.bot.store.sqlite.prepare(`SELECT category, severity, message FROM followups`).all()).toEqual([
      { category: 'question', severity: 'low', message: '帮我查一下孩子这周的作业' },
    ]);
    expect(t.adapter.sent.find((m) => m.target.kind === 'group' && m.target.groupId === 'class-1')!.text).toBe('收到，这件事我先记下了，李老师会尽快帮您处理～');
    expect(staffTexts().join('\n')).toContain('帮我查一下孩子这周的作业');
  });

  it('is left alone when not addressed to the bot, and thanks are not requests', async () => {
    t = await testBot({ 'c1.yaml': PB });
    await t.say('王妈妈', '帮我查一下孩子这周的作业');
    await t.say('王妈妈', '麻烦老师了，辛苦帮忙看一下', TO_BOT);
    expect(t.bot.store.sqlite.prepare(`SELECT COUNT(*) FROM followups`).pluck().get()).toBe(0);
  });
});
