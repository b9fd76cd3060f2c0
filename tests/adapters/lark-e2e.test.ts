/**
 * Issue 8, end to end: the real bot (engine, store, features) with the real Lark SDK against the
 * fake Lark on 127.0.0.1. Assertions are on the exact HTTP requests the SDK made and on the
 * database the bot wrote. Every test logs at debug level into a buffer that must never contain
 * the app secret, a tenant token or the long-connection credentials.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LarkAdapterOptions } from '../../adapters/lark/index.js';
import { larkUuid } from '../../adapters/lark/outbound.js';
import { FakeClock } from '../../src/clock.js';
import { createLogger, type Logger } from '../../src/log.js';
import { cardActionEvent, messageEvent } from '../fakes/lark/events.js';
import { startLarkBot, type LarkBot } from '../fakes/lark/bot.js';
import { FakeLark, WS_URL_ACCESS_KEY, WS_URL_TICKET, type Ack, type RecordedRequest } from '../fakes/lark/server.js';

const APP_SECRET = 'e2e-app-secret-5Kq9Zt2Wv7';
const TOKEN_PREFIX = 'e2e-tenant-token-8Jd3';
const CLASS = 'oc_g3_class2';
const CLASS_B = 'oc_g3_class2_b';
const STAFF = 'oc_g3_staff';
const WANG_MUM = { id: 'ou_parent_wang', name: '王小明妈妈' };
const ZHAO_DAD = { id: 'ou_parent_zhao', name: '赵一鸣爸爸' };
const LI = { id: 'ou_teacher_li', name: '李老师' };

const PLAYBOOK = `
id: lark-g3
name: 三年级二班
timezone: Asia/Shanghai
groups:
  - key: class
    platform: lark
    id: ${CLASS}
    name: 三年级二班家长群
  - key: class_b
    platform: lark
    id: ${CLASS_B}
    name: 三年级二班家长二群
staff_group:
  platform: lark
  id: ${STAFF}
  name: 三年级二班老师群
staff:
  - { name: 李老师, role: assistant, ids: { lark: ${LI.id} } }
  - { name: 王老师, role: head_teacher, ids: { lark: ou_teacher_wang } }
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [打卡] }
    require: { number: 阅读时长, units: [分钟, 分], min: 5, max: 180, example: 打卡 20分钟 }
    class_streak: false
reminders:
  - id: homework
    cron: "0 19 * * 1-5"
    message: |-
      📚 {date} {weekday} 今日作业
      {homework}
homework:
  周一: 语文：抄写第 12 课生字两遍；数学：口算练习第 18 页
faq:
  - q: 课表在哪里看
    keywords: [课表, 课程表]
    answer: 本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～
followups:
  escalation: [李老师, 王老师]
`;

/** Monday 2026-11-23, Asia/Shanghai. */
const at = (hhmmss: string) => Date.parse(`2026-11-23T${hhmmss}+08:00`);

let fake: FakeLark;
let clock: FakeClock;
let playbookDir: string;
let dbPath: string;
let logText: string;
let log: Logger;
const running: LarkBot[] = [];

beforeEach(async () => {
  fake = new FakeLark({ appSecret: APP_SECRET, tokenPrefix: TOKEN_PREFIX });
  await fake.start();
  fake.users.set(WANG_MUM.id, WANG_MUM.name);
  fake.users.set(ZHAO_DAD.id, ZHAO_DAD.name);
  fake.users.set(LI.id, LI.name);
  fake.chats.set(CLASS, '三年级二班家长群');
  fake.chats.set(STAFF, '三年级二班老师群');
  const dir = mkdtempSync(join(tmpdir(), 'classbot-lark-e2e-'));
  playbookDir = join(dir, 'playbooks');
  mkdirSync(playbookDir);
  writeFileSync(join(playbookDir, 'g3.yaml'), PLAYBOOK);
  dbPath = join(dir, 'classbot.db');
  clock = new FakeClock(at('18:00:00'));
  logText = '';
  log = createLogger({ level: 'debug', destination: { write: (line: string) => void (logText += line) } });
});

afterEach(async () => {
  for (const r of running.splice(0)) await r.bot.stop();
  await fake.stop();
  // The secrets were really used (the fake saw them) and never reached a log line.
  expect(fake.tokenRequests()[0]?.body).toMatchObject({ app_secret: APP_SECRET });
  expect(fake.issuedTokenLog.length).toBeGreaterThan(0);
  expect(logText).toContain('lark: connected');
  expect(logText).toContain('"sdk":"lark"');
  for (const secret of [APP_SECRET, ...fake.issuedTokenLog, WS_URL_ACCESS_KEY, WS_URL_TICKET]) expect(logText).not.toContain(secret);
});

async function start(adapter?: Partial<LarkAdapterOptions>): Promise<LarkBot> {
  const r = await startLarkBot({ fake, playbookDir, dbPath, clock, log, adapter });
  running.push(r);
  return r;
}

async function restart(r: LarkBot): Promise<LarkBot> {
  running.splice(running.indexOf(r), 1);
  await r.bot.stop();
  return start();
}

let seq = 0;

/** A group text from `sender`, optionally @-ing the bot, as Lark pushes it. */
function groupText(sender: { id: string }, text: string, opts: { chat?: string; atBot?: boolean; messageId?: string } = {}) {
  const messageId = opts.messageId ?? `om_in_${++seq}`;
  const event = messageEvent({
    messageId,
    chatId: opts.chat ?? CLASS,
    sender: sender.id,
    content: { text: opts.atBot ? `@_user_1 ${text}` : text },
    mentions: opts.atBot ? [{ key: '@_user_1', openId: fake.botOpenId, name: 'classbot' }] : [],
    createTime: clock.now(),
  });
  return { messageId, event };
}

/** Pushes an event and waits until the engine has handled the message it becomes (sends included). */
async function deliver(r: LarkBot, event: object, eventId: string): Promise<Ack> {
  const handled = r.adapter.nextHandled((m) => m.eventId === eventId);
  const ack = await fake.pushEvent(event);
  await handled;
  return ack;
}

const to = (chat: string) => (req: RecordedRequest) => (req.body as { receive_id?: string }).receive_id === chat;
const textOf = (req: RecordedRequest | undefined) => JSON.parse((req?.body as { content: string }).content).text as string;

function count(sql: string, ...args: unknown[]): number {
  const r = running[0];
  if (!r) throw new Error('no bot running');
  return (r.bot.store.sqlite.prepare(sql).get(...args) as { n: number }).n;
}

describe('Lark end to end: parents in the class chat', () => {
  it("a parent's check-in: the confirmation goes to the class chat with an <at> of the parent and the outbox key as uuid", async () => {
    const r = await start();
    const { messageId, event } = groupText(WANG_MUM, '打卡 20分钟');
    const ack = await deliver(r, event, messageId);
    expect(ack.code).toBe(200);

    const sent = fake.messageRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      query: { receive_id_type: 'chat_id' },
      headers: { authorization: `Bearer ${TOKEN_PREFIX}1` },
      body: { receive_id: CLASS, msg_type: 'text', uuid: `in:lark:${messageId}:0` },
    });
    expect(textOf(sent[0])).toMatch(/^<at user_id="ou_parent_wang">王小明妈妈<\/at> ✅ 晨读打卡成功.*20分钟.*今天全班已有 1 人打卡，你已连续打卡 1 天。$/);
    expect(count(`SELECT COUNT(*) AS n FROM checkins c JOIN members m ON m.id = c.member_id WHERE m.user_id = ? AND c.day = '2026-11-23'`, WANG_MUM.id)).toBe(1);
    const outbox = r.bot.engine.outbox.list();
    expect(outbox).toMatchObject([{ key: `in:lark:${messageId}:0`, status: 'sent', attempts: 1, platformIds: JSON.stringify(['om_sent_1']) }]);
  });

  it('a question that @s the bot: an FAQ answer in the chat; one no FAQ entry answers becomes a follow-up for the staff', async () => {
    const r = await start();
    const faq = groupText(ZHAO_DAD, '请问课表在哪里看？', { atBot: true });
    await deliver(r, faq.event, faq.messageId);
    const [answer] = fake.messageRequests();
    expect(answer).toMatchObject({ query: { receive_id_type: 'chat_id' }, body: { receive_id: CLASS, uuid: `in:lark:${faq.messageId}:0` } });
    expect(textOf(answer)).toBe('<at user_id="ou_parent_zhao">赵一鸣爸爸</at> 本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～');

    const open = groupText(ZHAO_DAD, '明天的直播课几点开始？', { atBot: true });
    await deliver(r, open.event, open.messageId);
    const later = fake.messageRequests().slice(1);
    const ack = later.find(to(CLASS));
    expect(textOf(ack)).toBe('<at user_id="ou_parent_zhao">赵一鸣爸爸</at> 这个问题我先记下了，李老师会尽快回复您～');
    const alert = later.find(to(STAFF));
    expect(alert?.body).toMatchObject({ msg_type: 'interactive', uuid: 'followup:1:alert' });
    expect(JSON.parse((alert?.body as { content: string }).content).body.elements[0].content).toContain('明天的直播课几点开始？');
    expect(later).toHaveLength(2);
    expect(count(`SELECT COUNT(*) AS n FROM followups WHERE category = 'question' AND status = 'open'`)).toBe(1);
  });

  it('a worried message: a warm reply in the class chat, a card alert in the staff chat; pressing 认领 claims the follow-up', async () => {
    const r = await start();
    const worried = groupText(WANG_MUM, '孩子这段时间情绪很低落，晚上一直哭，我很担心他');
    await deliver(r, worried.event, worried.messageId);

    const reply = fake.messageRequests().find(to(CLASS));
    expect(reply?.body).toMatchObject({ msg_type: 'text', uuid: `in:lark:${worried.messageId}:0` });
    expect(textOf(reply)).toBe('<at user_id="ou_parent_wang">王小明妈妈</at> 辛苦了，能感受到您的担心🙏 李老师稍后私信联系您，我们一起关心孩子。');

    const alertReq = fake.messageRequests().find(to(STAFF));
    expect(alertReq).toMatchObject({ query: { receive_id_type: 'chat_id' }, body: { msg_type: 'interactive', uuid: 'followup:1:alert' } });
    const card = JSON.parse((alertReq?.body as { content: string }).content);
    expect(card.body.elements[0].content).toMatch(/^<at id=ou_teacher_li><\/at> .*跟进 #1.*孩子这段时间情绪很低落/s);
    const buttons = card.body.elements[1].columns.map((c: { elements: { text: { content: string }; behaviors: { value: object }[] }[] }) => c.elements[0]!);
    expect(buttons.map((b: { text: { content: string } }) => b.text.content)).toEqual(['认领', '解决', '误报']);
    // The message id Lark gave the card (urgent-first order aside, the alert was queued before the reply).
    const [alertMessageId] = JSON.parse(r.bot.engine.outbox.list().find((o) => o.key === 'followup:1:alert')?.platformIds ?? '[]') as string[];
    expect(alertMessageId).toMatch(/^om_sent_/);
    expect(count(`SELECT COUNT(*) AS n FROM followups WHERE id = 1 AND category = 'wellbeing' AND status = 'open'`)).toBe(1);

    // 李老师 presses 认领 on that card: Lark calls back over the long connection.
    const press = cardActionEvent({ operator: LI.id, value: buttons[0].behaviors[0].value, messageId: alertMessageId!, chatId: STAFF, eventId: 'ev_press_1' });
    const pressed = r.adapter.nextHandled((m) => m.eventId === 'card:ev_press_1');
    const ack = await fake.pushEvent(press);
    await pressed;
    expect(ack.code).toBe(200);
    expect(count(`SELECT COUNT(*) AS n FROM followups WHERE id = 1 AND status = 'claimed' AND assignee = '李老师'`)).toBe(1);
    const claimed = fake.messageRequests().slice(2);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ path: '/open-apis/im/v1/messages', body: { receive_id: STAFF, uuid: 'in:lark:card:ev_press_1:0' } });
    expect(textOf(claimed[0])).toMatch(/^✅ 李老师 认领了跟进 #1（王小明妈妈）/);
    // The card itself now says who claimed it, and offers only what still applies.
    expect(fake.patches.map((p) => p.messageId)).toEqual([alertMessageId]);
    const updated = JSON.parse(fake.patches[0]!.content);
    expect(updated.body.elements[0].content).toMatch(/孩子这段时间情绪很低落.*👤 李老师 已认领/s);
    const left = updated.body.elements[1].columns.map((c: { elements: { text: { content: string } }[] }) => c.elements[0]!.text.content);
    expect(left).toEqual(['解决', '误报']);
  });
});

describe('Lark end to end: direct chats', () => {
  it("a parent's question in a direct chat with the bot: the FAQ answer goes back by open_id, without an @", async () => {
    const r = await start();
    const event = messageEvent({ messageId: 'om_dm_1', chatId: 'oc_p2p_zhao', chatType: 'p2p', sender: ZHAO_DAD.id, content: { text: '课程表在哪里' }, createTime: clock.now() });
    await deliver(r, event, 'om_dm_1');
    expect(fake.messageRequests()).toHaveLength(1);
    expect(fake.messageRequests()[0]).toMatchObject({
      path: '/open-apis/im/v1/messages',
      query: { receive_id_type: 'open_id' },
      body: {
        receive_id: ZHAO_DAD.id,
        msg_type: 'text',
        content: JSON.stringify({ text: '本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～' }),
        uuid: 'in:lark:om_dm_1:0',
      },
    });
  });
});

describe('Lark end to end: staff alerted directly', () => {
  it('with alerts to the assignee, the card comes as a DM by open_id; pressing 认领 there claims and answers in the DM', async () => {
    writeFileSync(join(playbookDir, 'g3.yaml'), PLAYBOOK.replace('followups:\n', 'followups:\n  alert: assignee\n'));
    const r = await start();
    const worried = groupText(WANG_MUM, '孩子这段时间情绪很低落，晚上一直哭，我很担心他');
    await deliver(r, worried.event, worried.messageId);
    const dm = fake.messageRequests().find((q) => q.query.receive_id_type === 'open_id');
    expect(dm?.body).toMatchObject({ receive_id: LI.id, msg_type: 'interactive', uuid: larkUuid('followup:1:alert:dm:李老师') });
    expect((dm?.body as { uuid: string }).uuid).toMatch(/^h_/);
    expect(fake.messageRequests().filter(to(STAFF))).toHaveLength(0);
    const card = JSON.parse((dm?.body as { content: string }).content);
    const value = card.body.elements[1].columns[0].elements[0].behaviors[0].value;
    expect(value).toEqual({ command: '/认领 1', chat: 'direct' });

    const pressed = r.adapter.nextHandled((m) => m.eventId === 'card:ev_dm_press');
    await fake.pushEvent(cardActionEvent({ operator: LI.id, value, messageId: 'om_sent_1', chatId: 'oc_p2p_li', eventId: 'ev_dm_press' }));
    await pressed;
    expect(count(`SELECT COUNT(*) AS n FROM followups WHERE id = 1 AND status = 'claimed' AND assignee = '李老师'`)).toBe(1);
    const answer = fake.messageRequests().at(-1);
    expect(answer).toMatchObject({ query: { receive_id_type: 'open_id' }, body: { receive_id: LI.id, uuid: 'in:lark:card:ev_dm_press:0' } });
    expect(textOf(answer)).toMatch(/^✅ 李老师 认领了跟进 #1/);
  });
});

describe('Lark end to end: exactly once', () => {
  it('the same event pushed twice, and again after a restart (new process, new long connection): one check-in, one reply', async () => {
    let r = await start();
    const { messageId, event } = groupText(WANG_MUM, '打卡 15分钟');
    await deliver(r, event, messageId);
    await deliver(r, event, messageId);
    expect(r.adapter.handled.filter((m) => m.eventId === messageId)).toHaveLength(2);

    clock.advance(5 * 60_000);
    r = await restart(r);
    expect(fake.connectionsReady).toBe(2);
    await deliver(r, event, messageId);

    expect(fake.acks.map((a) => a.code)).toEqual([200, 200, 200]);
    expect(fake.messageRequests()).toHaveLength(1);
    expect(count(`SELECT COUNT(*) AS n FROM checkins`)).toBe(1);
    expect(count(`SELECT COUNT(*) AS n FROM messages WHERE event_id = ?`, messageId)).toBe(1);
    expect(count(`SELECT COUNT(*) AS n FROM outbox`)).toBe(1);
  });

  it('the 19:00 reminder reaches both class chats once each, also across a restart inside the minute', async () => {
    clock.set(at('18:59:00'));
    let r = await start();
    await r.bot.tick();
    expect(fake.messageRequests()).toHaveLength(0);

    clock.set(at('19:00:00'));
    await r.bot.tick();
    const sent = fake.messageRequests();
    expect(sent.map((q) => (q.body as { receive_id: string }).receive_id).sort()).toEqual([CLASS, CLASS_B].sort());
    for (const q of sent) {
      expect(q.query).toEqual({ receive_id_type: 'chat_id' });
      expect(textOf(q)).toBe('📚 11月23日 周一 今日作业\n语文：抄写第 12 课生字两遍；数学：口算练习第 18 页');
    }
    // The uuid Lark deduplicates by is the outbox key of each chat's post.
    const keys = r.bot.engine.outbox.list().map((o) => larkUuid(o.key)).sort();
    expect(sent.map((q) => (q.body as { uuid: string }).uuid).sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(2);

    clock.set(at('19:00:40'));
    r = await restart(r); // startBot ticks once at start (catching up on missed fires)
    await r.bot.tick();
    clock.set(at('19:01:00'));
    await r.bot.tick();
    expect(fake.messageRequests()).toHaveLength(2);
    expect(count(`SELECT COUNT(*) AS n FROM outbox WHERE cause = 'reminder'`)).toBe(2);
  });

  it('a rate-limit answer (HTTP 429, code 99991400) is retried by the outbox when due, with the same uuid', async () => {
    const r = await start();
    fake.answerNext(/^\/open-apis\/im\/v1\/messages$/, {
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': '3' },
    });
    const { messageId, event } = groupText(ZHAO_DAD, '打卡 30分钟');
    await deliver(r, event, messageId);
    expect(fake.messageRequests()).toHaveLength(1);
    const [row] = r.bot.engine.outbox.list();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, notBefore: at('18:00:03') });
    expect(row?.lastError).toContain('99991400');

    clock.set(at('18:00:02'));
    await r.bot.tick();
    expect(fake.messageRequests()).toHaveLength(1);

    clock.set(at('18:00:03'));
    await r.bot.tick();
    const sent = fake.messageRequests();
    expect(sent).toHaveLength(2);
    expect(sent.map((q) => (q.body as { uuid: string }).uuid)).toEqual([`in:lark:${messageId}:0`, `in:lark:${messageId}:0`]);
    expect(sent[1]?.body).toEqual(sent[0]?.body);
    expect(r.bot.engine.outbox.list()).toMatchObject([{ status: 'sent', attempts: 2, lastError: null }]);
    expect(logText).toContain('send failed, will retry');
  });

  it('a reminder rate-limited at 19:00 is sent by the bot restarted inside the minute, once, with the same uuid', async () => {
    clock.set(at('19:00:00'));
    fake.answerNext(/^\/open-apis\/im\/v1\/messages$/, { status: 200, body: { code: 230020, msg: 'This operation triggers the frequency limit.' } });
    let r = await start(); // it fires the reminder at once; the first chat's post is refused
    expect(fake.messageRequests()).toHaveLength(2);
    expect(fake.posted).toHaveLength(1);
    const refused = fake.messageRequests()[0]!.body as { receive_id: string; uuid: string };

    clock.set(at('19:00:30'));
    r = await restart(r);
    const sent = fake.messageRequests();
    expect(sent).toHaveLength(3);
    expect(sent[2]?.body).toMatchObject({ receive_id: refused.receive_id, uuid: refused.uuid });
    expect(fake.posted.map((p) => p.body.receive_id).sort()).toEqual([CLASS, CLASS_B].sort());

    clock.set(at('19:01:00'));
    await r.bot.tick();
    expect(fake.messageRequests()).toHaveLength(3);
    expect(r.bot.engine.outbox.list().map((o) => o.status)).toEqual(['sent', 'sent']);
  });

  it('an answer lost after Lark posted the message: the retry carries the same uuid and the chat shows it once', async () => {
    const r = await start();
    fake.answerNext(/^\/open-apis\/im\/v1\/messages$/, { status: 504, body: { code: 504, msg: 'gateway timeout' }, processed: true });
    const { messageId, event } = groupText(WANG_MUM, '打卡 20分钟');
    await deliver(r, event, messageId);
    expect(fake.posted).toHaveLength(1);
    const [row] = r.bot.engine.outbox.list();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });

    clock.set(row!.notBefore);
    await r.bot.tick();
    expect(fake.messageRequests()).toHaveLength(2);
    expect(fake.posted).toHaveLength(1);
    expect(r.bot.engine.outbox.list()).toMatchObject([{ status: 'sent', attempts: 2, platformIds: JSON.stringify([fake.posted[0]!.messageId]) }]);
  });
});

describe('Lark end to end: the long connection', () => {
  it('events pushed while the connection is down arrive after the reconnect; none lost, none doubled, each on the day it was sent', async () => {
    clock.set(at('23:59:40'));
    const r = await start();
    fake.dropConnections();
    const a = groupText(WANG_MUM, '打卡 20分钟'); // written just before midnight…
    clock.set(Date.parse('2026-11-24T00:00:20+08:00'));
    const b = groupText(ZHAO_DAD, '打卡 25分钟');
    const handled = r.adapter.nextHandled((m) => m.eventId === a.messageId || m.eventId === b.messageId, 2);
    const acks = Promise.all([fake.pushEvent(a.event), fake.pushEvent(b.event)]);
    expect(fake.waitingForConnection()).toBe(2);
    await fake.waitForConnections(2);
    expect((await acks).map((x) => x.code)).toEqual([200, 200]);
    await handled; // …and handled after it
    expect(r.adapter.handled.map((m) => m.eventId)).toEqual([a.messageId, b.messageId]);
    expect(fake.messageRequests().map((q) => textOf(q))).toEqual([
      expect.stringMatching(/^<at user_id="ou_parent_wang">王小明妈妈<\/at> ✅ 晨读打卡成功/),
      expect.stringMatching(/^<at user_id="ou_parent_zhao">赵一鸣爸爸<\/at> ✅ 晨读打卡成功/),
    ]);
    const days = r.bot.store.sqlite.prepare(`SELECT m.user_id AS who, c.day FROM checkins c JOIN members m ON m.id = c.member_id ORDER BY c.id`).all();
    expect(days).toEqual([
      { who: WANG_MUM.id, day: '2026-11-23' },
      { who: ZHAO_DAD.id, day: '2026-11-24' },
    ]);
    expect(r.adapter.status().state).toBe('connected');
  });

  it('an event whose ack is lost with the connection is pushed again: counted once', async () => {
    const r = await start();
    const a = groupText(WANG_MUM, '打卡 20分钟');
    const twice = r.adapter.nextHandled((m) => m.eventId === a.messageId, 2);
    fake.loseNextAck();
    const ack = await fake.pushEvent(a.event);
    await twice;
    expect(ack.code).toBe(200);
    expect(fake.redelivered).toHaveLength(1);
    expect(fake.connectionsReady).toBe(2);
    await r.bot.tick(); // the reply waited for the reconnect (the outbox holds sends while an adapter is not connected)
    expect(fake.messageRequests()).toHaveLength(1);
    expect(count(`SELECT COUNT(*) AS n FROM checkins`)).toBe(1);
  });
});

describe('Lark end to end: what the log says when things go wrong', () => {
  it('a refused token, a revoked token and a refused reconnect are logged, without the secrets', async () => {
    fake.answerNext(/tenant_access_token/, { status: 500, body: { code: 10003, msg: 'internal error' } });
    const r = await start({ startRetryMs: { first: 10, max: 20 } });
    expect(fake.tokenRequests()).toHaveLength(2);

    fake.revokeTokens();
    const { messageId, event } = groupText(WANG_MUM, '打卡 20分钟');
    await deliver(r, event, messageId);
    const [row] = r.bot.engine.outbox.list();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    clock.set(row!.notBefore);
    await r.bot.tick();
    expect(r.bot.engine.outbox.list()).toMatchObject([{ status: 'sent', attempts: 2 }]);
    expect(fake.messageRequests().map((q) => q.headers.authorization)).toEqual([`Bearer ${TOKEN_PREFIX}1`, `Bearer ${TOKEN_PREFIX}2`]);

    fake.answerNext(/^\/callback\/ws\/endpoint$/, { status: 503, body: { code: 1000040350, msg: 'system busy' } });
    fake.dropConnections();
    await fake.waitForConnections(2);

    for (const expected of ['code 10003', 'lark: send failed', '99991663', 'lark: reconnecting', 'status code 503']) expect(logText).toContain(expected);
  });
});
