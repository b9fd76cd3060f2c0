/**
 * Issue 16's trust holes in follow-ups, on the real engine and store with a fake clock: a staff
 * group sees only its own class's cases, sensitive cases stay out of public @s, a low rating is
 * answered as such, and an escalation step is never sent twice across a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const WELLBEING = '孩子最近情绪很低落，晚上总是哭，不想上学';
const SAFETY = '孩子在学校被同学欺负了，身上都是伤';
const WORRIED = '孩子最近作业写到十一点，跟不上，好焦虑';
const LI = { id: 'li', name: '李老师' };
const IN_STAFF = { groupId: 'staff-1', groupName: '老师群' };
const DIRECT = { chatType: 'direct' as const, groupId: null, addressed: true };

let running: TestBot[] = [];
afterEach(async () => {
  for (const t of running) await t.stop();
  running = [];
});
const start = async (files: Record<string, string>, opts: Parameters<typeof testBot>[1] = {}) => {
  const t = await testBot(files, { now: '2026-11-24T18:00:00+08:00', ...opts });
  running.push(t);
  return t;
};
const toGroup = (t: TestBot, id: string) => t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === id);
const events = (t: TestBot, id: number) =>
  (t.bot.store.sqlite.prepare('SELECT action FROM followup_events WHERE followup_id = ? ORDER BY id').all(id) as { action: string }[]).map((e) => e.action);

describe('a chat is told only what every member of it may see (item 3)', () => {
  // 李老师 is staff of both classes; 陈老师 only of the English class, in whose staff group he reads along.
  const ENGLISH = `id: c2
name: 五年级英语
timezone: Asia/Shanghai
groups:
  - { key: class, platform: console, id: class-2, name: 五年级英语家长群 }
staff_group: { platform: console, id: staff-2, name: 英语老师群 }
staff:
  - { name: 陈老师, role: assistant, ids: { console: chen } }
  - { name: 李老师, role: head_teacher, ids: { console: li } }
`;
  const IN_ENGLISH_STAFF = { groupId: 'staff-2', groupName: '英语老师群' };

  it('a teacher of two classes asking about one class’s case in the other’s staff group is sent to a direct chat; nothing of the parent is posted', async () => {
    const t = await start({ 'c1.yaml': classPlaybook(), 'c2.yaml': ENGLISH });
    await t.say('王妈妈', WORRIED);
    t.adapter.clear();
    for (const cmd of ['/跟进详情 1', '/认领 1', '/备注 1 已联系', '/解决 1', '/转交 1 王老师', '/误报 1']) await t.say(LI, cmd, IN_ENGLISH_STAFF);
    const said = toGroup(t, 'staff-2').map((m) => m.text);
    expect(said).toEqual(Array.from({ length: 6 }, () => '跟进 #1 不是这个群所在班级的，群里有老师不负责那个班。请私聊机器人处理这条跟进。'));
    expect(events(t, 1)).toEqual(['opened']);
    // The list there is the English class's, empty.
    await t.say(LI, '/跟进', IN_ENGLISH_STAFF);
    expect(toGroup(t, 'staff-2').at(-1)!.text).toBe('目前没有待处理的跟进 👍');
    expect(t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === 'staff-2').some((m) => m.text.includes('王妈妈'))).toBe(false);

    // In a direct chat only 李老师 reads the answer: details, and the claim is confirmed there.
    await t.say(LI, '/跟进详情 1', DIRECT);
    expect(t.adapter.textsTo('li').at(-1)).toContain('家长：王妈妈');
    await t.say(LI, '/认领 1', DIRECT);
    expect(t.adapter.textsTo('li').at(-1)).toBe('✅ 李老师 认领了跟进 #1（王妈妈），请在 11月25日 18:00 前解决。');
    // And in the class's own staff group, as before.
    await t.say(LI, '/跟进详情 1', IN_STAFF);
    expect(toGroup(t, 'staff-1').at(-1)!.text).toContain('家长：王妈妈');
  });
});

describe('sensitive follow-ups (item 11)', () => {
  it('after a wellbeing or safety case, the rating is asked by direct message or not at all, never as an @ in the class group', async () => {
    const t = await start({ 'c1.yaml': classPlaybook() });
    await t.say('王妈妈', WELLBEING);
    await t.say('赵爸爸', SAFETY);
    await t.say('孙妈妈', SAFETY);
    await t.say('孙妈妈', '老师您好', DIRECT);
    t.adapter.clear();
    for (const id of [1, 2, 3]) await t.say(LI, `/解决 ${id}`, IN_STAFF);
    expect(toGroup(t, 'class-1')).toEqual([]);
    expect(toGroup(t, 'staff-1').map((m) => m.text)).toEqual([
      '✅ 跟进 #1（王妈妈）已解决。情绪类只私聊请家长评价，这位家长没有私聊过机器人，这次不请评价。',
      '✅ 跟进 #2（赵爸爸）已解决。安全类只私聊请家长评价，这位家长没有私聊过机器人，这次不请评价。',
      '✅ 跟进 #3（孙妈妈）已解决，已请家长评价。',
    ]);
    expect(t.adapter.textsTo('孙妈妈').at(-1)).toContain('回复 1–5');
    expect(events(t, 1).slice(-2)).toEqual(['resolved', 'rating_skipped']);
    expect(events(t, 3).slice(-2)).toEqual(['resolved', 'rating_asked']);
    // Without an ask, a digit in the group is not taken as a rating.
    await t.say('王妈妈', '5');
    expect(t.bot.store.sqlite.prepare('SELECT rating FROM followups WHERE id = 1').get()).toEqual({ rating: null });
  });

  it('a low rating is answered with an apology and the promise of a call, a high one with thanks', async () => {
    const t = await start({ 'c1.yaml': classPlaybook() });
    await t.say('王妈妈', WORRIED);
    await t.say('赵爸爸', WORRIED);
    await t.say('王妈妈', '你好', DIRECT);
    await t.say('赵爸爸', '你好', DIRECT);
    await t.say(LI, '/解决 1', IN_STAFF);
    await t.say(LI, '/解决 2', IN_STAFF);
    await t.say('王妈妈', '1', DIRECT);
    await t.say('赵爸爸', '5', DIRECT);
    expect(t.adapter.textsTo('王妈妈').at(-1)).toBe('抱歉这次没能让您满意🙏 我们已经告诉李老师，会再联系您，把事情处理好。');
    expect(t.adapter.textsTo('赵爸爸').at(-1)).toBe('谢谢您的评价！我们会继续努力 🙏');
  });

  it('the not-checked-in @ skips a parent whose wellbeing or safety case is open, and @s them again once it is closed', async () => {
    const pb = classPlaybook(`checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [晨读打卡] }
reminders:
  - id: nudge
    cron: "30 20 * * *"
    checkin: reading
    mention: not_checked_in
    message: "还没晨读打卡：{not_checked_in}"
`);
    const t = await start({ 'c1.yaml': pb });
    await t.say('王妈妈', WELLBEING);
    await t.say('赵爸爸', SAFETY);
    await t.say('孙妈妈', WORRIED);
    await t.say('周爸爸', '老师好');
    await t.say('李爸爸', '晨读打卡');
    await t.advance(2.5 * 60 * 60_000);
    const nudge = () => t.adapter.sent.filter((m) => m.idempotencyKey.startsWith('fire:c1:reminder:nudge')).at(-1)!;
    expect(nudge().mentions?.map((m) => m.name)).toEqual(['孙妈妈', '周爸爸']);
    expect(nudge().text).not.toMatch(/王妈妈|赵爸爸/);
    await t.say(LI, '/解决 1', IN_STAFF);
    await t.say(LI, '/误报 2', IN_STAFF);
    await t.advance(24 * 60 * 60_000);
    expect(nudge().mentions?.map((m) => m.name)).toEqual(['王妈妈', '赵爸爸', '孙妈妈', '周爸爸', '李爸爸']);
  });
});

describe('escalation steps across a restart (item 1)', () => {
  it('a step sent before the restart is not sent again; the ladder carries on from it', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-fu-restart-')), 'bot.db');
    const files = { 'c1.yaml': classPlaybook() };
    let t = await start(files, { dbPath, now: '2026-11-24T23:00:00+08:00' });
    await t.say('王妈妈', SAFETY);
    await t.advance(10 * 60_000);
    const escalations = () => t.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE key LIKE 'followup:1:esc:%'`).get() as { n: number };
    expect(escalations()).toEqual({ n: 1 });
    const now = t.clock.now();
    await t.stop();
    running = [];

    t = await start(files, { dbPath, now });
    await t.bot.tick();
    expect(escalations()).toEqual({ n: 1 });
    expect(t.adapter.sent).toEqual([]);
    await t.advance(10 * 60_000);
    expect(escalations()).toEqual({ n: 2 });
    expect(t.adapter.sent.map((m) => m.mentions?.map((x) => x.name))).toEqual([['李老师', '王老师', '张主任']]);
  });
});

describe('urgent delivery (issue 17 item 13)', () => {
  const alerts = (t: TestBot) => toGroup(t, 'staff-1').filter((m) => m.mentions?.length);

  it('a safety alert asks the platform to reach the people it @s beyond the chat; other categories do not', async () => {
    const t = await start({ 'c1.yaml': classPlaybook() });
    await t.say('王妈妈', WORRIED);
    await t.say('赵爸爸', SAFETY);
    const [worried, safety] = alerts(t);
    expect(worried!.urgentTo).toBeUndefined();
    expect(safety!.urgentTo).toEqual(safety!.mentions);
    expect(safety!.urgentTo!.map((m) => m.name)).toContain('李老师');
  });

  it('`urgent_delivery` chooses the categories: none, or academic too', async () => {
    const off = await start({ 'c1.yaml': classPlaybook('followups:\n  urgent_delivery: []\n') });
    await off.say('赵爸爸', SAFETY);
    expect(alerts(off).every((m) => m.urgentTo === undefined)).toBe(true);
    const more = await start({ 'c1.yaml': classPlaybook('followups:\n  urgent_delivery: [safety, academic]\n  alert: both\n') });
    await more.say('王妈妈', WORRIED);
    const dm = more.adapter.sent.find((m) => m.target.kind === 'direct' && m.target.memberId === 'li');
    expect(dm?.urgentTo).toEqual([LI]);
    expect(alerts(more)[0]!.urgentTo).toEqual(alerts(more)[0]!.mentions);
  });
});
