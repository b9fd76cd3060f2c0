/**
 * DingTalk end to end: the real engine and features, the real DWClient (through our adapter) and
 * our HTTP client against the fake DingTalk on 127.0.0.1, with a fake clock. What parents and
 * staff see is read from the requests the fake received.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DingtalkAdapter } from '../../adapters/dingtalk/index.js';
import { startBot, type Bot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import { MAX_NAME } from '../../src/engine/inbound.js';
import { createLogger, type Logger } from '../../src/log.js';
import {
  DM_SEND_PATH,
  FakeDingtalk,
  GROUP_SEND_PATH,
  GROUPS_QUERY_PATH,
  TOKEN_PATH,
  WEBHOOK_PATH,
  type Delivery,
  type RobotMessageOptions,
} from '../fakes/dingtalk/fake-dingtalk.js';
import { playbookDir } from '../helpers/harness.js';

const MIN = 60_000;
/** A Monday evening. */
const T0 = Date.parse('2026-11-23T18:30:00+08:00');

const CLASS_A = { conversationId: 'cidClassA', conversationTitle: '三年级二班家长群' };
const CLASS_B = { conversationId: 'cidClassB', conversationTitle: '三年级三班家长群' };
const STAFF_GROUP = { conversationId: 'cidStaff', conversationTitle: '三年级老师群' };

/** Parents are outside the school's organisation: no staff id, only a DingTalk id. */
const WANG = { senderId: '$:LWCP_v1:$wang', senderNick: '王妈妈' };
const ZHANG = { senderId: '$:LWCP_v1:$zhang', senderNick: '张爸爸' };
const LI_TEACHER = { senderId: '$:LWCP_v1:$li', senderStaffId: 'teacher01', senderNick: '李老师' };

const REMINDER = '⏰ 19:00 啦，今天的晨读打卡别忘了～发“@机器人 打卡”就行。';

/**
 * Two class groups and (optionally) the staff group, all bound by title: the class groups' ids
 * come from the robot's group list at start (or from the first @ message), the staff group's
 * from a staff member's message.
 */
function playbook(opts: { staffGroup: boolean }): string {
  return `id: g3
name: 三年级语文
timezone: Asia/Shanghai
groups:
  - { key: class2, platform: dingtalk, name: 三年级二班家长群 }
  - { key: class3, platform: dingtalk, name: 三年级三班家长群 }
${opts.staffGroup ? 'staff_group: { platform: dingtalk, name: 三年级老师群 }' : ''}
staff:
  - { name: 李老师, role: assistant, ids: { dingtalk: teacher01 } }
  - { name: 王老师, role: head_teacher, ids: { dingtalk: teacher02 } }
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [打卡] }
reminders:
  - id: evening
    cron: "0 19 * * *"
    message: ${REMINDER}
faq:
  - q: 课表在哪里看
    keywords: [课表]
    answer: 本学期课表在群文件“三年级课表.pdf”里。
followups:
  alert: staff_group
`;
}

let clock: FakeClock;
let fake: FakeDingtalk;
let logText: string;
let log: Logger;
let bot: Bot | undefined;
let adapter: DingtalkAdapter;
let pushed: number;

/** `listed`: the groups the robot is in as DingTalk's group list shows them (default both class groups). */
async function start(opts: { staffGroup?: boolean; dbPath?: string; dir?: string; listed?: (typeof CLASS_A)[]; cardTemplateId?: string } = {}): Promise<Bot> {
  for (const g of opts.listed ?? [CLASS_A, CLASS_B]) fake.groups.set(g.conversationId, g.conversationTitle);
  adapter = new DingtalkAdapter({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    robotCode: fake.robotCode,
    apiBaseUrl: fake.baseUrl,
    gatewayUrl: fake.gatewayUrl,
    log,
    clock,
    keepAlive: false,
    ...(opts.cardTemplateId ? { cardTemplateId: opts.cardTemplateId } : {}),
  });
  const connected = fake.nextConnection();
  bot = await startBot({
    playbookDir: opts.dir ?? playbookDir({ 'g3.yaml': playbook({ staffGroup: opts.staffGroup ?? true }) }),
    dbPath: opts.dbPath ?? ':memory:',
    adapters: [adapter],
    clock,
    log,
    watch: false,
    autoTick: false,
  });
  await connected;
  // The router binds title-bound groups from the group list (not from messages): wait for it.
  await until(() => expect(logText.split('DingTalk groups looked up').length).toBeGreaterThan(lookUps + 1));
  lookUps += 1;
  return bot;
}

/** Group lookups done so far (one per start, one per group first seen). */
let lookUps: number;

/** Pushes a robot callback as DingTalk would (after an @) and waits for the client's ack. */
async function push(data: Record<string, unknown>): Promise<void> {
  const ack = await fake.pushRobotMessage(data);
  expect(ack.code).toBe(200);
  pushed += 1;
}

function message(from: Partial<RobotMessageOptions>, where: Partial<RobotMessageOptions>, content: string, extra: Partial<RobotMessageOptions> = {}) {
  // DingTalk removes the robot's "@name" and leaves the space after it.
  return fake.robotMessage({ ...from, ...where, content: ` ${content}`, ...extra });
}

async function say(from: Partial<RobotMessageOptions>, where: Partial<RobotMessageOptions>, content: string, extra: Partial<RobotMessageOptions> = {}) {
  const data = message(from, where, content, extra);
  await push(data);
  return data;
}

/** Waits (in real time, for sockets and HTTP) until `check` passes. */
function until(check: () => void): Promise<void> {
  return vi.waitFor(check, { timeout: 10_000, interval: 20 });
}

function to(conversationId: string): Delivery[] {
  return fake.deliveries.filter((d) => d.conversationId === conversationId);
}

/**
 * Asks a FAQ question and waits for its answer: the engine handles messages in order, so
 * everything pushed before it has been handled too.
 */
async function settle(where: { conversationId: string; conversationTitle: string } = CLASS_A): Promise<void> {
  const before = to(where.conversationId).length;
  await say(ZHANG, where, '课表在哪里看？', { msgId: `settle-${pushed}` });
  await until(() => expect(to(where.conversationId).slice(before).map((d) => d.text)).toContain('本学期课表在群文件“三年级课表.pdf”里。'));
}

function count(sql: string, ...args: unknown[]): number {
  return (bot!.store.sqlite.prepare(sql).get(...args) as { n: number }).n;
}

const checkinConfirmation = (n: number, streak = 1) => `✅ 晨读打卡成功！今天全班已有 ${n} 人打卡，你已连续打卡 ${streak} 天。`;

beforeEach(async () => {
  // dingtalk-stream prints "connect success" with console.info and offers no way to route it (see README).
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  clock = new FakeClock(T0);
  fake = await FakeDingtalk.start({ now: () => clock.now() });
  logText = '';
  log = createLogger({ level: 'debug', destination: { write: (s: string) => void (logText += s) } });
  pushed = 0;
  lookUps = 0;
});

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await fake.close();
  vi.restoreAllMocks();
  // Secrets never reach the log, at debug level, whatever the test did.
  expect(logText).toContain('dingtalk: connection state');
  for (const secret of [fake.clientSecret, ...fake.issuedTokens, ...fake.issuedTickets, ...fake.issuedWebhooks]) {
    expect(logText).not.toContain(secret);
  }
});

describe('DingTalk end to end: parents and staff', () => {
  it('confirms "@机器人 打卡" through the session webhook, the groups bound from the robot\'s group list', async () => {
    await start();
    const data = await say(WANG, CLASS_A, '打卡');
    await until(() => expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(1));
    const [hook] = fake.requestsTo(WEBHOOK_PATH);
    expect(`${fake.baseUrl}${hook!.path}?session=${hook!.query.session}`).toBe(data.sessionWebhook);
    expect(hook!.body).toEqual({
      msgtype: 'text',
      text: { content: checkinConfirmation(1) },
      at: { atUserIds: [], atDingtalkIds: [WANG.senderId], isAtAll: false },
    });
    expect(hook!.headers['x-acs-dingtalk-access-token']).toBeUndefined();
    expect(bot!.store.sqlite.prepare(`SELECT chat_id AS chatId, group_key AS groupKey FROM groups WHERE platform = 'dingtalk'`).all())
      .toEqual([{ chatId: CLASS_A.conversationId, groupKey: 'class2' }, { chatId: CLASS_B.conversationId, groupKey: 'class3' }]);
    expect(fake.requestsTo(GROUPS_QUERY_PATH).map((r) => r.body)).toEqual([{ robotCode: fake.robotCode, pageNumber: 1, pageSize: 100 }]);
    expect(count(`SELECT count(*) AS n FROM checkins`)).toBe(1);
    expect(logText).toContain('"openConversationId":"cidClassA"');
  });

  it('answers a FAQ question, and turns an unanswered question into a follow-up for the staff group', async () => {
    await start();
    await say(LI_TEACHER, STAFF_GROUP, '跟进列表');
    await until(() => expect(to(STAFF_GROUP.conversationId)).toHaveLength(1));
    await say(WANG, CLASS_A, '课表在哪里看？');
    await until(() => expect(to(CLASS_A.conversationId)).toHaveLength(1));
    expect(fake.requestsTo(WEBHOOK_PATH).at(-1)!.body).toEqual({
      msgtype: 'text',
      text: { content: '本学期课表在群文件“三年级课表.pdf”里。' },
      at: { atUserIds: [], atDingtalkIds: [WANG.senderId], isAtAll: false },
    });

    // Asks nothing the FAQ answers ("明天几点上课" would: the timetable answers it).
    await say(WANG, CLASS_A, '明天要带什么材料？');
    await until(() => expect(to(STAFF_GROUP.conversationId)).toHaveLength(2));
    await until(() => expect(to(CLASS_A.conversationId)).toHaveLength(2));
    expect(to(CLASS_A.conversationId)[1]).toMatchObject({ route: 'webhook', text: '这个问题我先记下了，李老师会尽快回复您～' });
    // The staff group's webhook (from 李老师's message) is still valid: the alert @s her for real.
    const alert = to(STAFF_GROUP.conversationId)[1]!;
    expect(alert).toMatchObject({ route: 'webhook', atUserIds: ['teacher01'] });
    expect(alert.text).toMatch(/^@teacher01 🔔 跟进 #1｜问题·低\n/);
    expect(alert.text).toContain('消息：明天要带什么材料？');
    expect(alert.text).toContain('· 认领：发送「/认领 1」');
  });

  it('meets a worried message with a warm reply and a staff alert in the staff group', async () => {
    await start();
    await say(LI_TEACHER, STAFF_GROUP, '跟进列表');
    await until(() => expect(to(STAFF_GROUP.conversationId)).toHaveLength(1));
    await say(WANG, CLASS_A, '孩子在学校被同学欺负了，身上都是伤');
    await until(() => expect(to(STAFF_GROUP.conversationId)).toHaveLength(2));
    await until(() => expect(to(CLASS_A.conversationId)).toHaveLength(1));
    expect(fake.requestsTo(WEBHOOK_PATH).find((r) => JSON.stringify(r.body).includes('私信'))?.body).toEqual({
      msgtype: 'text',
      text: { content: '收到，李老师会马上私信联系您。' },
      at: { atUserIds: [], atDingtalkIds: [WANG.senderId], isAtAll: false },
    });
    const alert = to(STAFF_GROUP.conversationId)[1]!;
    expect(alert).toMatchObject({ route: 'webhook', atUserIds: ['teacher01', 'teacher02'] });
    expect(alert.text).toMatch(/^@teacher01 @teacher02 🚨 跟进 #1｜安全·紧急\n/);
    expect(alert.text).toContain('家长：王妈妈');
    expect(alert.text).toContain('消息：孩子在学校被同学欺负了，身上都是伤');
    // Nobody claims it: the escalation goes out once the staff group's webhook has expired, by the API (names as text).
    clock.advance(91 * MIN);
    await bot!.tick();
    const escalation = to(STAFF_GROUP.conversationId).slice(2);
    expect(escalation).toHaveLength(1);
    expect(escalation[0]).toMatchObject({ route: 'group-api' });
    expect(escalation[0]!.text).toMatch(/^@李老师 @王老师 🚨 安全跟进 #1（王妈妈）仍无人认领/);
  });

  it('with a card template, a safety alert is a card that @s the staff and DINGs them; its 认领 button claims it', async () => {
    await start({ cardTemplateId: 'tpl-alert.schema' });
    await say(LI_TEACHER, STAFF_GROUP, '跟进列表');
    await until(() => expect(to(STAFF_GROUP.conversationId)).toHaveLength(1));
    await say(WANG, CLASS_A, SAFETY);
    await until(() => expect(fake.cards.size).toBe(1));
    const [card] = [...fake.cards.values()];
    expect(card).toMatchObject({ conversationId: STAFF_GROUP.conversationId, atUserIds: { teacher01: '李老师', teacher02: '王老师' }, callbackType: 'STREAM' });
    expect(card!.params.content).toMatch(/^@李老师 @王老师 🚨 跟进 #1｜安全·紧急\n/);
    const buttons = JSON.parse(card!.params.buttons!) as { label: string; command: string }[];
    const claim = buttons.find((b) => b.label === '认领')!;
    expect(claim.command).toMatch(/认领 1/);
    await until(() => expect(fake.dings).toHaveLength(1));
    expect(fake.dings[0]).toMatchObject({ remindType: 1, receiverUserIdList: ['teacher01', 'teacher02'] });
    expect(fake.dings[0]!.content).toContain('🚨 跟进 #1｜安全·紧急');

    await fake.pushCardPress({ outTrackId: card!.outTrackId, userId: 'teacher01', params: { command: claim.command } });
    await until(() => expect(count(`SELECT count(*) AS n FROM followups WHERE status = 'claimed' AND assignee = '李老师'`)).toBe(1));
  });

  it('without a staff group, alerts each staff member through the one-to-one API', async () => {
    await start({ staffGroup: false });
    await say(WANG, CLASS_A, '孩子在学校被同学欺负了，身上都是伤');
    await until(() => expect(fake.requestsTo(DM_SEND_PATH)).toHaveLength(2));
    await until(() => expect(to(CLASS_A.conversationId)).toHaveLength(1));
    expect(to(CLASS_A.conversationId)[0]).toMatchObject({ route: 'webhook', text: '收到，李老师会马上私信联系您。' });
    const dms = fake.requestsTo(DM_SEND_PATH);
    expect(dms.map((r) => (r.body as { userIds: string[] }).userIds)).toEqual([['teacher01'], ['teacher02']]);
    for (const dm of dms) {
      expect(dm.headers['x-acs-dingtalk-access-token']).toBe(fake.issuedTokens[0]);
      expect(dm.body).toMatchObject({ robotCode: fake.robotCode, msgKey: 'sampleText' });
      expect(JSON.parse((dm.body as { msgParam: string }).msgParam).content).toContain('🚨 跟进 #1｜安全·紧急');
    }
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(1);
  });
});

describe('DingTalk end to end: exactly once', () => {
  it('counts a redelivered callback once, also after a restart on the same database file', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-dt-e2e-')), 'bot.db');
    const dir = playbookDir({ 'g3.yaml': playbook({ staffGroup: true }) });
    await start({ dbPath, dir });
    const data = message(WANG, CLASS_A, '打卡', { msgId: 'msg-dup-1' });
    await push(data);
    await push(data);
    await settle();
    const confirmations = () => fake.deliveries.filter((d) => d.text === checkinConfirmation(1));
    expect(confirmations()).toHaveLength(1);

    await bot!.stop();
    bot = undefined;
    await start({ dbPath, dir });
    // DingTalk pushes the same callback again (say it was never acked before the restart).
    await push(data);
    await settle();
    expect(confirmations()).toHaveLength(1);
    expect(count(`SELECT count(*) AS n FROM checkins`)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM messages WHERE event_id = 'msg-dup-1'`)).toBe(1);
    expect(fake.connections).toBe(2);
    // The restarted bot knows the groups' ids: the 19:00 reminder reaches both.
    clock.set(Date.parse('2026-11-23T19:01:00+08:00'));
    await bot!.tick();
    expect(fake.requestsTo(GROUP_SEND_PATH).map((r) => (r.body as { openConversationId: string }).openConversationId))
      .toEqual([CLASS_A.conversationId, CLASS_B.conversationId]);
  });

  it('sends the 19:00 reminder to both class groups through groupMessages/send, once each', async () => {
    await start();
    await say(WANG, CLASS_A, '打卡');
    await say(ZHANG, CLASS_B, '打卡');
    await until(() => expect(fake.deliveries).toHaveLength(2));
    clock.set(Date.parse('2026-11-23T18:59:00+08:00'));
    await bot!.tick();
    expect(fake.requestsTo(GROUP_SEND_PATH)).toHaveLength(0);
    clock.set(Date.parse('2026-11-23T19:01:00+08:00'));
    await bot!.tick();
    clock.advance(MIN);
    await bot!.tick();
    const sends = fake.requestsTo(GROUP_SEND_PATH);
    expect(sends.map((r) => r.body)).toEqual([CLASS_A, CLASS_B].map((g) => ({
      robotCode: fake.robotCode,
      openConversationId: g.conversationId,
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: REMINDER }),
    })));
    for (const s of sends) expect(s.headers['x-acs-dingtalk-access-token']).toBe(fake.issuedTokens[0]);
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(bot!.store.sqlite.prepare(`SELECT group_key AS g, status FROM schedule_fires ORDER BY g`).all())
      .toEqual([{ g: 'class2', status: 'sent' }, { g: 'class3', status: 'sent' }]);
  });

  it('a day the monthly quota runs out and comes back: reminders wait without spending attempts, a live webhook still answers, all arrive once', async () => {
    await start();
    // 18:30: 王妈妈 checks in in 二班, which leaves that group a live session webhook (about 90 minutes).
    await say(WANG, CLASS_A, '打卡');
    await until(() => expect(to(CLASS_A.conversationId)).toHaveLength(1));
    fake.quota = 'used-up';

    clock.set(Date.parse('2026-11-23T19:00:00+08:00'));
    await bot!.tick();
    await until(() => expect(to(CLASS_A.conversationId).map((d) => d.text)).toContain(REMINDER));
    // 二班's reminder went by its webhook; 三班 has none: its reminder waits, no attempt spent.
    expect(to(CLASS_A.conversationId).filter((d) => d.text === REMINDER).map((d) => d.route)).toEqual(['webhook']);
    expect(to(CLASS_B.conversationId)).toEqual([]);
    const held = () => bot!.store.sqlite.prepare(`SELECT status, attempts FROM outbox WHERE target_id = ? AND cause = 'reminder'`).get(CLASS_B.conversationId);
    expect(held()).toEqual({ status: 'pending', attempts: 0 });
    expect(bot!.engine.outbox.blocks.all()).toMatchObject([{ platform: 'dingtalk', reason: 'dingtalk-quota' }]);
    expect(logText).toContain('platform refuses every send');

    // While it lasts, a parent's @ in 二班 is still answered through the webhook.
    await say(ZHANG, CLASS_A, '课表在哪里看？', { msgId: 'during-quota' });
    await until(() => expect(to(CLASS_A.conversationId).map((d) => d.text)).toContain('本学期课表在群文件“三年级课表.pdf”里。'));

    // 19:15: the probe is refused again; nothing else is tried.
    const calls = fake.requestsTo(GROUP_SEND_PATH).length;
    clock.set(Date.parse('2026-11-23T19:15:00+08:00'));
    await bot!.tick();
    expect(fake.requestsTo(GROUP_SEND_PATH).length).toBe(calls + 1);
    expect(held()).toEqual({ status: 'pending', attempts: 0 });

    // The organisation upgrades; the 19:30 probe goes through, the block lifts, 三班 gets its reminder once.
    fake.quota = 'ok';
    clock.set(Date.parse('2026-11-23T19:30:00+08:00'));
    await bot!.tick();
    await bot!.tick();
    await until(() => expect(to(CLASS_B.conversationId).map((d) => d.text)).toEqual([REMINDER]));
    expect(held()).toEqual({ status: 'sent', attempts: 1 });
    expect(bot!.engine.outbox.blocks.all()).toEqual([]);
    expect(logText).toContain('platform takes sends again');
    expect(to(CLASS_A.conversationId).filter((d) => d.text === REMINDER)).toHaveLength(1);
  });

  it('records and reports a reminder for a group whose id is not learned yet, and reaches it once learned', async () => {
    // The robot is not in 三年级三班 yet: the group list has only 二班.
    await start({ listed: [CLASS_A] });
    await say(WANG, CLASS_A, '打卡');
    await until(() => expect(to(CLASS_A.conversationId)).toHaveLength(1));
    clock.set(Date.parse('2026-11-23T19:01:00+08:00'));
    await bot!.tick();
    expect(fake.requestsTo(GROUP_SEND_PATH).map((r) => (r.body as { openConversationId: string }).openConversationId)).toEqual([CLASS_A.conversationId]);
    expect(bot!.store.sqlite.prepare(`SELECT group_key AS g, status FROM schedule_fires ORDER BY g`).all())
      .toEqual([{ g: 'class2', status: 'sent' }, { g: 'class3', status: 'no_target' }]);
    expect(logText).toMatch(/"level":40,[^\n]*"group":"class3"/);

    // Someone @s the robot in the other group the next morning: from then on it gets the reminder too.
    clock.set(Date.parse('2026-11-24T08:00:00+08:00'));
    await bot!.tick();
    // The robot was added to 三年级三班: the first message there binds it by the group list (the message itself came too early).
    fake.groups.set(CLASS_B.conversationId, CLASS_B.conversationTitle);
    await say(ZHANG, CLASS_B, '打卡');
    await until(() => expect(logText).toMatch(/"chatId":"cidClassB"[^\n]*"msg":"bound a playbook group to its chat"/));
    clock.set(Date.parse('2026-11-24T19:01:00+08:00'));
    await bot!.tick();
    expect(fake.requestsTo(GROUP_SEND_PATH).map((r) => (r.body as { openConversationId: string }).openConversationId))
      .toEqual([CLASS_A.conversationId, CLASS_A.conversationId, CLASS_B.conversationId]);
  });

  it('paces a burst of 60 replies to one group within 20 a minute, all delivered, in order, none twice', async () => {
    await start();
    // 王妈妈 has asked something but not checked in: the burst stays 60 replies (no "whole class" celebration).
    await say(WANG, CLASS_A, '课表在哪里看？');
    await until(() => expect(fake.deliveries).toHaveLength(1));
    fake.deliveries.length = 0;
    fake.requests.length = 0;
    clock.advance(2 * MIN);
    const burstStart = clock.now();
    const parents = Array.from({ length: 60 }, (_, i) => ({ senderId: `$:LWCP_v1:$p${i + 1}`, senderNick: `家长${i + 1}` }));
    for (const p of parents) await say(p, CLASS_A, '打卡');
    await until(() => expect(count(`SELECT count(*) AS n FROM checkins`)).toBe(60));
    for (let step = 0; fake.deliveries.length < 60 && step < 200; step++) {
      clock.advance(5_000);
      await bot!.tick();
    }
    const sent = to(CLASS_A.conversationId);
    expect(sent.map((d) => d.text)).toEqual(parents.map((_, i) => checkinConfirmation(i + 1)));
    expect(fake.requestsTo(WEBHOOK_PATH).map((r) => (r.body as { at: { atDingtalkIds: string[] } }).at.atDingtalkIds))
      .toEqual(parents.map((p) => [p.senderId]));
    for (const d of sent) {
      expect(sent.filter((e) => e.at >= d.at && e.at < d.at + MIN).length).toBeLessThanOrEqual(20);
    }
    // Paced, not merely slow: the last went out in the fourth minute.
    expect(sent.at(-1)!.at - burstStart).toBeLessThan(3 * MIN + 10_000);
    expect(count(`SELECT count(*) AS n FROM outbox WHERE status = 'sent'`)).toBe(61);
  });

  it('sends a reply that waited past its session webhook through groupMessages/send', async () => {
    await start();
    fake.answerNext(WEBHOOK_PATH, { status: 503, body: { code: 'ServiceUnavailable' } });
    await say(WANG, CLASS_A, '打卡');
    await until(() => expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(1));
    expect(fake.deliveries).toHaveLength(0);
    // DingTalk stays unreachable for the webhook's lifetime (90 minutes); the outbox retries after it.
    clock.advance(91 * MIN);
    await bot!.tick();
    expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(1);
    expect(fake.requestsTo(GROUP_SEND_PATH).map((r) => r.body)).toEqual([{
      robotCode: fake.robotCode,
      openConversationId: CLASS_A.conversationId,
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: `@王妈妈 ${checkinConfirmation(1)}` }),
    }]);
    expect(count(`SELECT count(*) AS n FROM outbox WHERE status = 'sent'`)).toBe(1);
  });

  it('handles a callback after the connection dropped and came back', async () => {
    await start();
    await say(WANG, CLASS_A, '打卡');
    await until(() => expect(fake.deliveries).toHaveLength(1));
    const reconnected = fake.nextConnection();
    fake.dropConnection();
    await until(() => expect(adapter.status().state).toBe('reconnecting'));
    await reconnected;
    await until(() => expect(adapter.status().state).toBe('connected'));
    await say(ZHANG, CLASS_A, '打卡');
    await until(() => expect(fake.deliveries).toHaveLength(2));
    expect(fake.deliveries[1]).toMatchObject({ route: 'webhook', conversationId: CLASS_A.conversationId, text: checkinConfirmation(2) });
    expect(fake.connections).toBe(2);
    expect(logText).toContain('"state":"reconnecting"');
  });
});

describe('DingTalk end to end: secrets', () => {
  it('keeps the client secret, tokens, tickets and webhooks out of a debug log, through failures too', async () => {
    await start();
    await say(WANG, CLASS_A, '打卡');
    await until(() => expect(fake.deliveries).toHaveLength(1));
    clock.set(Date.parse('2026-11-23T19:01:00+08:00'));
    fake.revokeTokens();
    await bot!.tick();
    // The reminder got a token, the token was revoked: a logged failure, then a new token on the retry.
    fake.revokeTokens();
    fake.answerNext(WEBHOOK_PATH, { status: 200, body: { errcode: 300001, errmsg: 'session不存在或已过期' } });
    await say(ZHANG, CLASS_A, '打卡');
    await until(() => expect(logText).toMatch(/"level":40,[^\n]*HTTP 401/));
    clock.advance(MIN);
    await bot!.tick();
    expect(to(CLASS_A.conversationId).map((d) => d.route)).toEqual(['webhook', 'group-api', 'group-api']);
    expect(fake.issuedTokens.length).toBeGreaterThanOrEqual(2);
    // A group no playbook knows: seen, logged with its id, ignored.
    await say(ZHANG, { conversationId: 'cidOther', conversationTitle: '四年级一班家长群' }, '打卡');
    await settle();
    expect(to('cidOther')).toHaveLength(0);
    expect(logText).toMatch(/"openConversationId":"cidOther","title":"四年级一班家长群"/);
    expect(logText).toMatch(/"level":20,.*"road":"session webhook".*"msg":"dingtalk: sent"/);
    // The afterEach hook asserts that none of them is in the log.
  });
});

const OUTSIDER = { senderId: '$:LWCP_v1:$outsider', senderNick: '陌生人' };
const SAFETY = '孩子在学校被同学欺负了，身上都是伤';

describe('DingTalk end to end: groups bound by title', () => {
  it("an outsider's chat titled like the staff group never gets staff alerts; a staff member's message binds the real one", async () => {
    await start();
    const lookalike = { conversationId: 'cidOutsider', conversationTitle: STAFF_GROUP.conversationTitle };
    await say(OUTSIDER, lookalike, '你好');
    await say(WANG, CLASS_A, SAFETY);
    // No staff group is bound yet: the alert goes to each staff member by the one-to-one API.
    await until(() => expect(fake.requestsTo(DM_SEND_PATH)).toHaveLength(2));
    for (const dm of fake.requestsTo(DM_SEND_PATH)) expect(JSON.parse((dm.body as { msgParam: string }).msgParam).content).toContain('🚨 跟进 #1｜安全·紧急');
    expect(to(lookalike.conversationId)).toEqual([]);

    await say(LI_TEACHER, STAFF_GROUP, '跟进列表');
    await until(() => expect(to(STAFF_GROUP.conversationId)).toHaveLength(1));
    await say(OUTSIDER, lookalike, '你好');
    await say(ZHANG, CLASS_A, SAFETY);
    await until(() => expect(to(STAFF_GROUP.conversationId).map((d) => d.text).filter((t) => t.includes('🚨 跟进 #2｜安全·紧急'))).toHaveLength(1));
    await settle();
    expect(to(lookalike.conversationId)).toEqual([]);
  });

  it("two groups in the robot's list with a class group title bind neither; the staff group hears about it once", async () => {
    const copy = { conversationId: 'cidClassACopy', conversationTitle: CLASS_A.conversationTitle };
    await start({ listed: [CLASS_A, copy, CLASS_B] });
    expect(logText).toMatch(/"level":40,[^\n]*"candidates":\[\{"id":"cidClassA"[^\n]*"id":"cidClassACopy"/);
    await say(LI_TEACHER, STAFF_GROUP, '跟进列表');
    await until(() => expect(to(STAFF_GROUP.conversationId).map((d) => d.text)).toContain('目前没有待处理的跟进 👍'));
    await say(OUTSIDER, copy, '课表在哪里看？');
    await say(WANG, CLASS_A, '课表在哪里看？');
    await say(OUTSIDER, copy, '课表在哪里看？');
    await settle(CLASS_B);
    // Neither chat is answered, however often they speak (each message looks the groups up again).
    expect(to(copy.conversationId)).toEqual([]);
    expect(to(CLASS_A.conversationId)).toEqual([]);
    const warnings = to(STAFF_GROUP.conversationId).filter((d) => d.text.includes('没有找到群“三年级二班家长群”'));
    expect(warnings).toHaveLength(1);
    // The 19:00 reminder reaches no chat claiming to be 三年级二班, only 三年级三班.
    clock.set(Date.parse('2026-11-23T19:01:00+08:00'));
    await bot!.tick();
    const reminders = fake.requestsTo(GROUP_SEND_PATH).filter((r) => (r.body as { msgParam: string }).msgParam.includes('晨读打卡别忘了'));
    expect(reminders.map((r) => (r.body as { openConversationId: string }).openConversationId)).toEqual([CLASS_B.conversationId]);
  });
});

describe('DingTalk end to end: what is stored', () => {
  it('caps a huge sender name and group title in the stored rows and the reply, and refuses a huge sender id', async () => {
    const dir = playbookDir({ 'g3.yaml': playbook({ staffGroup: true }).replace('name: 三年级三班家长群 }', 'name: 三年级三班家长群, match: "^三年级三班" }') });
    await start({ dir });
    const huge = 'x'.repeat(10_000_000);
    await say({ senderId: '$:LWCP_v1:$huge', senderNick: `赵妈妈${huge}` }, { conversationId: CLASS_B.conversationId, conversationTitle: `三年级三班${huge}` }, '打卡');
    await until(() => expect(to(CLASS_B.conversationId)).toHaveLength(1));
    const lengths = (sql: string) => (bot!.store.sqlite.prepare(sql).get() as { n: number }).n;
    expect(lengths(`SELECT length(name) AS n FROM members WHERE user_id = '$:LWCP_v1:$huge'`)).toBe(MAX_NAME);
    expect(lengths(`SELECT length(name) AS n FROM groups WHERE chat_id = '${CLASS_B.conversationId}'`)).toBe(MAX_NAME);
    expect(lengths(`SELECT max(length(payload)) AS n FROM outbox`)).toBeLessThan(2_000);

    await say({ senderId: `$:LWCP_v1:$${huge}`, senderNick: '钱爸爸' }, CLASS_B, '打卡', { msgId: 'huge-id' });
    await settle(CLASS_B);
    expect(count(`SELECT count(*) AS n FROM messages WHERE event_id = 'huge-id'`)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM members WHERE length(user_id) > 1000`)).toBe(0);
    expect(logText).toMatch(/"level":40,[^\n]*"problem":"bad sender"/);
  });

  it('never writes a session webhook to the database; a reply decided before a restart goes out through the group API', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-dt-hooks-')), 'bot.db');
    const dir = playbookDir({ 'g3.yaml': playbook({ staffGroup: true }) });
    await start({ dbPath, dir });
    await say(WANG, CLASS_A, '打卡');
    await until(() => expect(to(CLASS_A.conversationId)).toHaveLength(1));
    // The next reply's webhook call fails; the bot stops before the retry.
    fake.answerNext(WEBHOOK_PATH, { status: 503, body: { code: 'ServiceUnavailable' } });
    await say(ZHANG, CLASS_A, '打卡');
    await until(() => expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(2));
    await bot!.stop();
    bot = undefined;
    const bytes = ['', '-wal'].map((ext) => { try { return readFileSync(dbPath + ext).toString('latin1'); } catch { return ''; } }).join('');
    expect(bytes).toContain('in:dingtalk:');
    expect(bytes).not.toContain('sendBySession');
    for (const hook of fake.issuedWebhooks) expect(bytes).not.toContain(new URL(hook).search.slice(1));

    await start({ dbPath, dir });
    clock.advance(MIN);
    await bot!.tick();
    expect(to(CLASS_A.conversationId).map((d) => [d.route, d.text])).toEqual([
      ['webhook', checkinConfirmation(1)],
      ['group-api', `@张爸爸 ${checkinConfirmation(2)}`],
    ]);
  });
});
