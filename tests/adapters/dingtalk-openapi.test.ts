/**
 * The DingTalk adapter against the fake's OpenAPI and Stream gateway: rate limits and the
 * monthly quota, interactive cards and their presses, the robot's group list, read receipts,
 * DING, and the callbacks DingTalk sends beyond plain text. Real DWClient, real HTTP client.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DingtalkAdapter, type DingtalkAdapterOptions } from '../../adapters/dingtalk/index.js';
import { FakeClock } from '../../src/clock.js';
import { createLogger, type Logger } from '../../src/log.js';
import { SendError, type InboundMessage, type OutboundMessage, type PlatformEvent } from '../../src/model.js';
import {
  CARD_DELIVER_PATH,
  CARD_TOPIC,
  CARD_UPDATE_PATH,
  DING_PATH,
  FakeDingtalk,
  GATEWAY_PATH,
  GROUP_INFO_PATH,
  GROUP_SEND_PATH,
  GROUPS_QUERY_PATH,
  READ_QUERY_PATH,
  ROBOT_TOPIC,
  TOKEN_PATH,
  WEBHOOK_PATH,
} from '../fakes/dingtalk/fake-dingtalk.js';

const T0 = Date.parse('2026-12-07T10:00:00+08:00');
const SEC = 1000;
const MIN = 60_000;
const TEMPLATE = 'tpl-staff-alert.schema';

let clock: FakeClock;
let fake: FakeDingtalk;
let adapter: DingtalkAdapter;
let inbound: InboundMessage[];
let events: PlatformEvent[];
let logText: string;
let log: Logger;

function makeAdapter(over: Partial<DingtalkAdapterOptions> = {}): DingtalkAdapter {
  return new DingtalkAdapter({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    robotCode: fake.robotCode,
    apiBaseUrl: fake.baseUrl,
    gatewayUrl: fake.gatewayUrl,
    log,
    clock,
    keepAlive: false,
    // A throttled lookup waits on the fake clock.
    wait: async (ms) => clock.advance(ms),
    ...over,
  });
}

async function startAdapter(over: Partial<DingtalkAdapterOptions> = {}): Promise<void> {
  adapter = makeAdapter(over);
  const connected = fake.nextConnection();
  await adapter.start((m) => void inbound.push(m), (e) => void events.push(e));
  await connected;
}

async function deliver(data: Record<string, unknown>): Promise<InboundMessage> {
  const before = inbound.length;
  await fake.pushRobotMessage(data);
  await vi.waitFor(() => expect(inbound.length).toBe(before + 1));
  return inbound[before]!;
}

function toGroup(groupId: string, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return { platform: 'dingtalk', target: { kind: 'group', groupId }, text, idempotencyKey: `k-${groupId}-${text}`, ...extra };
}

async function sendError(p: Promise<unknown>): Promise<SendError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SendError);
  return err as SendError;
}

const ALERT_ACTIONS = [
  { label: '认领', command: '/认领 7' },
  { label: '解决', command: '/解决 7' },
  { label: '误报', command: '/误报 7' },
];

function staffAlert(extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return toGroup('cidStaff', '🚨 跟进 #7｜安全·紧急\n家长：王妈妈', {
    mentions: [{ id: 'teacher01', name: '李老师' }],
    actions: ALERT_ACTIONS,
    idempotencyKey: 'alert-7',
    ...extra,
  });
}

beforeEach(async () => {
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  clock = new FakeClock(T0);
  fake = await FakeDingtalk.start({ now: () => clock.now() });
  inbound = [];
  events = [];
  logText = '';
  log = createLogger({ level: 'debug', destination: { write: (s: string) => void (logText += s) } });
});

afterEach(async () => {
  await adapter?.stop();
  await fake.close();
  vi.restoreAllMocks();
});

describe('DingTalk limits and quota', () => {
  beforeEach(() => startAdapter());

  it('declares 20 a minute per group and 20 OpenAPI calls a second for the app', () => {
    expect(adapter.rateLimits).toEqual({ perTarget: { max: 20, windowMs: MIN }, global: [{ max: 20, windowMs: SEC }] });
  });

  it('maps the app rate refusal (the 21st call in a second) to a retryable error after a second', async () => {
    for (let i = 1; i <= 20; i++) await adapter.send(toGroup(`cid${i}`, '19:00 打卡'));
    const err = await sendError(adapter.send(toGroup('cid21', '19:00 打卡')));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: SEC });
    expect(err.blocked).toBeUndefined();
    expect(fake.rateRefusals).toEqual([{ path: GROUP_SEND_PATH, limit: 'app', at: T0 }]);
    clock.advance(SEC);
    await adapter.send(toGroup('cid21', '19:00 打卡'));
    expect(fake.deliveries).toHaveLength(21);
  });

  it('maps "send too fast" (the 21st message in a minute to one group) to a retry after the 10-minute block', async () => {
    for (let i = 1; i <= 20; i++) {
      await adapter.send(toGroup('cidA', `提醒 ${i}`));
      clock.advance(SEC);
    }
    const err = await sendError(adapter.send(toGroup('cidA', '提醒 21')));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 10 * MIN });
    expect(fake.rateRefusals.map((r) => r.limit)).toEqual(['group']);
  });

  for (const form of ['used-up', 'used-up-legacy'] as const) {
    it(`throws a blocked error, not a permanent failure, when the monthly quota is used up (${form})`, async () => {
      await adapter.send(toGroup('cidA', '早上好'));
      fake.quota = form;
      const err = await sendError(adapter.send(toGroup('cidA', '19:00 打卡')));
      expect(err.blocked).toEqual({ reason: 'dingtalk-quota' });
      // No date: the quota comes back on the 1st or when the organisation upgrades; the outbox probes.
      expect(err.blocked?.untilMs).toBeUndefined();
      expect(err.retryable).toBe(false);
      expect(err.message).toContain(form === 'used-up' ? 'Forbidden.AccessDenied.ApiCountLimitForOrg' : '90020');
      fake.quota = 'ok';
      await adapter.send(toGroup('cidA', '19:00 打卡'));
      expect(fake.deliveries.map((d) => d.text)).toEqual(['早上好', '19:00 打卡']);
    });
  }

  it('is blocked by the quota from the first call on, the access token included', async () => {
    fake.quota = 'used-up';
    const err = await sendError(adapter.send(toGroup('cidA', '19:00 打卡')));
    expect(err.blocked).toEqual({ reason: 'dingtalk-quota' });
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(fake.requestsTo(GROUP_SEND_PATH)).toHaveLength(0);
  });

  it('still sends through a live session webhook while the quota is used up (no OpenAPI call)', async () => {
    const m = await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidA' }));
    fake.quota = 'used-up';
    // A reply takes the webhook as always.
    await adapter.send({ ...toGroup('cidA', '✅ 打卡成功'), replyTo: m.eventId, replyContext: m.replyContext! });
    // A proactive message falls back to the group's webhook once the API says the quota is gone.
    await adapter.send(toGroup('cidA', '19:00 打卡'));
    expect(fake.deliveries.map((d) => [d.route, d.text])).toEqual([['webhook', '✅ 打卡成功'], ['webhook', '19:00 打卡']]);
    // A group without a webhook stays blocked.
    expect((await sendError(adapter.send(toGroup('cidB', '19:00 打卡')))).blocked).toEqual({ reason: 'dingtalk-quota' });
  });
});

describe('DingTalk staff alerts as interactive cards', () => {
  it('delivers an alert with buttons to a group as a card that @s the staff, with a stable outTrackId', async () => {
    await startAdapter({ cardTemplateId: TEMPLATE });
    expect(adapter.capabilities).toMatchObject({ cards: true, updatesMessages: true });
    const result = await adapter.send(staffAlert());
    const [call] = fake.requestsTo(CARD_DELIVER_PATH);
    const outTrackId = result.platformMessageIds[0]!;
    expect(result.platformMessageIds).toEqual([expect.stringMatching(/^classbot-card-[0-9a-f]{32}$/)]);
    expect(call?.headers['x-acs-dingtalk-access-token']).toMatch(/^token-/);
    expect(call?.body).toEqual({
      cardTemplateId: TEMPLATE,
      outTrackId,
      callbackType: 'STREAM',
      cardData: {
        cardParamMap: {
          title: '🚨 跟进 #7｜安全·紧急',
          content: '@李老师 🚨 跟进 #7｜安全·紧急\n家长：王妈妈',
          buttons: JSON.stringify(ALERT_ACTIONS),
        },
      },
      openSpaceId: 'dtv1.card//IM_GROUP.cidStaff',
      userIdType: 1,
      imGroupOpenSpaceModel: { supportForward: false },
      imGroupOpenDeliverModel: { robotCode: fake.robotCode, atUserIds: { teacher01: '李老师' } },
    });
    expect(fake.cards.get(outTrackId)).toMatchObject({ conversationId: 'cidStaff', atUserIds: { teacher01: '李老师' } });
    // Even with a live webhook in the staff group (which cannot carry buttons), and on a retry: the same card id.
    await deliver(fake.robotMessage({ content: ' 跟进列表', conversationId: 'cidStaff', senderStaffId: 'teacher01' }));
    expect((await adapter.send(staffAlert())).platformMessageIds).toEqual([outTrackId]);
    expect(fake.requestsTo(WEBHOOK_PATH)).toHaveLength(0);
  });

  it('turns a button press into the staff member typing its command in that group, acked', async () => {
    await startAdapter({ cardTemplateId: TEMPLATE });
    const [outTrackId] = (await adapter.send(staffAlert())).platformMessageIds;
    const ack = await fake.pushCardPress({ outTrackId: outTrackId!, userId: 'teacher01', params: { command: '/认领 7' } }, 'press-1');
    expect(ack).toMatchObject({ code: 200, headers: { messageId: 'press-1' } });
    await vi.waitFor(() => expect(inbound).toHaveLength(1));
    expect(inbound[0]).toEqual({
      platform: 'dingtalk',
      eventId: 'card:press-1',
      chatType: 'group',
      groupId: 'cidStaff',
      sender: { id: 'teacher01', name: '' },
      text: '/认领 7',
      elements: [{ type: 'text', text: '/认领 7' }],
      mentions: [],
      addressed: true,
      timestamp: T0,
    });
  });

  it('acks and skips presses on cards that are not ours and malformed presses', async () => {
    await startAdapter({ cardTemplateId: TEMPLATE });
    const [outTrackId] = (await adapter.send(staffAlert())).platformMessageIds;
    expect((await fake.pushCardPress({ outTrackId: 'someone-elses-card', userId: 'teacher01', params: { command: '/认领 7' } })).code).toBe(200);
    expect((await fake.pushCardPress({ outTrackId: outTrackId!, userId: 'teacher01', params: { other: 'x' } })).code).toBe(200);
    expect((await fake.pushCardPress({ outTrackId: outTrackId!, userId: 'teacher01', params: { command: '/认领 7' }, spaceType: 'IM_ROBOT' })).code).toBe(200);
    await fake.pushCardPress({ outTrackId: outTrackId!, userId: 'teacher02', params: { command: '/解决 7' } }, 'press-ok');
    await vi.waitFor(() => expect(inbound).toHaveLength(1));
    expect(inbound[0]).toMatchObject({ eventId: 'card:press-ok', sender: { id: 'teacher02' }, text: '/解决 7' });
    expect(logText).toMatch(/"level":40,[^\n]*"msg":"dingtalk: card callback skipped"/);
  });

  it('updates the card in place when the message names it (updateOf), returning the same id', async () => {
    await startAdapter({ cardTemplateId: TEMPLATE });
    const [outTrackId] = (await adapter.send(staffAlert())).platformMessageIds;
    const update = staffAlert({ text: '✅ 跟进 #7 已由李老师认领', actions: [ALERT_ACTIONS[1]!], idempotencyKey: 'alert-7-claimed', updates: 'alert-7', updateOf: [outTrackId!] });
    expect(await adapter.send(update)).toEqual({ platformMessageIds: [outTrackId] });
    const [put] = fake.requestsTo(CARD_UPDATE_PATH);
    expect(put?.method).toBe('PUT');
    expect(put?.body).toEqual({
      outTrackId,
      cardData: { cardParamMap: { title: '✅ 跟进 #7 已由李老师认领', content: '@李老师 ✅ 跟进 #7 已由李老师认领', buttons: JSON.stringify([ALERT_ACTIONS[1]]) } },
    });
    expect(fake.cards.get(outTrackId!)?.params.content).toBe('@李老师 ✅ 跟进 #7 已由李老师认领');
    expect(fake.requestsTo(CARD_DELIVER_PATH)).toHaveLength(1);
  });

  it('without a card template, sends buttons as commands to type and says so once in the log', async () => {
    await startAdapter();
    expect(adapter.capabilities).toMatchObject({ cards: false, updatesMessages: false });
    await adapter.send(staffAlert());
    await adapter.send(staffAlert({ idempotencyKey: 'alert-8' }));
    expect(fake.requestsTo(CARD_DELIVER_PATH)).toHaveLength(0);
    expect(fake.deliveries[0]).toMatchObject({ route: 'group-api' });
    expect(fake.deliveries[0]!.text).toContain('· 认领：发送「/认领 7」');
    expect(logText.split('no DINGTALK_CARD_TEMPLATE_ID')).toHaveLength(2);
  });

  it('sends an alert card through the webhook as text when the quota is used up', async () => {
    await startAdapter({ cardTemplateId: TEMPLATE });
    await deliver(fake.robotMessage({ content: ' 跟进列表', conversationId: 'cidStaff', senderStaffId: 'teacher01' }));
    fake.quota = 'used-up';
    expect(await adapter.send(staffAlert())).toEqual({ platformMessageIds: [] });
    expect(fake.deliveries).toMatchObject([{ route: 'webhook', atUserIds: ['teacher01'] }]);
    expect(fake.deliveries[0]!.text).toContain('· 认领：发送「/认领 7」');
  });
});

describe('DingTalk groups from the robot group list', () => {
  beforeEach(() => startAdapter());

  it('binds title-bound groups from all pages of the list; a title two groups share binds neither', async () => {
    for (let i = 1; i <= 120; i++) fake.groups.set(`cid${i}`, `${i}班家长群`);
    fake.groups.set('cidCopy', '7班家长群');
    const ids = await adapter.resolveGroups([{ name: '3班家长群' }, { name: '7班家长群' }, { match: '^11[0-9]班' }, { match: '^120班' }, { name: '不存在的群' }]);
    expect(ids).toEqual(['cid3', null, null, 'cid120', null]);
    expect(fake.requestsTo(GROUPS_QUERY_PATH).map((r) => r.body)).toEqual([
      { robotCode: fake.robotCode, pageNumber: 1, pageSize: 100 },
      { robotCode: fake.robotCode, pageNumber: 2, pageSize: 100 },
    ]);
    expect(fake.requestsTo(GROUP_INFO_PATH)[0]?.body).toEqual({ openConversationId: 'cid1' });
    // 121 title lookups do not fit 20 a second: the refused ones waited and went through.
    expect(fake.rateRefusals.length).toBeGreaterThan(0);
    expect(fake.rateRefusals.every((r) => r.path === GROUP_INFO_PATH)).toBe(true);
    expect(fake.requestsTo(GROUP_INFO_PATH).length - fake.rateRefusals.length).toBe(121);
    expect(clock.now() - T0).toBeGreaterThanOrEqual(5 * SEC);
    expect(logText).toMatch(/"level":40,[^\n]*"candidates":\[\{"id":"cid7","topic":"7班家长群"\},\{"id":"cidCopy"/);
    // Titles are asked for once: the next lookup only lists.
    fake.groups.set('cidNew', '新班家长群');
    const asked = fake.requestsTo(GROUP_INFO_PATH).length;
    expect(await adapter.resolveGroups([{ name: '新班家长群' }])).toEqual(['cidNew']);
    expect(fake.requestsTo(GROUP_INFO_PATH).slice(asked).map((r) => r.body)).toEqual([{ openConversationId: 'cidNew' }]);
  });

  it('reports a group a message comes from as group-seen, again when its title changes', async () => {
    await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidA', conversationTitle: '三年级二班家长群' }));
    await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidA', conversationTitle: '三年级二班家长群' }));
    await deliver(fake.robotMessage({ content: ' 打卡', conversationId: 'cidA', conversationTitle: '三年级二班家长群（新）' }));
    await deliver(fake.robotMessage({ conversationType: '1', content: '你好', senderStaffId: 'teacher01' }));
    expect(events).toEqual([
      { kind: 'group-seen', platform: 'dingtalk', groupId: 'cidA', groupName: '三年级二班家长群', at: T0 },
      { kind: 'group-seen', platform: 'dingtalk', groupId: 'cidA', groupName: '三年级二班家长群（新）', at: T0 },
    ]);
  });
});

describe('DingTalk read receipts and DING', () => {
  beforeEach(() => startAdapter());

  it('says who has read a group message sent through the API, by its processQueryKey', async () => {
    expect(adapter.capabilities.readReceipts).toBe(true);
    const { platformMessageIds } = await adapter.send(toGroup('cidA', '明天春游，请带好水杯'));
    expect(platformMessageIds).toEqual(['pqk-1']);
    fake.readers.set('pqk-1', ['teacher01', 'parent-staff-9']);
    const sent = { target: { kind: 'group' as const, groupId: 'cidA' }, platformMessageId: 'pqk-1', sentAt: T0 };
    expect(await adapter.readBy(sent)).toEqual(['teacher01', 'parent-staff-9']);
    expect(fake.requestsTo(READ_QUERY_PATH).map((r) => r.body)).toEqual([{ openConversationId: 'cidA', robotCode: fake.robotCode, processQueryKey: 'pqk-1' }]);
    // Page by page.
    const parents = Array.from({ length: 150 }, (_, i) => `staff${i}`);
    fake.readers.set('pqk-1', parents);
    expect(await adapter.readBy(sent)).toEqual(parents);
    expect(fake.requestsTo(READ_QUERY_PATH).slice(1).map((r) => (r.body as { nextToken?: string }).nextToken)).toEqual([undefined, expect.any(String)]);
    fake.quota = 'used-up';
    expect((await sendError(adapter.readBy(sent))).blocked).toEqual({ reason: 'dingtalk-quota' });
  });

  it('has no read receipts for direct messages', async () => {
    const err = await sendError(adapter.readBy({ target: { kind: 'direct', memberId: 'teacher01' }, platformMessageId: 'pqk-1', sentAt: T0 }));
    expect(err.retryable).toBe(false);
    expect(fake.requestsTo(READ_QUERY_PATH)).toHaveLength(0);
  });

  it('DINGs the staff a safety alert names urgently, after the alert; people outside the organisation cannot be DINGed', async () => {
    await adapter.send(toGroup('cidStaff', '🚨 跟进 #7｜安全·紧急', {
      mentions: [{ id: 'teacher01', name: '李老师' }],
      urgentTo: [{ id: 'teacher01', name: '李老师' }, { id: '$:LWCP_v1:$parent', name: '王妈妈' }],
    }));
    expect(fake.requests.filter((r) => r.path === GROUP_SEND_PATH || r.path === DING_PATH).map((r) => r.path)).toEqual([GROUP_SEND_PATH, DING_PATH]);
    expect(fake.requestsTo(DING_PATH)[0]?.body).toEqual({
      robotCode: fake.robotCode,
      remindType: 1,
      receiverUserIdList: ['teacher01'],
      content: '🚨 跟进 #7｜安全·紧急',
    });
    expect(fake.dings).toHaveLength(1);
    expect(logText).toContain('DING reaches staff ids only');
  });

  it('keeps the send when the DING fails, and logs it', async () => {
    fake.answerNext(DING_PATH, { status: 403, body: { code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '没有调用该接口的权限' } });
    const result = await adapter.send(toGroup('cidStaff', '🚨 跟进 #7', { urgentTo: [{ id: 'teacher01', name: '李老师' }] }));
    expect(result.platformMessageIds).toEqual(['pqk-1']);
    expect(fake.dings).toHaveLength(0);
    expect(logText).toMatch(/"level":40,[^\n]*AccessTokenPermissionDenied[^\n]*"msg":"dingtalk: DING failed; the message itself was sent"/);
  });
});

describe('DingTalk callbacks beyond plain text', () => {
  beforeEach(() => startAdapter());

  it('subscribes to the robot message and card callback topics only', () => {
    expect(fake.requestsTo(GATEWAY_PATH)[0]?.body).toMatchObject({
      subscriptions: [{ type: 'CALLBACK', topic: ROBOT_TOPIC }, { type: 'CALLBACK', topic: CARD_TOPIC }],
    });
  });

  it("takes a voice message's recognition as its text", async () => {
    const data = { ...fake.robotMessage({ content: '' }), msgtype: 'audio', text: undefined, content: { duration: 3000, downloadCode: 'dl-voice', recognition: '明天请假' } };
    const m = await deliver(data);
    expect(m.text).toBe('明天请假');
    expect(m.elements).toEqual([{ type: 'text', text: '明天请假' }, { type: 'other', kind: 'audio' }]);
  });

  it('reads a createAt sent as a string', async () => {
    const m = await deliver({ ...fake.robotMessage({ content: ' 打卡' }), createAt: String(T0 - 5000) });
    expect(m.timestamp).toBe(T0 - 5000);
  });

  it('strips the "@robot" run of rich text without a configured name, learning it from a message that @s the robot alone', async () => {
    const rich = (runs: { text?: string; type?: string; downloadCode?: string }[], atUsers: { dingtalkId: string; staffId?: string }[] = []) => ({
      ...fake.robotMessage({ content: '', atUsers }),
      msgtype: 'richText',
      text: undefined,
      content: { richText: runs },
    });
    // Another person @-ed too: the first "@…" may be theirs, so nothing is learned from it.
    const both = await deliver(rich([{ text: '@李老师 ' }, { text: '@班级助手 ' }, { text: '孩子发烧了' }], [{ dingtalkId: '$:LWCP_v1:$li', staffId: 'teacher01' }]));
    expect(both.text).toBe('@李老师 @班级助手 孩子发烧了');
    const first = await deliver(rich([{ text: '@班级助手\u2005明天请假' }, { type: 'picture', downloadCode: 'dl1' }]));
    expect(first.text).toBe('明天请假');
    expect(first.elements).toEqual([{ type: 'text', text: '明天请假' }, { type: 'image', ref: 'dl1' }]);
    const later = await deliver(rich([{ text: '@李老师 ' }, { text: '@班级助手 ' }, { text: '收到' }], [{ dingtalkId: '$:LWCP_v1:$li', staffId: 'teacher01' }]));
    expect(later.text).toBe('@李老师  收到');
    expect(logText).toContain('"robotName":"班级助手"');
  });
});
