import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DingtalkAdapter } from '../../adapters/dingtalk/index.js';
import { FakeClock } from '../../src/clock.js';
import { createLogger, silentLogger, type Logger } from '../../src/log.js';
import { SendError, type InboundMessage, type OutboundMessage } from '../../src/model.js';
import {
  DM_SEND_PATH,
  FakeDingtalk,
  GATEWAY_PATH,
  GROUP_SEND_PATH,
  ROBOT_TOPIC,
  TOKEN_PATH,
  WEBHOOK_PATH,
  type ClientFrame,
} from '../fakes/dingtalk/fake-dingtalk.js';

const T0 = Date.parse('2025-03-03T10:00:00+08:00');
const MIN = 60_000;

let clock: FakeClock;
let fake: FakeDingtalk;
let adapter: DingtalkAdapter;
let inbound: InboundMessage[];

function makeAdapter(log: Logger = silentLogger, overrides: { clientSecret?: string } = {}): DingtalkAdapter {
  return new DingtalkAdapter({
    clientId: fake.clientId,
    clientSecret: overrides.clientSecret ?? fake.clientSecret,
    robotCode: fake.robotCode,
    apiBaseUrl: fake.baseUrl,
    gatewayUrl: fake.gatewayUrl,
    log,
    clock,
    keepAlive: false,
  });
}

async function startAdapter(handler: (m: InboundMessage) => Promise<void> | void = (m) => void inbound.push(m)) {
  const connected = fake.nextConnection();
  await adapter.start(handler);
  await connected;
}

/** Pushes a callback and waits until the adapter has handed it to the handler. */
async function deliver(data: Record<string, unknown>): Promise<InboundMessage> {
  const before = inbound.length;
  await fake.pushRobotMessage(data);
  await vi.waitFor(() => expect(inbound.length).toBe(before + 1));
  return inbound[before]!;
}

function groupReply(to: InboundMessage, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    platform: 'dingtalk',
    target: { kind: 'group', groupId: to.groupId! },
    text,
    idempotencyKey: `reply-${to.eventId}`,
    replyTo: to.eventId,
    ...(to.replyContext ? { replyContext: to.replyContext } : {}),
    ...extra,
  };
}

function proactive(groupId: string, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return { platform: 'dingtalk', target: { kind: 'group', groupId }, text, idempotencyKey: `p-${groupId}-${text}`, ...extra };
}

async function sendError(p: Promise<unknown>): Promise<SendError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SendError);
  return err as SendError;
}

function ackData(frame: ClientFrame): unknown {
  return JSON.parse(frame.data ?? 'null');
}

beforeEach(async () => {
  // dingtalk-stream prints connection notices and errors on the console; keep the test output readable.
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  clock = new FakeClock(T0);
  fake = await FakeDingtalk.start({ now: () => clock.now() });
  inbound = [];
  adapter = makeAdapter();
});

afterEach(async () => {
  await adapter.stop();
  await fake.close();
  vi.restoreAllMocks();
});

describe('DingTalk adapter: connection', () => {
  it('opens the connection through the configured gateway, subscribed to robot messages', async () => {
    expect(adapter.status().state).toBe('stopped');
    await startAdapter();
    expect(adapter.status()).toEqual({ state: 'connected', since: T0 });
    const [open] = fake.requestsTo(GATEWAY_PATH);
    expect(open?.body).toMatchObject({
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      subscriptions: expect.arrayContaining([{ type: 'CALLBACK', topic: ROBOT_TOPIC }]),
    });
    expect(fake.connections).toBe(1);
  });

  it('echoes system pings', async () => {
    await startAdapter();
    const echo = await fake.ping();
    expect(echo.code).toBe(200);
    expect(JSON.parse(echo.data ?? '{}')).toEqual({ opaque: echo.headers.messageId });
  });

  it('reports a refused gateway as an error state and keeps running', async () => {
    adapter = makeAdapter(silentLogger, { clientSecret: 'wrong' });
    await adapter.start(() => undefined);
    const status = adapter.status();
    expect(status.state).toBe('error');
    expect(status.detail).toContain('HTTP 401');
    expect(fake.connections).toBe(0);
  });

  it('retries a failed handshake once per failure (the SDK alone would start two retry chains)', async () => {
    fake.refuseNextHandshakes(1);
    const connected = fake.nextConnection();
    await adapter.start(() => undefined);
    expect(adapter.status().state).toBe('reconnecting');
    expect(adapter.status().detail).toContain('第 1 次连接失败');
    await connected;
    await vi.waitFor(() => expect(adapter.status().state).toBe('connected'), { timeout: 10_000 });
    await fake.ping();
    expect(fake.requestsTo(GATEWAY_PATH)).toHaveLength(2);
    expect(fake.connections).toBe(1);
  });

  it('goes reconnecting when the connection drops, then connected again, and receives callbacks', async () => {
    await startAdapter();
    const reconnected = fake.nextConnection();
    fake.dropConnection();
    await vi.waitFor(() => expect(adapter.status().state).toBe('reconnecting'));
    await reconnected;
    await vi.waitFor(() => expect(adapter.status().state).toBe('connected'), { timeout: 10_000 });
    expect(fake.requestsTo(GATEWAY_PATH)).toHaveLength(2);
    const m = await deliver(fake.robotMessage({ content: ' 打卡', msgId: 'after-reconnect' }));
    expect(m.eventId).toBe('after-reconnect');
  });
});

describe('DingTalk adapter: inbound', () => {
  beforeEach(() => startAdapter());

  it('translates a group @ message: text, sender, mentions without the robot, addressed, reply context', async () => {
    const data = fake.robotMessage({
      msgId: 'msgA1',
      conversationId: 'cidClass32',
      conversationTitle: '三年二班家长群',
      content: ' 打卡 @李老师',
      senderId: '$:LWCP_v1:$parentW',
      senderNick: '王妈妈',
      atUsers: [{ dingtalkId: '$:LWCP_v1:$teacherL', staffId: 'teacher01' }],
    });
    const m = await deliver(data);
    expect(m).toEqual({
      platform: 'dingtalk',
      eventId: 'msgA1',
      chatType: 'group',
      groupId: 'cidClass32',
      groupName: '三年二班家长群',
      sender: { id: '$:LWCP_v1:$parentW', name: '王妈妈' },
      text: '打卡 @李老师',
      elements: [
        { type: 'text', text: '打卡 @李老师' },
        { type: 'mention', id: 'teacher01', name: 'teacher01' },
      ],
      mentions: [{ id: 'teacher01', name: 'teacher01' }],
      addressed: true,
      timestamp: T0,
      // The session webhook is a bearer URL: the adapter keeps it, the message (and so the outbox) never carries it.
      replyContext: { replyTarget: 'group:cidClass32' },
    });
  });

  it('uses the staff id of a sender inside the organisation and marks un-@ messages unaddressed', async () => {
    const m = await deliver(fake.robotMessage({ content: '收到', senderStaffId: 'teacher01', senderNick: '李老师', isInAtList: false }));
    expect(m.sender).toEqual({ id: 'teacher01', name: '李老师' });
    expect(m.addressed).toBe(false);
    expect(m.mentions).toEqual([]);
  });

  it('translates a one-to-one message as a direct, addressed chat', async () => {
    const m = await deliver(fake.robotMessage({
      conversationType: '1',
      conversationId: 'cidDm1',
      content: '明天几点上课？',
      senderStaffId: 'teacher01',
      senderNick: '李老师',
    }));
    expect(m).toMatchObject({ chatType: 'direct', groupId: null, addressed: true, text: '明天几点上课？' });
    expect(m.groupName).toBeUndefined();
  });

  it('acks every callback at once, even while the handler is still busy', async () => {
    await adapter.stop();
    adapter = makeAdapter();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    await startAdapter(async (m) => {
      started.push(m.eventId);
      await gate;
    });
    const ack1 = await fake.pushRobotMessage(fake.robotMessage({ content: ' 打卡', msgId: 'slow1' }), 'frame1');
    const ack2 = await fake.pushRobotMessage(fake.robotMessage({ content: ' 打卡', msgId: 'slow2' }), 'frame2');
    expect(ack1).toMatchObject({ code: 200, headers: { messageId: 'frame1' } });
    expect(ackData(ack1)).toEqual({ response: { status: 'SUCCESS' } });
    expect(ack2.headers.messageId).toBe('frame2');
    await vi.waitFor(() => expect(started).toEqual(['slow1', 'slow2']));
    release();
  });

  it('passes a redelivered callback on with the same eventId (msgId), for the engine to drop', async () => {
    const data = fake.robotMessage({ content: ' 打卡', msgId: 'dup1' });
    await deliver(data);
    await deliver(data);
    expect(inbound.map((m) => m.eventId)).toEqual(['dup1', 'dup1']);
  });

  it('skips malformed frames and callbacks (still acked) and goes on', async () => {
    fake.pushRaw('not json');
    const ack = await fake.pushRobotMessage({ msgtype: 'text', text: { content: 'no ids' } });
    expect(ack.code).toBe(200);
    await deliver(fake.robotMessage({ content: ' 打卡', msgId: 'good' }));
    expect(inbound.map((m) => m.eventId)).toEqual(['good']);
  });

  it('keeps running when the handler throws', async () => {
    await adapter.stop();
    adapter = makeAdapter();
    let calls = 0;
    await startAdapter(() => {
      calls += 1;
      throw new Error('boom');
    });
    await fake.pushRobotMessage(fake.robotMessage({ content: ' 1' }));
    await fake.pushRobotMessage(fake.robotMessage({ content: ' 2' }));
    await vi.waitFor(() => expect(calls).toBe(2));
    expect(adapter.status().state).toBe('connected');
  });
});

describe('DingTalk adapter: learning groups', () => {
  it("logs a group's openConversationId and title the first time it is seen", async () => {
    const lines: Record<string, unknown>[] = [];
    adapter = makeAdapter(createLogger({ destination: { write: (s: string) => void lines.push(JSON.parse(s)) } }));
    await startAdapter();
    await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidNew', conversationTitle: '四年一班' }));
    await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidNew', conversationTitle: '四年一班' }));
    const seen = lines.filter((l) => l.openConversationId === 'cidNew');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ title: '四年一班' });
    expect(JSON.stringify(lines)).not.toContain(fake.clientSecret);
  });
});

describe('DingTalk adapter: outbound', () => {
  beforeEach(() => startAdapter());

  it('replies through the session webhook with real @ (atUserIds, atDingtalkIds)', async () => {
    const m = await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidClass32' }));
    const result = await adapter.send(groupReply(m, '打卡成功，连续 3 天！', {
      mentions: [{ id: 'teacher01', name: '李老师' }, { id: m.sender.id, name: m.sender.name }],
    }));
    expect(result.platformMessageIds).toEqual([]);
    const [hook] = fake.requestsTo(WEBHOOK_PATH);
    expect(hook?.body).toEqual({
      msgtype: 'text',
      text: { content: '@teacher01 打卡成功，连续 3 天！' },
      at: { atUserIds: ['teacher01'], atDingtalkIds: [m.sender.id], isAtAll: false },
    });
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(0);
    expect(fake.deliveries).toMatchObject([{ route: 'webhook', conversationId: 'cidClass32' }]);
  });

  it('sends markdown and @all through the webhook', async () => {
    const m = await deliver(fake.robotMessage({ content: ' 作业' }));
    await adapter.send(groupReply(m, '## 本周作业\n- 口算 20 题', { format: 'markdown', mentionAll: true }));
    expect(fake.requestsTo(WEBHOOK_PATH)[0]?.body).toEqual({
      msgtype: 'markdown',
      markdown: { title: '本周作业', text: '## 本周作业\n- 口算 20 题' },
      at: { atUserIds: [], isAtAll: true },
    });
  });

  it('falls back to groupMessages/send with a token when the webhook has expired', async () => {
    const m = await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidClass32' }));
    clock.advance(91 * MIN);
    const result = await adapter.send(groupReply(m, '打卡成功', { mentions: [{ id: 'teacher01', name: '李老师' }] }));
    expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(0);
    const [token] = fake.requestsTo(TOKEN_PATH);
    expect(token?.body).toEqual({ appKey: fake.clientId, appSecret: fake.clientSecret });
    const [send] = fake.requestsTo(GROUP_SEND_PATH);
    expect(send?.headers['x-acs-dingtalk-access-token']).toMatch(/^token-/);
    expect(send?.body).toEqual({
      robotCode: fake.robotCode,
      openConversationId: 'cidClass32',
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: '@李老师 打卡成功' }),
    });
    expect(result.platformMessageIds).toEqual(['pqk-1']);
  });

  it("uses the conversation's newer webhook when the one the reply carries has expired", async () => {
    const first = await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidClass32' }));
    clock.advance(60 * MIN);
    const second = fake.robotMessage({ content: ' 请问', conversationId: 'cidClass32' });
    await deliver(second);
    clock.advance(40 * MIN);
    await adapter.send(groupReply(first, '收到'));
    const [hook] = fake.requestsTo(WEBHOOK_PATH);
    expect(`${fake.baseUrl}${WEBHOOK_PATH}?session=${hook?.query.session}`).toBe(second.sessionWebhook);
    expect(fake.requestsTo(GROUP_SEND_PATH)).toHaveLength(0);
  });

  it('falls back to the API when DingTalk refuses the webhook, and stops using that webhook', async () => {
    const m = await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidClass32' }));
    fake.answerNext(WEBHOOK_PATH, { status: 200, body: { errcode: 300001, errmsg: 'session不存在' } });
    await adapter.send(groupReply(m, '一'));
    await adapter.send({ ...groupReply(m, '二'), replyContext: undefined });
    // A retry of the reply finds no webhook to try again.
    await adapter.send(groupReply(m, '三'));
    expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(1);
    expect(fake.deliveries.map((d) => [d.route, d.text])).toEqual([['group-api', '一'], ['group-api', '二'], ['group-api', '三']]);
  });

  it("never uses a group's webhook for a message to someone else", async () => {
    const m = await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidClass32' }));
    await adapter.send({
      platform: 'dingtalk',
      target: { kind: 'direct', memberId: 'teacher01' },
      text: '王妈妈在三年二班家长群里表达了担心',
      idempotencyKey: 'alert',
      ...(m.replyContext ? { replyContext: m.replyContext } : {}),
    });
    expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(0);
    expect(fake.deliveries).toMatchObject([{ route: 'dm-api', userIds: ['teacher01'] }]);
  });

  it('replies to a one-to-one chat through its webhook', async () => {
    const m = await deliver(fake.robotMessage({
      conversationType: '1', conversationId: 'cidDm1', content: '/待办', senderStaffId: 'teacher01',
    }));
    await adapter.send({
      platform: 'dingtalk',
      target: { kind: 'direct', memberId: 'teacher01' },
      text: '没有待办',
      idempotencyKey: 'r',
      replyTo: m.eventId,
      ...(m.replyContext ? { replyContext: m.replyContext } : {}),
    });
    expect(fake.deliveries).toMatchObject([{ route: 'webhook', conversationId: 'cidDm1', text: '没有待办' }]);
  });

  it('sends proactive messages through the API, one token for several groups', async () => {
    await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidA' }));
    await adapter.send(proactive('cidA', '19:00 别忘了今天的口算打卡'));
    await adapter.send(proactive('cidB', '19:00 别忘了今天的口算打卡'));
    expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(0);
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(fake.deliveries.map((d) => [d.route, d.conversationId])).toEqual([['group-api', 'cidA'], ['group-api', 'cidB']]);
  });

  it("sends a proactive message that @s someone through the conversation's valid webhook, else the API", async () => {
    await deliver(fake.robotMessage({ content: ' /跟进', conversationId: 'cidStaff', senderStaffId: 'teacher02' }));
    const alert = proactive('cidStaff', '🚨 跟进 #1', { mentions: [{ id: 'teacher01', name: '李老师' }] });
    await adapter.send(alert);
    expect(fake.requestsTo(WEBHOOK_PATH)[0]?.body).toEqual({
      msgtype: 'text',
      text: { content: '@teacher01 🚨 跟进 #1' },
      at: { atUserIds: ['teacher01'], isAtAll: false },
    });
    await adapter.send(proactive('cidOther', '🚨 跟进 #2', { mentions: [{ id: 'teacher01', name: '李老师' }] }));
    clock.advance(90 * MIN);
    await adapter.send(alert);
    expect(fake.deliveries.map((d) => [d.route, d.conversationId, d.text])).toEqual([
      ['webhook', 'cidStaff', '@teacher01 🚨 跟进 #1'],
      ['group-api', 'cidOther', '@李老师 🚨 跟进 #2'],
      ['group-api', 'cidStaff', '@李老师 🚨 跟进 #1'],
    ]);
  });

  it('sends markdown through the API with a title', async () => {
    await adapter.send(proactive('cidA', '**周报**\n本周打卡 42 次', { format: 'markdown' }));
    expect(fake.requestsTo(GROUP_SEND_PATH)[0]?.body).toMatchObject({
      msgKey: 'sampleMarkdown',
      msgParam: JSON.stringify({ title: '周报', text: '**周报**\n本周打卡 42 次' }),
    });
  });

  it('DMs staff through oToMessages/batchSend, with alert actions as commands to send back', async () => {
    const result = await adapter.send({
      platform: 'dingtalk',
      target: { kind: 'direct', memberId: 'teacher01' },
      text: '⚠️ 王妈妈在三年二班家长群里表达了担心',
      actions: [{ label: '认领', command: '/认领 12' }],
      idempotencyKey: 'alert-12',
    });
    const [dm] = fake.requestsTo(DM_SEND_PATH);
    expect(dm?.headers['x-acs-dingtalk-access-token']).toMatch(/^token-/);
    expect(dm?.body).toEqual({
      robotCode: fake.robotCode,
      userIds: ['teacher01'],
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: '⚠️ 王妈妈在三年二班家长群里表达了担心\n\n· 认领：发送「/认领 12」' }),
    });
    expect(result.platformMessageIds).toEqual(['pqk-1']);
  });

  it('refuses a DM to someone without a staff id, without calling DingTalk', async () => {
    const err = await sendError(adapter.send({
      platform: 'dingtalk',
      target: { kind: 'direct', memberId: '$:LWCP_v1:$parentW' },
      text: '你好',
      idempotencyKey: 'x',
    }));
    expect(err.retryable).toBe(false);
    expect(fake.requests.filter((r) => r.path !== GATEWAY_PATH)).toHaveLength(0);
  });

  it('caches the token and refreshes it shortly before it expires', async () => {
    await adapter.send(proactive('cidA', '一'));
    clock.advance(7200_000 - 6 * MIN);
    await adapter.send(proactive('cidA', '二'));
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(1);
    clock.advance(2 * MIN);
    await adapter.send(proactive('cidA', '三'));
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(2);
    const tokens = fake.requestsTo(GROUP_SEND_PATH).map((r) => r.headers['x-acs-dingtalk-access-token']);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[1]);
  });

  it('drops a revoked token: retryable error, then a new token on the next try', async () => {
    await adapter.send(proactive('cidA', '一'));
    fake.revokeTokens();
    const err = await sendError(adapter.send(proactive('cidA', '二')));
    expect(err.retryable).toBe(true);
    await adapter.send(proactive('cidA', '二'));
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(2);
    expect(fake.deliveries.map((d) => d.text)).toEqual(['一', '二']);
  });

  it.each([
    ['429 with Retry-After', { status: 429, body: { code: 'Throttling' }, headers: { 'retry-after': '3' } }, true, 3000],
    ['QPS limit', { status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: 'qps' } }, true, undefined],
    ['server error', { status: 503, body: { code: 'ServiceUnavailable' } }, true, undefined],
    ['bad request', { status: 400, body: { code: 'InvalidParameter', message: 'openConversationId' } }, false, undefined],
    ['robot not in group', { status: 403, body: { code: 'robot.notInGroup', message: '机器人不在群里' } }, false, undefined],
  ])('maps %s from the send API to a SendError', async (_name, answer, retryable, retryAfterMs) => {
    fake.answerNext(GROUP_SEND_PATH, answer);
    const err = await sendError(adapter.send(proactive('cidA', '提醒')));
    expect(err.retryable).toBe(retryable);
    expect(err.retryAfterMs).toBe(retryAfterMs);
  });

  it('maps "send too fast" (130101) on a webhook to a retryable error after the 10-minute block', async () => {
    const m = await deliver(fake.robotMessage({ content: ' 打卡' }));
    fake.answerNext(WEBHOOK_PATH, { status: 200, body: { errcode: 130101, errmsg: 'send too fast' } });
    const err = await sendError(adapter.send(groupReply(m, '打卡成功')));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 10 * MIN });
    expect(fake.requestsTo(GROUP_SEND_PATH)).toHaveLength(0);
  });

  it('maps flow-controlled and invalid DM recipients', async () => {
    const dm = (memberId: string): OutboundMessage => ({
      platform: 'dingtalk', target: { kind: 'direct', memberId }, text: '提醒', idempotencyKey: memberId,
    });
    fake.answerNext(DM_SEND_PATH, { status: 200, body: { processQueryKey: 'q', invalidStaffIdList: [], flowControlledStaffIdList: ['t1'] } });
    expect((await sendError(adapter.send(dm('t1')))).retryable).toBe(true);
    fake.answerNext(DM_SEND_PATH, { status: 200, body: { processQueryKey: 'q', invalidStaffIdList: ['t2'], flowControlledStaffIdList: [] } });
    expect((await sendError(adapter.send(dm('t2')))).retryable).toBe(false);
  });

  it('maps a network failure to a retryable error', async () => {
    const offline = new DingtalkAdapter({
      clientId: fake.clientId, clientSecret: fake.clientSecret, robotCode: fake.robotCode,
      apiBaseUrl: 'http://127.0.0.1:9', log: silentLogger, clock,
    });
    const err = await sendError(offline.send(proactive('cidA', '提醒')));
    expect(err.retryable).toBe(true);
  });
});
