/**
 * Follow-ups on the real engine and store (':memory:') with a fake clock: triggers, the FAQ
 * interplay, staff alerts and commands, escalation, quiet hours, ratings and the audit trail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Feature } from '../src/engine/feature.js';
import { faqFeature } from '../src/features/faq.js';
import { followupsFeature, unansweredQuestionsFeature } from '../src/features/followups/index.js';
import { parsePlaybook } from '../src/playbook/load.js';
import { classPlaybook, testBot, type TestBot } from './helpers/harness.js';

const FAQ = `faq:
  - q: 课表在哪里看
    keywords: [课表]
    answer: 课表在群文件里。
`;
const WORRIED = '孩子最近作业写到十一点，跟不上，好焦虑';
const COMPLAINT = '说好的回放呢？第三次了，没人回复，太敷衍了，要投诉';
const SAFETY = '孩子在学校被同学欺负了，身上都是伤';

const LI = { id: 'li', name: '李老师' };
const WANG = { id: 'wang', name: '王老师' };
const IN_STAFF = { groupId: 'staff-1', groupName: '老师群' };
const DIRECT = { chatType: 'direct' as const, groupId: null, addressed: true };

interface Row {
  id: number;
  category: string;
  severity: string;
  source: string;
  status: string;
  assignee: string | null;
  group_id: number | null;
  message: string | null;
  opened_at: number;
  claimed_at: number | null;
  first_response_at: number | null;
  resolved_at: number | null;
  respond_by: number;
  resolve_by: number;
  escalation_level: number;
  rating_asked_at: number | null;
  rating: number | null;
}

let t: TestBot;
let running: TestBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const start = async (extra = FAQ, now = '2026-11-23T18:00:00+08:00') => {
  t = running = await testBot({ 'c1.yaml': classPlaybook(extra) }, { now });
  return t;
};
const rows = (): Row[] => t.bot.store.sqlite.prepare('SELECT * FROM followups ORDER BY id').all() as Row[];
const row = (id: number): Row => t.bot.store.sqlite.prepare('SELECT * FROM followups WHERE id = ?').get(id) as Row;
const events = (id: number) =>
  t.bot.store.sqlite.prepare('SELECT actor, action, status, detail FROM followup_events WHERE followup_id = ? ORDER BY id').all(id) as {
    actor: string;
    action: string;
    status: string;
    detail: string | null;
  }[];
const toStaff = () => t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === 'staff-1');
const toClass = () => t.adapter.sent.filter((m) => m.target.kind === 'group' && m.target.groupId === 'class-1');
const toMember = (id: string) => t.adapter.sent.filter((m) => m.target.kind === 'direct' && m.target.memberId === id);
const at = (iso: string) => Date.parse(iso);

describe('triggers', () => {
  it('a worried message opens a follow-up: warm group reply, staff alert with context and deadline, worry on the message row', async () => {
    await start();
    await t.say('王妈妈', '今天的作业是哪几页？');
    await t.say('王妈妈', '孩子写到现在还没写完');
    t.adapter.clear();
    await t.say('王妈妈', WORRIED);

    const [f] = rows();
    expect(rows()).toHaveLength(1);
    expect(f).toMatchObject({ category: 'academic', severity: 'medium', source: 'detector', status: 'open', assignee: '李老师', message: WORRIED });
    expect(f!.respond_by).toBe(at('2026-11-23T18:15:00+08:00'));
    expect(f!.resolve_by).toBe(at('2026-11-24T18:00:00+08:00'));

    const ack = toClass();
    expect(ack).toHaveLength(1);
    expect(ack[0]!.mentions).toEqual([{ id: '王妈妈', name: '王妈妈' }]);
    expect(ack[0]!.text).toContain('李老师');
    for (const detail of ['十一点', '跟不上', '焦虑']) expect(ack[0]!.text).not.toContain(detail);

    const alert = toStaff();
    expect(alert).toHaveLength(1);
    expect(alert[0]!.text.split('\n')).toEqual([
      '🔔 跟进 #1｜学习·中',
      '班级：三年级二班 · 三年级二班家长群',
      '家长：王妈妈',
      `消息：${WORRIED}`,
      '因为消息里提到孩子学得吃力、作业慢、作业写到很晚、成绩下滑或跟不上。',
      '此前消息：',
      '· 18:00 今天的作业是哪几页？',
      '· 18:00 孩子写到现在还没写完',
      '负责：李老师 · 18:15 前认领 · 11月24日 18:00 前解决',
    ]);
    expect(alert[0]!.mentions).toEqual([{ id: 'li', name: '李老师' }]);
    expect(alert[0]!.actions).toEqual([
      { label: '认领', command: '/认领 1' },
      { label: '解决', command: '/解决 1' },
      { label: '误报', command: '/误报 1' },
    ]);

    const msg = t.bot.store.sqlite.prepare('SELECT worry_label AS label, worry_severity AS severity FROM messages WHERE text = ?').get(WORRIED);
    expect(msg).toEqual({ label: 'academic', severity: 'medium' });
    expect(events(1)).toEqual([expect.objectContaining({ actor: 'system', action: 'opened', status: 'open' })]);
  });

  it('a calm message opens nothing and is not marked worried', async () => {
    await start();
    await t.say('王妈妈', '收到，谢谢老师');
    expect(rows()).toEqual([]);
    expect(t.adapter.sent).toEqual([]);
    expect(t.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM messages WHERE worry_label IS NOT NULL').get()).toEqual({ n: 0 });
  });

  it('a question to the bot that no FAQ entry answers becomes a follow-up, in the group and in a direct chat', async () => {
    await start();
    await t.say('赵爸爸', '明天的直播课改时间了吗？', { addressed: true });
    expect(rows()).toEqual([expect.objectContaining({ category: 'question', severity: 'low', source: 'question', status: 'open' })]);
    expect(toClass().map((m) => m.text)).toEqual(['这个问题我先记下了，李老师会尽快回复您～']);
    expect(toStaff()[0]!.text).toContain('🔔 跟进 #1｜问题·低');

    await t.say('赵爸爸', '下周还上课吗？', DIRECT);
    expect(rows()[1]).toMatchObject({ category: 'question', group_id: null });
    expect(toMember('赵爸爸').map((m) => m.text)).toEqual(['这个问题我先记下了，李老师会尽快回复您～']);
    expect(toStaff()[1]!.text).toContain('班级：三年级二班 · 私聊');
  });

  it('a question not addressed to the bot, or addressed but not a question, opens nothing', async () => {
    await start();
    await t.say('赵爸爸', '明天的直播课改时间了吗？');
    await t.say('赵爸爸', '谢谢', { addressed: true });
    expect(rows()).toEqual([]);
  });

  it('staff open one by command, for a parent @-mentioned or named', async () => {
    await start();
    await t.say('王妈妈', '老师好');
    await t.say(LI, '/新跟进 @王妈妈 投诉 家长电话里说助教回复慢', { ...IN_STAFF, mentions: [{ id: '王妈妈', name: '王妈妈' }] });
    expect(rows()).toEqual([expect.objectContaining({ category: 'complaint', severity: 'high', source: 'staff', message: '家长电话里说助教回复慢' })]);
    expect(events(1)[0]).toMatchObject({ actor: '李老师', action: 'opened' });
    const staff = toStaff().map((m) => m.text);
    expect(staff[0]).toContain('🔔 跟进 #1｜投诉·高');
    expect(staff[0]).toContain('· 18:00 老师好');
    expect(staff[1]).toBe('已创建跟进 #1（王妈妈，投诉）。');

    await t.say(LI, '/新跟进 王妈妈 wellbeing 孩子最近情绪低落', IN_STAFF);
    expect(rows()[1]).toMatchObject({ category: 'wellbeing', source: 'staff' });

    t.adapter.clear();
    await t.say(LI, '/新跟进 王妈妈 随便 说明', IN_STAFF);
    await t.say(LI, '/新跟进 不存在的人 投诉 说明', IN_STAFF);
    expect(toStaff().map((m) => m.text)).toEqual(['请写明类别：安全、退费、投诉、情绪、学习、问题。', '没有找到家长“不存在的人”。可以在家长群里 @ 这位家长再试。']);
    expect(rows()).toHaveLength(2);
  });

  it('a second worried message of the same category is added to the open follow-up, not a new one', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    t.adapter.clear();
    await t.say('王妈妈', '孩子数学一直跟不上，真的好担心');
    expect(rows()).toHaveLength(1);
    expect(toClass()).toEqual([]);
    expect(toStaff().map((m) => m.text)).toEqual(['📨 跟进 #1（王妈妈，学习）有新消息：孩子数学一直跟不上，真的好担心']);
    expect(events(1).map((e) => e.action)).toEqual(['opened', 'message']);
  });
});

describe('FAQ or follow-up', () => {
  it('a question the FAQ answered, asked again, is answered again and opens nothing', async () => {
    await start();
    await t.say('赵爸爸', '课表在哪里看？');
    await t.advance(5 * 60_000);
    await t.say('赵爸爸', '课表在哪里看？');
    expect(toClass().map((m) => m.text)).toEqual(['课表在群文件里。', '课表在群文件里。']);
    expect(rows()).toEqual([]);
  });

  it('a question nobody answered, asked again after a while, is a complaint: the detector sees the history', async () => {
    await start();
    await t.say('赵爸爸', '明天的直播课改时间了吗？');
    expect(rows()).toEqual([]);
    await t.advance(20 * 60_000);
    await t.say('赵爸爸', '明天的直播课改时间了吗？');
    expect(rows()).toEqual([expect.objectContaining({ category: 'complaint', source: 'detector' })]);
    const reasons = JSON.parse((t.bot.store.sqlite.prepare('SELECT reasons FROM followups').get() as { reasons: string }).reasons) as string[];
    expect(reasons).toEqual(expect.arrayContaining(['重复提问:1次', '久未回复:20分钟']));
  });

  it('a staff answer in the group stops the wait', async () => {
    await start();
    await t.say('赵爸爸', '明天的直播课改时间了吗？');
    await t.advance(10 * 60_000);
    await t.say(LI, '没有改，照常上课～');
    await t.advance(10 * 60_000);
    await t.say('赵爸爸', '那后天呢，后天的课会改吗？');
    expect(rows()).toEqual([]);
  });

  it('a calm question the FAQ answers is answered and opens nothing', async () => {
    await start();
    await t.say('赵爸爸', '课表在哪里看？', { addressed: true });
    expect(toClass().map((m) => m.text)).toEqual(['课表在群文件里。']);
    expect(rows()).toEqual([]);
    expect(toStaff()).toEqual([]);
  });

  it('a worried message is marked, not consumed: features after followups still see it', async () => {
    const seen: string[] = [];
    const probe: Feature = { name: 'probe', onMessage: (ctx) => void seen.push(ctx.msg.text) };
    t = running = await testBot(
      { 'c1.yaml': classPlaybook(FAQ) },
      { now: '2026-11-23T18:00:00+08:00', features: [followupsFeature, probe, faqFeature, unansweredQuestionsFeature] },
    );
    await t.say('王妈妈', `打卡 20分钟 ${WORRIED}`);
    expect(seen).toEqual([`打卡 20分钟 ${WORRIED}`]);
    expect(rows()).toHaveLength(1);
  });

  it('a worried message with an FAQ keyword becomes a follow-up and gets no FAQ answer', async () => {
    await start();
    await t.say('赵爸爸', '课表太乱了，孩子跟不上，好焦虑？', { addressed: true });
    expect(rows()).toEqual([expect.objectContaining({ category: 'academic', source: 'detector' })]);
    expect(toClass().map((m) => m.text)).not.toContain('课表在群文件里。');
    expect(toClass()).toHaveLength(1);
  });
});

describe('replies per category', () => {
  it('safety says nothing about the content in public', async () => {
    await start();
    await t.say('王妈妈', SAFETY);
    expect(rows()[0]).toMatchObject({ category: 'safety', severity: 'urgent' });
    const [ack] = toClass();
    expect(ack!.text).toBe('收到，李老师会马上私信联系您。');
  });

  it('can be turned off per category, the staff alert still goes', async () => {
    await start(`${FAQ}followups:\n  categories:\n    academic: { reply: false }\n`);
    await t.say('王妈妈', WORRIED);
    expect(toClass()).toEqual([]);
    expect(toStaff()).toHaveLength(1);
    await t.say('赵爸爸', SAFETY);
    expect(toClass()).toHaveLength(1);
  });

  it('uses the playbook template of the category', async () => {
    await start(`${FAQ}messages:\n  followup_ack_academic: "{assistant}看到了，晚点私信您～"\n`);
    await t.say('王妈妈', WORRIED);
    expect(toClass()[0]!.text).toBe('李老师看到了，晚点私信您～');
  });

  it('alerts the assignee directly when the playbook says so', async () => {
    await start(`${FAQ}followups:\n  alert: assignee\n`);
    await t.say('王妈妈', WORRIED);
    expect(toStaff()).toEqual([]);
    expect(toMember('li').map((m) => m.text.split('\n')[0])).toEqual(['🔔 跟进 #1｜学习·中']);
  });
});

describe('staff commands', () => {
  it('claim, note, resolve by staff; the parent is asked to rate in the group and the rating is stored', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    t.adapter.clear();
    await t.clock.advance(5 * 60_000);
    await t.say(LI, '/认领 1', IN_STAFF);
    expect(row(1)).toMatchObject({ status: 'claimed', assignee: '李老师', claimed_at: at('2026-11-23T18:05:00+08:00') });
    await t.say(LI, '/备注 #1 已电话沟通，约了周三面谈', IN_STAFF);
    await t.say(LI, '/解决 1 面谈后家长放心了', IN_STAFF);
    expect(row(1)).toMatchObject({ status: 'resolved', resolved_at: at('2026-11-23T18:05:00+08:00'), rating_asked_at: at('2026-11-23T18:05:00+08:00') });
    expect(toStaff().map((m) => m.text)).toEqual([
      '✅ 李老师 认领了跟进 #1（王妈妈），请在 11月24日 18:00 前解决。',
      '📝 已记在跟进 #1 上。',
      '✅ 跟进 #1（王妈妈）已解决，已请家长评价。',
    ]);
    const [ask] = toClass();
    expect(ask!.mentions).toEqual([{ id: '王妈妈', name: '王妈妈' }]);
    expect(ask!.text).toContain('回复 1–5');

    await t.say('王妈妈', '4');
    expect(row(1).rating).toBe(4);
    expect(toClass().at(-1)!.text).toBe('谢谢您的评价！我们会继续努力 🙏');
  });

  it('the rating in the group counts only right after the ask', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.say(LI, '/解决 1', IN_STAFF);
    await t.clock.advance(60_000);
    await t.say('王妈妈', '好的谢谢老师');
    await t.say('王妈妈', '5');
    expect(row(1).rating).toBeNull();
  });

  it('a parent who talks to the bot directly is asked there; a low rating goes back to staff', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.say('王妈妈', '你好', DIRECT);
    await t.say(LI, '/解决 1', IN_STAFF);
    expect(toMember('王妈妈').at(-1)!.text).toContain('回复 1–5');
    expect(toClass().some((m) => m.text.includes('回复 1–5'))).toBe(false);
    await t.say('王妈妈', '２', DIRECT);
    expect(row(1).rating).toBe(2);
    expect(toStaff().at(-1)!.text).toBe('⚠️ 跟进 #1 的家长 王妈妈 评价 2 分，可能还有没解决的地方，请 李老师 再联系一下。');
    expect(toStaff().at(-1)!.mentions).toEqual([{ id: 'li', name: '李老师' }]);
  });

  it('dismiss as false alarm keeps the row with the detector reasons', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.say(WANG, '/误报 1 家长在开玩笑', IN_STAFF);
    const r = t.bot.store.sqlite.prepare('SELECT status, reasons, score FROM followups WHERE id = 1').get() as { status: string; reasons: string; score: number };
    expect(r.status).toBe('dismissed');
    expect(JSON.parse(r.reasons)).toContain('学业:跟不上');
    expect(r.score).toBeGreaterThan(0);
    expect(events(1).at(-1)).toEqual({ actor: '王老师', action: 'dismissed', status: 'dismissed', detail: '家长在开玩笑' });
    await t.say(LI, '/认领 1', IN_STAFF);
    expect(toStaff().at(-1)!.text).toBe('跟进 #1 已结束（误报），不能再操作。');
  });

  it('claimed by someone else: a second claim is refused; reassign hands it over and alerts the new owner', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.say(LI, '/认领 1', IN_STAFF);
    await t.say(WANG, '/认领 1', IN_STAFF);
    expect(toStaff().at(-1)!.text).toBe('跟进 #1 已由 李老师 认领。需要换人请用 /转交 1 名字。');
    expect(row(1).assignee).toBe('李老师');
    await t.say(LI, '/转交 1 王老师', IN_STAFF);
    expect(row(1)).toMatchObject({ assignee: '王老师', status: 'claimed' });
    expect(toStaff().at(-1)).toMatchObject({ text: '跟进 #1 已转交给 王老师。', mentions: [{ id: 'wang', name: '王老师' }] });
    expect(toMember('wang')[0]!.text).toContain('🔔 跟进 #1｜学习·中');
  });

  it('lists open follow-ups, unclaimed first; shows one with its record', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.say('赵爸爸', COMPLAINT);
    await t.say(LI, '/认领 1', IN_STAFF);
    await t.say(LI, '/跟进', IN_STAFF);
    expect(toStaff().at(-1)!.text.split('\n')).toEqual([
      '待处理的跟进（2）：',
      '#2 投诉·高 · 赵爸爸 · 待认领（李老师）· 18:30 前认领',
      '#1 学习·中 · 王妈妈 · 处理中（李老师）· 11月24日 18:00 前解决',
    ]);
    await t.say(LI, '/跟进详情 1', IN_STAFF);
    const show = toStaff().at(-1)!.text;
    expect(show).toContain('跟进 #1｜学习·中｜处理中');
    expect(show).toContain('· 18:00 李老师 认领');
    // Why, in one sentence; no raw detector tags, no empty rating line.
    const why = show.split('\n').find((l) => l.startsWith('原因：'));
    // What the message says, not which words matched.
    expect(why).toBe('原因：因为消息里提到孩子学得吃力、作业慢、作业写到很晚、成绩下滑或跟不上。');
    expect(show).not.toMatch(/学业:|担忧:|程度:/);
    expect(show.split('\n').some((l) => l.startsWith('评价'))).toBe(false);
  });

  it('staff commands work in a direct chat with the bot', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.say(LI, '/认领 1', DIRECT);
    expect(row(1).status).toBe('claimed');
    expect(toMember('li').at(-1)!.text).toContain('李老师 认领了跟进 #1');
  });

  it('in the class group, follow-up commands are not answered with parents’ details', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    t.adapter.clear();
    await t.say(LI, '/跟进');
    await t.say(LI, '/认领 1');
    expect(toClass().map((m) => m.text)).toEqual([
      '跟进指令请在老师群或私聊机器人时使用，以免在家长群里透露家长的情况。',
      '跟进指令请在老师群或私聊机器人时使用，以免在家长群里透露家长的情况。',
    ]);
    expect(row(1).status).toBe('open');
  });
});

describe('only staff may act, and only on their own classes', () => {
  const OTHER = `id: c2
name: 五年级英语
timezone: Asia/Shanghai
groups:
  - { key: class, platform: console, id: class-2, name: 五年级英语家长群 }
staff_group: { platform: console, id: staff-2, name: 英语老师群 }
staff:
  - { name: 陈老师, role: assistant, ids: { console: chen } }
`;

  it('a parent trying a staff command gets a polite refusal and nothing changes', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    const before = { row: row(1), events: events(1) };
    t.adapter.clear();
    for (const cmd of ['/认领 1', '/解决 1', '/误报 1', '/备注 1 x', '/转交 1 王老师', '/跟进', '/新跟进 王妈妈 投诉 x']) {
      await t.say('赵爸爸', cmd);
    }
    await t.say('赵爸爸', '/解决 1', DIRECT);
    expect(toClass()).toHaveLength(7);
    for (const m of toClass()) expect(m.text).toBe('抱歉，这个指令只有老师和助教可以使用哦～有问题可以直接@我或私信李老师。');
    expect(toMember('赵爸爸').map((m) => m.text)).toEqual(['抱歉，这个指令只有老师和助教可以使用哦～有问题可以直接@我或私信李老师。']);
    expect(row(1)).toEqual(before.row);
    expect(events(1)).toEqual(before.events);
    expect(rows()).toHaveLength(1);
    expect(toStaff()).toEqual([]);
  });

  it('staff of another class cannot act on this class’s follow-ups', async () => {
    t = running = await testBot({ 'c1.yaml': classPlaybook(FAQ), 'c2.yaml': OTHER }, { now: '2026-11-23T18:00:00+08:00' });
    await t.say('王妈妈', WORRIED);
    const before = events(1);
    await t.say({ id: 'chen', name: '陈老师' }, '/认领 1', { groupId: 'staff-2', groupName: '英语老师群' });
    await t.say({ id: 'chen', name: '陈老师' }, '/解决 1', DIRECT);
    expect(t.adapter.textsTo('staff-2')).toEqual(['没有找到您负责班级的跟进 #1。']);
    expect(t.adapter.textsTo('chen')).toEqual(['没有找到您负责班级的跟进 #1。']);
    expect(events(1)).toEqual(before);
    expect(row(1).status).toBe('open');
    // Their list shows only their own class.
    await t.say({ id: 'chen', name: '陈老师' }, '/跟进', { groupId: 'staff-2', groupName: '英语老师群' });
    expect(t.adapter.textsTo('staff-2').at(-1)).toBe('目前没有待处理的跟进 👍');
  });
});

describe('deadlines and escalation', () => {
  it('an unclaimed follow-up is re-alerted at its respond deadline with the next person of the chain @-ed', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    t.adapter.clear();
    await t.advance(14 * 60_000);
    expect(toStaff()).toEqual([]);
    await t.advance(60_000);
    expect(toStaff()).toHaveLength(1);
    expect(toStaff()[0]).toMatchObject({
      text: '⏰ 跟进 #1（学习·中，王妈妈）认领时限 18:15 已过，仍无人认领，请协助跟进。',
      mentions: [{ id: 'wang', name: '王老师' }],
    });
    expect(row(1).escalation_level).toBe(1);
    await t.advance(15 * 60_000);
    expect(toStaff()[1]!.mentions).toEqual([{ id: 'zhang', name: '张主任' }]);
    await t.advance(3 * 60 * 60_000);
    expect(toStaff()).toHaveLength(2);
    expect(events(1).map((e) => [e.action, e.detail])).toEqual([
      ['opened', expect.any(String)],
      ['escalated', '第2级，@王老师'],
      ['escalated', '第3级，@张主任'],
    ]);
  });

  it('a claimed follow-up is not escalated', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.advance(10 * 60_000);
    await t.say(LI, '/认领 1', IN_STAFF);
    t.adapter.clear();
    await t.advance(60 * 60_000);
    expect(toStaff()).toEqual([]);
  });

  it('uses the playbook’s deadlines and escalation chain', async () => {
    await start(`${FAQ}followups:\n  escalation: [李老师, 张主任]\n  categories:\n    academic: { respond: 1h, resolve: 3d }\n`);
    await t.say('王妈妈', WORRIED);
    expect(row(1).respond_by).toBe(at('2026-11-23T19:00:00+08:00'));
    expect(row(1).resolve_by).toBe(at('2026-11-26T18:00:00+08:00'));
    t.adapter.clear();
    await t.advance(60 * 60_000);
    expect(toStaff().map((m) => m.mentions)).toEqual([[{ id: 'zhang', name: '张主任' }]]);
  });

  const QUIET = `${FAQ}quiet_hours: { start: "21:30", end: "07:00" }\n`;

  it('urgent safety @s the whole chain at once, then again every respond window until claimed, quiet hours or not', async () => {
    await start(QUIET, '2026-11-23T23:00:00+08:00');
    await t.say('王妈妈', SAFETY);
    const [alert] = toStaff();
    expect(alert!.text.split('\n')[0]).toBe('🚨 跟进 #1｜安全·紧急');
    expect(alert!.mentions?.map((x) => x.name)).toEqual(['李老师', '王老师', '张主任']);
    const urgent = t.bot.store.sqlite.prepare(`SELECT urgent, not_before AS notBefore, created_at AS createdAt FROM outbox WHERE key = 'followup:1:alert'`).get() as {
      urgent: number;
      notBefore: number;
      createdAt: number;
    };
    expect(urgent.urgent).toBe(1);
    expect(urgent.notBefore).toBe(urgent.createdAt);
    expect(row(1).respond_by).toBe(at('2026-11-23T23:10:00+08:00'));
    t.adapter.clear();
    await t.advance(40 * 60_000);
    const names = (m: { mentions?: { name: string }[] }) => (m.mentions ?? []).map((x) => x.name).join(' ');
    expect(toStaff().map((m) => [m.text, names(m)])).toEqual([
      ['🚨 安全跟进 #1（王妈妈）仍无人认领，请立即处理！', '李老师 王老师 张主任'],
      ['🚨 安全跟进 #1（王妈妈）仍无人认领，请立即处理！', '李老师 王老师 张主任'],
      ['🚨 安全跟进 #1（王妈妈）仍无人认领，请立即处理！', '李老师 王老师 张主任'],
      ['🚨 安全跟进 #1（王妈妈）仍无人认领，请立即处理！', '李老师 王老师 张主任'],
    ]);
    expect(events(1).filter((e) => e.action === 'escalated').map((e) => e.detail)).toEqual([
      '第3级，@李老师、王老师、张主任',
      '第3级，@李老师、王老师、张主任',
      '第3级，@李老师、王老师、张主任',
      '第3级，@李老师、王老师、张主任',
    ]);
    await t.say(LI, '/认领 1', IN_STAFF);
    t.adapter.clear();
    await t.advance(60 * 60_000);
    expect(toStaff()).toEqual([]);
  });

  it('a possible danger is high and goes to the assistant on duty alone; a second sign from the parent raises the same case to urgent, to the whole chain', async () => {
    await start(QUIET, '2026-11-23T23:00:00+08:00');
    await t.say('王妈妈', '孩子还没到家');
    const [alert] = toStaff();
    expect(alert!.text.split('\n')[0]).toBe('🚨 跟进 #1｜安全·高');
    expect(alert!.text).toContain('因为消息里提到孩子还没到家');
    expect(alert!.mentions?.map((x) => x.name)).toEqual(['李老师']);
    t.adapter.clear();
    await t.advance(5 * 60_000);
    await t.say('王妈妈', '电话也打不通');
    expect(rows()).toHaveLength(1);
    expect(row(1)).toMatchObject({ severity: 'urgent', escalation_level: 2 });
    const raised = toStaff().at(-1)!;
    expect(raised.text.split('\n')).toEqual([
      '🚨 跟进 #1（王妈妈，安全）升级为紧急：电话也打不通',
      '因为消息里提到联系不上孩子、孩子还没到家，和此前几条消息连起来看。',
    ]);
    expect(raised.mentions?.map((x) => x.name)).toEqual(['李老师', '王老师', '张主任']);
  });

  it('min_severity never leaves out a possible danger', async () => {
    await start(`${FAQ}followups:\n  min_severity: urgent\n`);
    await t.say('王妈妈', COMPLAINT);
    await t.say('赵爸爸', '孩子还没到家');
    expect(rows().map((r) => [r.category, r.severity])).toEqual([['safety', 'high']]);
  });

  it('other categories stop at the top of the chain unless escalation_repeat says all', async () => {
    await start(`${FAQ}followups:\n  escalation_repeat: all\n`);
    await t.say('王妈妈', WORRIED);
    t.adapter.clear();
    await t.advance(60 * 60_000);
    expect(toStaff().map((m) => m.mentions?.map((x) => x.name))).toEqual([['王老师'], ['张主任'], ['张主任'], ['张主任']]);
  });

  it('other categories do not @ anyone at night: the deadline starts when quiet hours end', async () => {
    await start(QUIET, '2026-11-23T23:00:00+08:00');
    await t.say('王妈妈', WORRIED);
    expect(toStaff()).toHaveLength(1);
    expect(row(1).respond_by).toBe(at('2026-11-24T07:15:00+08:00'));
    t.adapter.clear();
    await t.advance(8 * 60 * 60_000 + 14 * 60_000);
    // Only the morning digest, when quiet hours end at 07:00.
    expect(toStaff().map((m) => m.text)).toEqual(['☀️ 早上好！待处理的跟进 1 条，其中已超时 0 条：\n#1 学习·中 · 王妈妈 · 已开 8小时 · 待认领（李老师）']);
    t.adapter.clear();
    await t.advance(60_000);
    expect(toStaff().map((m) => m.mentions)).toEqual([[{ id: 'wang', name: '王老师' }]]);
  });
});

describe('responses and the audit trail', () => {
  it('staff @-mentioning the parent in the class group is recorded as the first response', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.clock.advance(3 * 60_000);
    await t.say(LI, '@王妈妈 您好，我私信您了', { mentions: [{ id: '王妈妈', name: '王妈妈' }] });
    expect(row(1).first_response_at).toBe(at('2026-11-23T18:03:00+08:00'));
    expect(events(1).at(-1)).toMatchObject({ actor: '李老师', action: 'responded' });
  });

  it('every state change is one audit row: who, when, what', async () => {
    await start();
    await t.say('王妈妈', WORRIED);
    await t.advance(15 * 60_000);
    await t.say('王妈妈', '孩子数学一直跟不上，真的好担心');
    await t.say(WANG, '/认领 1', IN_STAFF);
    await t.say(WANG, '/备注 1 已打电话', IN_STAFF);
    await t.say(WANG, '/转交 1 李老师', IN_STAFF);
    await t.say(LI, '@王妈妈 我们明天面谈', { mentions: [{ id: '王妈妈', name: '王妈妈' }] });
    await t.say(LI, '/解决 1 面谈完成', IN_STAFF);
    await t.clock.advance(60_000);
    await t.say('王妈妈', '5');
    const trail = t.bot.store.sqlite
      .prepare('SELECT at, actor, action, status, detail FROM followup_events WHERE followup_id = 1 ORDER BY id')
      .all() as { at: number; actor: string; action: string; status: string; detail: string | null }[];
    expect(trail.map((e) => [e.actor, e.action, e.status, e.detail])).toEqual([
      ['system', 'opened', 'open', expect.any(String)],
      ['system', 'escalated', 'open', '第2级，@王老师'],
      ['王妈妈', 'message', 'open', '孩子数学一直跟不上，真的好担心'],
      ['王老师', 'claimed', 'claimed', null],
      ['王老师', 'noted', 'claimed', '已打电话'],
      ['王老师', 'reassigned', 'claimed', '王老师 → 李老师'],
      ['李老师', 'responded', 'claimed', null],
      ['李老师', 'resolved', 'resolved', '面谈完成'],
      ['system', 'rating_asked', 'resolved', null],
      ['王妈妈', 'rated', 'resolved', '5'],
    ]);
    expect(trail.map((e) => e.at)).toEqual([...trail.map((e) => e.at)].sort((a, b) => a - b));
    expect(trail[1]!.at).toBe(at('2026-11-23T18:15:00+08:00'));
  });
});

describe('the followups playbook block', () => {
  const check = (extra: string) => {
    const r = parsePlaybook(classPlaybook(extra), 'c1.yaml', 'c1');
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it('accepts deadlines, alert routing and an escalation chain of staff', () => {
    expect(check('followups:\n  alert: both\n  escalation: [李老师, 张主任]\n  categories:\n    safety: { respond: 5m, resolve: 1h }\n')).toEqual([]);
  });

  it('explains bad durations and unknown staff in Chinese', () => {
    expect(check('followups:\n  categories:\n    safety: { respond: 10 minutes }\n').join('\n')).toContain('时长格式应为');
    expect(check('followups:\n  escalation: [李老师, 刘老师]\n')).toEqual([expect.stringContaining('“刘老师”不在 staff 名单里')]);
    expect(check('followups:\n  categories:\n    other: { reply: false }\n')).not.toEqual([]);
  });

  it('takes escalation_repeat and a digest time, and explains bad ones in Chinese', () => {
    expect(check('followups:\n  escalation_repeat: all\n  digest: "07:30"\n')).toEqual([]);
    expect(check('followups:\n  digest: false\n')).toEqual([]);
    expect(check('followups:\n  digest: "25:00"\n')).toEqual([expect.stringContaining('时间格式应为 HH:MM')]);
    expect(check('followups:\n  escalation_repeat: sometimes\n')).toEqual([expect.stringMatching(/escalation_repeat: .*safety \/ all \/ none/)]);
  });

  it('sends the digest at the playbook’s digest time, and none with digest: false', async () => {
    await start(`${FAQ}followups:\n  digest: "09:15"\n`, '2026-11-24T08:00:00+08:00');
    await t.say('王妈妈', WORRIED);
    await t.say(LI, '/认领 1', IN_STAFF);
    t.adapter.clear();
    await t.advance(74 * 60_000);
    expect(toStaff()).toEqual([]);
    await t.advance(60_000);
    expect(toStaff().map((m) => m.text)).toEqual(['☀️ 早上好！待处理的跟进 1 条，其中已超时 0 条：\n#1 学习·中 · 王妈妈 · 已开 1小时 · 处理中（李老师）']);
    await running!.stop();
    await start(`${FAQ}followups:\n  digest: false\n`, '2026-11-24T08:00:00+08:00');
    await t.say('王妈妈', WORRIED);
    await t.say(LI, '/认领 1', IN_STAFF);
    t.adapter.clear();
    await t.advance(25 * 60 * 60_000);
    expect(toStaff().filter((m) => m.text.includes('早上好'))).toEqual([]);
    expect(toStaff()).toHaveLength(1);
  });
});
