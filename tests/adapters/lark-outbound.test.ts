import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { larkUuid } from '../../adapters/lark/outbound.js';
import { createLogger } from '../../src/log.js';
import { SendError, type OutboundMessage } from '../../src/model.js';
import { cardActionEvent } from '../fakes/lark/events.js';
import { larkRig, type LarkRig } from '../fakes/lark/harness.js';

const GROUP = 'oc_class3';
const STAFF_CHAT = 'oc_staff';
const PARENT = { id: 'ou_parent_wang', name: '王小明妈妈' };
const TEACHER = { id: 'ou_teacher_li', name: '李老师' };

let rig: LarkRig;

afterEach(async () => {
  vi.useRealTimers();
  await rig?.stop();
});

function out(partial: Partial<OutboundMessage> & { text: string }): OutboundMessage {
  return { platform: 'lark', target: { kind: 'group', groupId: GROUP }, idempotencyKey: 'k-1', ...partial };
}

async function sendError(p: Promise<unknown>): Promise<SendError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SendError);
  return err as SendError;
}

describe('Lark sends (exact requests the SDK makes)', () => {
  it('a group text: token once, then POST /open-apis/im/v1/messages with chat_id, content JSON and uuid', async () => {
    rig = await larkRig();
    const res = await rig.adapter.send(out({ text: '今晚七点交作业', idempotencyKey: 'rem:hw:oc_class3:2025-10-09T19:00' }));
    expect(res.platformMessageIds).toEqual(['om_sent_1']);
    const [tokenReq] = rig.fake.tokenRequests();
    expect(tokenReq?.body).toEqual({ app_id: rig.fake.appId, app_secret: rig.fake.appSecret });
    const [req] = rig.fake.messageRequests();
    expect(req).toMatchObject({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      query: { receive_id_type: 'chat_id' },
      headers: { authorization: 'Bearer t-1' },
      body: {
        receive_id: GROUP,
        msg_type: 'text',
        content: JSON.stringify({ text: '今晚七点交作业' }),
        uuid: 'rem:hw:oc_class3:2025-10-09T19:00',
      },
    });
    // Start-up asked for the bot's identity with the same token; no other token request.
    expect(rig.fake.tokenRequests()).toHaveLength(1);
  });

  it('renders @mentions and @all as <at> tags in front of the text', async () => {
    rig = await larkRig();
    await rig.adapter.send(out({ text: '请查收通知', mentions: [PARENT, { id: 'ou_x', name: 'A<B>' }], mentionAll: true }));
    const body = rig.fake.messageRequests()[0]?.body as { content: string };
    expect(JSON.parse(body.content)).toEqual({
      text: '<at user_id="ou_parent_wang">王小明妈妈</at> <at user_id="ou_x">A&lt;B&gt;</at> <at user_id="all">所有人</at> 请查收通知',
    });
  });

  it('replies to a message through the reply endpoint', async () => {
    rig = await larkRig();
    await rig.adapter.send(out({ text: '作业在群公告里', replyTo: 'om_question', idempotencyKey: 'faq:om_question', mentions: [PARENT] }));
    const [req] = rig.fake.messageRequests();
    expect(req).toMatchObject({
      method: 'POST',
      path: '/open-apis/im/v1/messages/om_question/reply',
      body: {
        msg_type: 'text',
        content: JSON.stringify({ text: '<at user_id="ou_parent_wang">王小明妈妈</at> 作业在群公告里' }),
        uuid: 'faq:om_question',
      },
    });
    expect((req?.body as Record<string, unknown>).receive_id).toBeUndefined();
  });

  it('does not try to reply to a card press (it names no message): sends to the chat instead', async () => {
    rig = await larkRig();
    await rig.adapter.send(out({ text: '已认领', target: { kind: 'group', groupId: STAFF_CHAT }, replyTo: 'card:ev_press_1' }));
    expect(rig.fake.messageRequests()[0]).toMatchObject({ path: '/open-apis/im/v1/messages', query: { receive_id_type: 'chat_id' } });
  });

  it('a DM to a staff member goes by open_id; @all makes no sense there and is dropped', async () => {
    rig = await larkRig();
    await rig.adapter.send(out({ text: '有新的跟进', target: { kind: 'direct', memberId: TEACHER.id }, mentionAll: true }));
    expect(rig.fake.messageRequests()[0]).toMatchObject({
      query: { receive_id_type: 'open_id' },
      body: { receive_id: TEACHER.id, msg_type: 'text', content: JSON.stringify({ text: '有新的跟进' }) },
    });
  });

  it('markdown goes out as a post with an md node', async () => {
    rig = await larkRig();
    await rig.adapter.send(out({ text: '**本周打卡榜**\n1. 王小明 5 天', format: 'markdown', mentionAll: true }));
    const body = rig.fake.messageRequests()[0]?.body as { msg_type: string; content: string };
    expect(body.msg_type).toBe('post');
    expect(JSON.parse(body.content)).toEqual({
      zh_cn: { content: [[{ tag: 'md', text: '<at user_id="all">所有人</at> **本周打卡榜**\n1. 王小明 5 天' }]] },
    });
  });

  it('a staff alert with actions is an interactive card whose buttons call back with the command', async () => {
    rig = await larkRig();
    rig.fake.users.set(TEACHER.id, TEACHER.name);
    await rig.adapter.send(
      out({
        text: '王小明妈妈：孩子最近很焦虑，不想上课了',
        target: { kind: 'group', groupId: STAFF_CHAT },
        mentions: [TEACHER],
        actions: [
          { label: '认领', command: '/认领 17' },
          { label: '已解决', command: '/解决 17' },
        ],
        idempotencyKey: 'alert:17',
      }),
    );
    const body = rig.fake.messageRequests()[0]?.body as { msg_type: string; content: string; uuid: string };
    expect(body.msg_type).toBe('interactive');
    expect(body.uuid).toBe('alert:17');
    const card = JSON.parse(body.content);
    const button = (label: string, command: string, type: string) => ({
      tag: 'column',
      width: 'auto',
      elements: [
        { tag: 'button', text: { tag: 'plain_text', content: label }, type, behaviors: [{ type: 'callback', value: { command, chat: 'group' } }] },
      ],
    });
    expect(card).toEqual({
      schema: '2.0',
      config: { update_multi: true },
      body: {
        elements: [
          { tag: 'markdown', content: '<at id=ou_teacher_li></at> 王小明妈妈：孩子最近很焦虑，不想上课了' },
          { tag: 'column_set', flex_mode: 'flow', columns: [button('认领', '/认领 17', 'primary'), button('已解决', '/解决 17', 'default')] },
        ],
      },
    });

    // Pressing the button on that card: Lark calls back with the value we put there.
    const value = card.body.elements[1].columns[0].elements[0].behaviors[0].value;
    await rig.fake.pushEvent(cardActionEvent({ operator: TEACHER.id, value, messageId: 'om_sent_1', chatId: STAFF_CHAT }));
    expect(await rig.inbox.next()).toMatchObject({ text: '/认领 17', sender: TEACHER, chatType: 'group', groupId: STAFF_CHAT, addressed: true });
  });

  it('keys longer than Lark accepts for uuid (50) are hashed, stably', async () => {
    rig = await larkRig();
    const key = `reminder:${'x'.repeat(80)}`;
    await rig.adapter.send(out({ text: 'a', idempotencyKey: key }));
    await rig.adapter.send(out({ text: 'a', idempotencyKey: key }));
    await rig.adapter.send(out({ text: 'a', idempotencyKey: `${key}y` }));
    const uuids = rig.fake.messageRequests().map((r) => (r.body as { uuid: string }).uuid);
    expect(uuids[0]?.length).toBeLessThanOrEqual(50);
    expect(uuids[1]).toBe(uuids[0]);
    expect(uuids[2]).not.toBe(uuids[0]);
  });

  it('keys with names in them (DM alerts) go as a plain-ASCII hash, stably; plain keys go as they are', async () => {
    rig = await larkRig();
    for (const key of ['followup:1:alert:dm:李老师', 'followup:1:alert:dm:李老师', 'followup:1:alert:dm:王老师', 'followup:1:alert']) {
      await rig.adapter.send(out({ text: 'a', idempotencyKey: key }));
    }
    const uuids = rig.fake.messageRequests().map((r) => (r.body as { uuid: string }).uuid);
    expect(uuids[0]).toMatch(/^h_[A-Za-z0-9_-]{43}$/);
    expect(uuids[1]).toBe(uuids[0]);
    expect(uuids[2]).toMatch(/^h_/);
    expect(uuids[2]).not.toBe(uuids[0]);
    expect(uuids[3]).toBe('followup:1:alert');
  });
});

describe('Lark file attachments (upload, then a file message)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'classbot-lark-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('sends the text, uploads the file as multipart, then posts a file message with its own uuid', async () => {
    rig = await larkRig();
    const html = '<!doctype html><title>三年级二班 活动周报 2026-W47</title>';
    const path = file('report-2026-W47-g3.html', html);
    const key = 'fire:g3:report:weekly:staff:1763856000000:0';
    const res = await rig.adapter.send(
      out({ text: '**📊 三年级二班 活动周报 2026-W47**', format: 'markdown', target: { kind: 'group', groupId: STAFF_CHAT }, idempotencyKey: key, attachment: { path, name: 'report-2026-W47-g3.html', mime: 'text/html' } }),
    );
    expect(res.platformMessageIds).toEqual(['om_sent_1', 'om_sent_2']);
    const [text, upload, fileMsg] = rig.fake.requests.filter((r) => r.path.startsWith('/open-apis/im/v1/'));
    expect(text).toMatchObject({ path: '/open-apis/im/v1/messages', body: { receive_id: STAFF_CHAT, msg_type: 'post', uuid: larkUuid(key) } });
    expect(upload).toMatchObject({
      method: 'POST',
      path: '/open-apis/im/v1/files',
      headers: { authorization: 'Bearer t-1' },
      body: { file_type: 'stream', file_name: 'report-2026-W47-g3.html', file: { filename: 'report-2026-W47-g3.html' } },
    });
    expect(String(upload?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(rig.fake.uploads.map((u) => [u.fileKey, u.bytes.toString('utf8')])).toEqual([['file_v3_fake_1', html]]);
    expect(fileMsg).toMatchObject({
      path: '/open-apis/im/v1/messages',
      query: { receive_id_type: 'chat_id' },
      body: { receive_id: STAFF_CHAT, msg_type: 'file', content: JSON.stringify({ file_key: 'file_v3_fake_1' }), uuid: larkUuid(`${key}:file`) },
    });
    expect(rig.fake.posted.map((p) => p.body.msg_type)).toEqual(['post', 'file']);
  });

  it('uploads spreadsheets and PDFs as their Lark file types, byte for byte', async () => {
    rig = await larkRig();
    const xlsx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x10, 0x80]);
    await rig.adapter.send(out({ text: '本周报表', idempotencyKey: 'x1', attachment: { path: file('周报.xlsx', xlsx), name: '三年级二班周报.xlsx' } }));
    await rig.adapter.send(out({ text: '通知', idempotencyKey: 'p1', attachment: { path: file('n.pdf', '%PDF-1.7'), name: '通知.PDF' } }));
    expect(rig.fake.uploads.map((u) => [u.fileType, u.fileName])).toEqual([['xls', '三年级二班周报.xlsx'], ['pdf', '通知.PDF']]);
    expect(rig.fake.uploads[0]!.bytes.equals(xlsx)).toBe(true);
  });

  it('a failed upload is retryable, and the retry does not post the text twice', async () => {
    rig = await larkRig();
    const attachment = { path: file('r.html', '<p>周报</p>'), name: 'r.html' };
    rig.fake.answerNext(/^\/open-apis\/im\/v1\/files$/, { status: 503, body: { code: 1500, msg: 'internal error' } });
    const err = await sendError(rig.adapter.send(out({ text: '周报', idempotencyKey: 'w47', attachment })));
    expect(err.retryable).toBe(true);
    const res = await rig.adapter.send(out({ text: '周报', idempotencyKey: 'w47', attachment }));
    // Lark answers the repeated text uuid with the message it already posted.
    expect(res.platformMessageIds).toEqual(['om_sent_1', 'om_sent_2']);
    expect(rig.fake.posted.map((p) => [p.body.msg_type, p.uuid])).toEqual([['text', 'w47'], ['file', 'w47:file']]);
  });

  it('a file that is gone is a final error, after the text', async () => {
    rig = await larkRig();
    const err = await sendError(rig.adapter.send(out({ text: '周报', attachment: { path: join(dir, 'gone.html'), name: 'gone.html' } })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('gone.html');
    expect(rig.fake.uploads).toEqual([]);
    expect(rig.fake.posted.map((p) => p.body.msg_type)).toEqual(['text']);
  });
});

describe('Lark send failures become SendError for the outbox', () => {
  it('HTTP 429 is retryable with the gateway reset time; the retry then succeeds', async () => {
    rig = await larkRig();
    rig.fake.answerNext(/^\/open-apis\/im\/v1\/messages$/, {
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': '2' },
    });
    const err = await sendError(rig.adapter.send(out({ text: '提醒', idempotencyKey: 'r1' })));
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(2000);
    const ok = await rig.adapter.send(out({ text: '提醒', idempotencyKey: 'r1' }));
    expect(ok.platformMessageIds).toEqual(['om_sent_1']);
    const uuids = rig.fake.messageRequests().map((r) => (r.body as { uuid: string }).uuid);
    expect(uuids).toEqual(['r1', 'r1']);
  });

  it("IM's own frequency limit (code 230020) is retryable", async () => {
    rig = await larkRig();
    rig.fake.answerNext(/messages/, { status: 400, body: { code: 230020, msg: 'This operation triggers the frequency limit.' } });
    const err = await sendError(rig.adapter.send(out({ text: 'x' })));
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('a 5xx answer is retryable', async () => {
    rig = await larkRig();
    rig.fake.answerNext(/messages/, { status: 503, body: { code: 1500, msg: 'internal error' } });
    expect((await sendError(rig.adapter.send(out({ text: 'x' })))).retryable).toBe(true);
  });

  it('a rate-limit code in an HTTP 200 body is retryable too', async () => {
    rig = await larkRig();
    rig.fake.answerNext(/messages/, { status: 200, body: { code: 230020, msg: 'frequency limit' } });
    expect((await sendError(rig.adapter.send(out({ text: 'x' })))).retryable).toBe(true);
  });

  it('a permanent error (bot not in the chat) is not retryable', async () => {
    rig = await larkRig();
    rig.fake.answerNext(/messages/, { status: 400, body: { code: 230002, msg: 'Bot/User can NOT be out of the chat.' } });
    const err = await sendError(rig.adapter.send(out({ text: 'x' })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('230002');
  });

  it('Lark unreachable is retryable', async () => {
    rig = await larkRig();
    await rig.fake.stop();
    const err = await sendError(rig.adapter.send(out({ text: 'x' })));
    expect(err.retryable).toBe(true);
    await rig.fake.start();
  });

  it('a token Lark rejects is dropped: the retry fetches a new one', async () => {
    rig = await larkRig();
    await rig.adapter.send(out({ text: 'a' }));
    rig.fake.revokeTokens();
    expect((await sendError(rig.adapter.send(out({ text: 'b' })))).retryable).toBe(true);
    await rig.adapter.send(out({ text: 'b' }));
    const auth = rig.fake.messageRequests().map((r) => r.headers.authorization);
    expect(auth).toEqual(['Bearer t-1', 'Bearer t-1', 'Bearer t-2']);
  });
});

describe('Lark token refresh (the SDK token manager with our cache)', () => {
  it('reuses the token while valid and fetches a new one 3 minutes before it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = new Date('2025-10-09T08:00:00+08:00').getTime();
    vi.setSystemTime(t0);
    rig = await larkRig({ fake: { tokenExpireSec: 7200 } });
    await rig.adapter.send(out({ text: '1' }));
    vi.setSystemTime(t0 + (7200 - 180 - 1) * 1000);
    await rig.adapter.send(out({ text: '2' }));
    expect(rig.fake.tokenRequests()).toHaveLength(1);
    vi.setSystemTime(t0 + (7200 - 180 + 1) * 1000);
    await rig.adapter.send(out({ text: '3' }));
    expect(rig.fake.tokenRequests()).toHaveLength(2);
    expect(rig.fake.messageRequests().map((r) => r.headers.authorization)).toEqual(['Bearer t-1', 'Bearer t-1', 'Bearer t-2']);
  });
});

describe('Lark card updates (a follow-up card showing who claimed or resolved it)', () => {
  const alert = (partial: Partial<OutboundMessage>) =>
    out({
      text: '王小明妈妈：孩子最近很焦虑，不想上课了',
      target: { kind: 'group', groupId: STAFF_CHAT },
      actions: [
        { label: '认领', command: '/认领 17' },
        { label: '已解决', command: '/解决 17' },
      ],
      idempotencyKey: 'followup:17:alert',
      ...partial,
    });

  it('an update (updateOf) patches the earlier card in place: PATCH …/messages/:id, the same ids back, nothing new posted', async () => {
    rig = await larkRig();
    expect(rig.adapter.capabilities.updatesMessages).toBe(true);
    const sent = await rig.adapter.send(alert({}));
    const claimed = await rig.adapter.send(
      alert({
        text: '【李老师已认领】王小明妈妈：孩子最近很焦虑，不想上课了',
        actions: [{ label: '已解决', command: '/解决 17' }],
        updates: 'followup:17:alert',
        updateOf: sent.platformMessageIds,
        idempotencyKey: 'followup:17:card:claimed',
      }),
    );
    expect(claimed.platformMessageIds).toEqual(sent.platformMessageIds);
    expect(rig.fake.posted).toHaveLength(1);
    const [req] = rig.fake.requests.filter((r) => r.method === 'PATCH');
    expect(req).toMatchObject({ path: `/open-apis/im/v1/messages/${sent.platformMessageIds[0]}`, headers: { authorization: 'Bearer t-1' } });
    const card = JSON.parse(rig.fake.patches[0]?.content ?? '{}');
    expect(card.config).toEqual({ update_multi: true });
    expect(card.body.elements[0]).toEqual({ tag: 'markdown', content: '【李老师已认领】王小明妈妈：孩子最近很焦虑，不想上课了' });
    expect(card.body.elements[1].columns.map((c: { elements: { text: { content: string } }[] }) => c.elements[0]?.text.content)).toEqual(['已解决']);

    // Resolved: the card keeps its text and loses its buttons.
    await rig.adapter.send(alert({ text: '【已解决】王小明妈妈：孩子最近很焦虑', actions: [], updates: 'followup:17:alert', updateOf: sent.platformMessageIds, idempotencyKey: 'k3' }));
    expect(JSON.parse(rig.fake.patches[1]?.content ?? '{}').body.elements).toEqual([{ tag: 'markdown', content: '【已解决】王小明妈妈：孩子最近很焦虑' }]);
  });

  it('an update Lark refuses (the message is not a card) is a final SendError', async () => {
    rig = await larkRig();
    const sent = await rig.adapter.send(out({ text: '普通消息' }));
    const err = await sendError(rig.adapter.send(alert({ updateOf: sent.platformMessageIds })));
    expect(err.retryable).toBe(false);
    expect(rig.fake.patches).toHaveLength(0);
  });
});

describe('Lark read receipts (readBy)', () => {
  it("who has read the bot's message: every page of read_users, as open_ids", async () => {
    rig = await larkRig();
    expect(rig.adapter.capabilities.readReceipts).toBe(true);
    const sent = await rig.adapter.send(out({ text: '明天春游，请家长确认' }));
    const messageId = sent.platformMessageIds[0] ?? '';
    const readers = Array.from({ length: 130 }, (_, i) => `ou_parent_${i}`);
    rig.fake.readers.set(messageId, readers);
    const read = await rig.adapter.readBy({ target: { kind: 'group', groupId: GROUP }, platformMessageId: messageId, sentAt: 0 });
    expect(read).toEqual(readers);
    expect(rig.fake.requests.filter((r) => r.path.endsWith('/read_users')).map((r) => r.query)).toEqual([
      { user_id_type: 'open_id', page_size: '100' },
      { user_id_type: 'open_id', page_size: '100', page_token: '100' },
    ]);
  });

  it('nobody has read it yet: an empty list', async () => {
    rig = await larkRig();
    const sent = await rig.adapter.send(out({ text: '通知' }));
    expect(await rig.adapter.readBy({ target: { kind: 'group', groupId: GROUP }, platformMessageId: sent.platformMessageIds[0] ?? '', sentAt: 0 })).toEqual([]);
  });

  it("a message Lark will not say about (not the bot's, or older than 7 days): a final SendError", async () => {
    rig = await larkRig();
    const err = await sendError(rig.adapter.readBy({ target: { kind: 'group', groupId: GROUP }, platformMessageId: 'om_someone_elses', sentAt: 0 }));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('230001');
  });
});

describe('Lark urgent delivery (urgentTo)', () => {
  const safety = (partial: Partial<OutboundMessage> = {}) =>
    out({
      text: '⚠️ 安全提醒：王小明妈妈说孩子不见了',
      target: { kind: 'group', groupId: STAFF_CHAT },
      mentions: [TEACHER],
      urgentTo: [TEACHER],
      idempotencyKey: 'followup:18:alert',
      ...partial,
    });

  it('after the message is posted, PATCH …/urgent_app with the open_ids', async () => {
    rig = await larkRig();
    const res = await rig.adapter.send(safety());
    expect(rig.fake.urgents).toEqual([{ messageId: res.platformMessageIds[0], userIds: [TEACHER.id] }]);
    const [req] = rig.fake.requests.filter((r) => r.path.endsWith('/urgent_app'));
    expect(req).toMatchObject({ method: 'PATCH', query: { user_id_type: 'open_id' }, body: { user_id_list: [TEACHER.id] } });
    expect(rig.fake.requests.indexOf(req!)).toBeGreaterThan(rig.fake.requests.indexOf(rig.fake.messageRequests()[0]!));
  });

  it('no urgentTo, no urgent notice', async () => {
    rig = await larkRig();
    await rig.adapter.send(safety({ urgentTo: [] }));
    await rig.adapter.send(safety({ urgentTo: undefined, idempotencyKey: 'k2' }));
    expect(rig.fake.requests.filter((r) => r.path.endsWith('/urgent_app'))).toHaveLength(0);
  });

  it('without the im:message.urgent permission the send still succeeds, and the log says what is missing', async () => {
    let logText = '';
    rig = await larkRig({ adapter: { log: createLogger({ level: 'info', destination: { write: (line: string) => void (logText += line) } }) } });
    rig.fake.urgentPermission = false;
    const res = await rig.adapter.send(safety());
    expect(res.platformMessageIds).toEqual(['om_sent_1']);
    expect(rig.fake.urgents).toHaveLength(0);
    expect(logText).toContain('lark: urgent notice failed');
    expect(logText).toContain('im:message.urgent');
    expect(logText).toContain('99991672');
  });

  it('Lark unreachable for the urgent call: the send still succeeds', async () => {
    rig = await larkRig();
    rig.fake.answerNext(/\/urgent_app$/, { status: 503, body: { code: 1, msg: 'unavailable' } });
    expect((await rig.adapter.send(safety())).platformMessageIds).toEqual(['om_sent_1']);
  });
});
