/**
 * The WeChat adapter against the real wechaty and wechaty-puppet-mock (no network).
 * The mock records what the bot says as messages from the bot account: those payloads are
 * what a room would show. It drops mention ids on sends, so mention ids are read from the
 * puppet call (a spy on the fake platform, never on our code).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { types } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { WechatyAdapter, WECHATY_RATE_LIMITS, wechatyConfigFromEnv, wechatyFromEnv } from '../../adapters/wechaty/index.js';
import { FakeClock } from '../../src/clock.js';
import { SendError, type InboundMessage, type OutboundMessage, type PlatformEvent } from '../../src/model.js';
import { ManualTimers } from '../helpers/manual-timers.js';

const CLASS_ROOM = 'class32@chatroom';
const STAFF_ROOM = 'staff32@chatroom';
const OTHER_CLASS = 'class31@chatroom';

interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/** Inbound messages in arrival order; `next()` waits for the next one. */
class Inbox {
  readonly all: InboundMessage[] = [];
  private waiters: ((m: InboundMessage) => void)[] = [];
  private read = 0;
  push(m: InboundMessage): void {
    this.all.push(m);
    this.drain();
  }
  next(): Promise<InboundMessage> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.drain();
    });
  }
  private drain(): void {
    while (this.waiters.length > 0 && this.read < this.all.length) this.waiters.shift()!(this.all[this.read++]!);
  }
}

const running: WechatyAdapter[] = [];
afterEach(async () => {
  for (const a of running.splice(0)) await a.stop();
});

/** A class room (bot, two parents, an assistant), the staff room, and a second class with a similar title. */
async function world(opts: { login?: boolean; botOwnsClassRoom?: boolean; onInbound?: (m: InboundMessage) => void | Promise<void>; onEvent?: (e: PlatformEvent) => void } = {}) {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const botUser = mocker.createContact({ id: 'wxid_bot', name: '班级小助手' });
  const parent = mocker.createContact({ id: 'wxid_parent1', name: '王芳' });
  const parent2 = mocker.createContact({ id: 'wxid_parent2', name: '赵强' });
  const assistant = mocker.createContact({ id: 'wxid_assistant', name: '李老师' });
  const classRoom = mocker.createRoom({
    id: CLASS_ROOM,
    topic: '三年级二班家长群',
    memberIdList: [botUser.id, parent.id, parent2.id, assistant.id],
    ...(opts.botOwnsClassRoom ? { ownerId: botUser.id } : { ownerId: assistant.id }),
  });
  const staffRoom = mocker.createRoom({ id: STAFF_ROOM, topic: '三年级二班助教群', memberIdList: [botUser.id, assistant.id] });
  mocker.createRoom({ id: OTHER_CLASS, topic: '三年级一班家长群', memberIdList: [botUser.id, assistant.id] });

  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  const qr = new PassThrough();
  let qrText = '';
  qr.on('data', (d: Buffer) => (qrText += d.toString()));
  const clock = new FakeClock(Date.UTC(2026, 8, 1, 11, 0));
  const timers = new ManualTimers();
  const adapter = new WechatyAdapter({ puppet, log, qrOutput: qr, clock, timers });
  running.push(adapter);

  const inbox = new Inbox();
  /** Platform events and messages, in the order the adapter handed them on. */
  const events: (PlatformEvent | { kind: 'message'; text: string; groupId: string | null })[] = [];
  await adapter.start(
    async (m) => {
      await opts.onInbound?.(m);
      events.push({ kind: 'message', text: m.text, groupId: m.groupId });
      inbox.push(m);
    },
    (e) => {
      opts.onEvent?.(e);
      events.push(e);
    },
  );
  const bot = adapter.wechaty!;

  /** What the bot said, as the mock records it, in order; files with their name and (text) content. */
  const sent: { roomId?: string; listenerId?: string; text: string; file?: { name: string; content: string } }[] = [];
  puppet.on('message', ({ messageId }) => {
    const p = mocker.messagePayload(messageId) as { talkerId: string; roomId?: string; listenerId?: string; text?: string };
    const box = mocker.cacheFileBoxPayload.get(messageId) as { name: string; base64?: string } | undefined;
    if (p.talkerId === botUser.id) {
      sent.push({
        ...(p.roomId ? { roomId: p.roomId } : {}),
        ...(p.listenerId ? { listenerId: p.listenerId } : {}),
        text: p.text ?? '',
        ...(box ? { file: { name: box.name, content: Buffer.from(box.base64 ?? '', 'base64').toString('utf8') } } : {}),
      });
    }
  });

  const login = async () => {
    const done = new Promise<void>((resolve) => bot.once('login', () => resolve()));
    mocker.login(botUser);
    await done;
  };
  if (opts.login !== false) await login();

  /** Emits a message the way the puppet reports one (for types the mock's say() cannot make). */
  const emitMessage = (payload: { id: string; talkerId: string; roomId?: string; listenerId?: string; type: number; text?: string; filename?: string }) => {
    mocker.MessageMock.create({ timestamp: Date.now(), ...payload } as never);
    puppet.emit('message', { messageId: payload.id });
  };

  return { mocker, puppet, adapter, bot, botUser, parent, parent2, assistant, classRoom, staffRoom, inbox, events, timers, sent, lines, log, qrText: () => qrText, clock, login, emitMessage };
}

function groupMsg(groupId: string, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return { platform: 'wechaty', target: { kind: 'group', groupId }, text, idempotencyKey: `k-${Math.random()}`, ...extra };
}

describe('configuration from the environment', () => {
  it('is off without WECHATY_PUPPET and explains what is missing or wrong', async () => {
    expect(wechatyConfigFromEnv({})).toBeNull();
    expect(await wechatyFromEnv({}, pino({ level: 'silent' }))).toBeNull();
    expect(() => wechatyConfigFromEnv({ WECHATY_PUPPET: 'padlocal' })).toThrow(/WECHATY_PUPPET/);
    expect(() => wechatyConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service' })).toThrow(/WECHATY_PUPPET_SERVICE_TOKEN/);
    expect(wechatyConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-wechat4u' })).toEqual({ puppet: 'wechaty-puppet-wechat4u', sessionName: 'data/wechaty' });
    expect(wechatyConfigFromEnv({
      WECHATY_PUPPET: ' wechaty-puppet-service ',
      WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_workpro_abc',
      WECHATY_PUPPET_SERVICE_ENDPOINT: '127.0.0.1:8788',
      WECHATY_NAME: '/var/lib/classbot/wx',
    })).toEqual({ puppet: 'wechaty-puppet-service', token: 'puppet_workpro_abc', endpoint: '127.0.0.1:8788', sessionName: '/var/lib/classbot/wx' });
  });

  it('builds a stopped adapter with conservative WeChat pacing when configured', async () => {
    const adapter = await wechatyFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-wechat4u' }, pino({ level: 'silent' }));
    expect(adapter).toBeInstanceOf(WechatyAdapter);
    expect(adapter!.platform).toBe('wechaty');
    expect(adapter!.status().state).toBe('stopped');
    expect(adapter!.rateLimits).toBe(WECHATY_RATE_LIMITS);
    expect(WECHATY_RATE_LIMITS.perTarget.windowMs / WECHATY_RATE_LIMITS.perTarget.max).toBeGreaterThanOrEqual(3_000);
    expect(WECHATY_RATE_LIMITS.global![0]!.windowMs / WECHATY_RATE_LIMITS.global![0]!.max).toBeGreaterThanOrEqual(3_000);
  });
});

describe('login, logout and reconnect', () => {
  it('draws the QR code, and reflects login, logout and a new login in the status and the log', async () => {
    const w = await world({ login: false });
    expect(w.adapter.status().state).toBe('starting');

    w.mocker.scan('https://login.weixin.qq.com/l/classbot-test', types.ScanStatus.Waiting);
    await vi.waitFor(() => expect(w.qrText()).toMatch(/扫描/));
    expect(w.qrText()).toMatch(/[▀▄█]/);
    expect(w.adapter.status()).toMatchObject({ state: 'starting', detail: expect.stringMatching(/QR/) });

    w.clock.advance(60_000);
    await w.login();
    expect(w.adapter.status()).toMatchObject({ state: 'connected', detail: 'logged in as 班级小助手', since: w.clock.now() });
    expect(w.lines.some((l) => l.msg === 'WeChat logged in' && l.userId === 'wxid_bot')).toBe(true);

    const out = new Promise<void>((resolve) => w.bot.once('logout', () => resolve()));
    await w.puppet.logout('kicked out by another device');
    await out;
    expect(w.adapter.status()).toMatchObject({ state: 'reconnecting', detail: expect.stringMatching(/kicked out by another device/) });
    expect(w.lines.some((l) => l.level === 40 && /logged out/.test(l.msg) && l.reason === 'kicked out by another device')).toBe(true);
    await expect(w.adapter.send(groupMsg(CLASS_ROOM, '晚上好'))).rejects.toMatchObject({ name: 'SendError', retryable: true });

    w.mocker.scan('https://login.weixin.qq.com/l/again', types.ScanStatus.Waiting);
    await vi.waitFor(() => expect(w.adapter.status().state).toBe('reconnecting'));
    await w.login();
    expect(w.adapter.status().state).toBe('connected');
    expect(w.lines.some((l) => l.msg === 'WeChat logged in again')).toBe(true);

    const warnings = w.lines.filter((l) => l.level >= 40).length;
    await w.adapter.stop();
    expect(w.adapter.status().state).toBe('stopped');
    // Stopping logs the account out: not something to warn about.
    expect(w.lines.filter((l) => l.level >= 40)).toHaveLength(warnings);
  });
});

describe('inbound', () => {
  it('reads only the reply of a quoted reply (引用): the quote is context, in a room and in a direct chat', async () => {
    const w = await world();
    const dashes = '- - - - - - - - - - - - - - -';
    w.parent.say(`「赵强：明天几点到校？」\n${dashes}\n@班级小助手 我家孩子明天请假一天`, [w.botUser]).to(w.classRoom);
    expect(await w.inbox.next()).toMatchObject({
      text: '我家孩子明天请假一天',
      quoted: '赵强：明天几点到校？',
      elements: [{ type: 'text', text: '我家孩子明天请假一天' }],
      addressed: true,
    });
    // Only a quote, sent on its own: none of the sender's words.
    w.assistant.say(`「王芳：孩子发烧了，今天请假」\n${dashes}`).to(w.botUser);
    expect(await w.inbox.next()).toMatchObject({ chatType: 'direct', text: '', quoted: '王芳：孩子发烧了，今天请假', elements: [] });
    w.parent.say('「春晓」要背吗').to(w.classRoom);
    const plain = await w.inbox.next();
    expect(plain.text).toBe('「春晓」要背吗');
    expect(plain).not.toHaveProperty('quoted');
  });

  it('turns a room text that @-mentions the bot into an addressed, mention-free message', async () => {
    const w = await world();
    w.parent.say('@班级小助手 今天的数学作业是什么？', [w.botUser]).to(w.classRoom);
    const m = await w.inbox.next();
    expect(m).toMatchObject({
      platform: 'wechaty',
      chatType: 'group',
      groupId: CLASS_ROOM,
      groupName: '三年级二班家长群',
      sender: { id: 'wxid_parent1', name: '王芳' },
      text: '今天的数学作业是什么？',
      elements: [{ type: 'text', text: '今天的数学作业是什么？' }],
      mentions: [],
      addressed: true,
    });
    expect(m.eventId).toMatch(/\S/);
    expect(Math.abs(m.timestamp - Date.now())).toBeLessThan(60_000);
  });

  it('lists other members mentioned by id, and a message not mentioning the bot is not addressed to it', async () => {
    const w = await world();
    w.parent.say('@李老师 孩子今天发烧请假一天', [w.assistant]).to(w.classRoom);
    const m = await w.inbox.next();
    expect(m).toMatchObject({ addressed: false, mentions: [{ id: 'wxid_assistant', name: '李老师' }], text: '孩子今天发烧请假一天' });
  });

  it('names people by their group nickname (群昵称) when they have one', async () => {
    const w = await world();
    const original = w.puppet.roomMemberRawPayload.bind(w.puppet);
    vi.spyOn(w.puppet, 'roomMemberRawPayload').mockImplementation(async (roomId: string, contactId: string) => ({
      ...(await original(roomId, contactId)),
      ...(contactId === w.parent.id ? { roomAlias: '王小明妈妈' } : {}),
    }));
    w.parent.say('打卡：今天读了20分钟').to(w.classRoom);
    expect((await w.inbox.next()).sender).toEqual({ id: 'wxid_parent1', name: '王小明妈妈' });

    const spy = vi.spyOn(w.puppet, 'messageSendText');
    await w.adapter.send(groupMsg(CLASS_ROOM, '收到打卡，已连续 3 天', { mentions: [{ id: w.parent.id, name: '王芳' }] }));
    expect(w.sent.at(-1)).toEqual({ roomId: CLASS_ROOM, text: '@王小明妈妈 收到打卡，已连续 3 天' });
    expect(spy).toHaveBeenLastCalledWith(CLASS_ROOM, '@王小明妈妈 收到打卡，已连续 3 天', ['wxid_parent1']);
  });

  it('passes images and files as evidence elements, and other kinds by name', async () => {
    const w = await world();
    const T = types.Message;
    w.emitMessage({ id: 'img-1', talkerId: w.parent.id, roomId: CLASS_ROOM, type: T.Image });
    expect(await w.inbox.next()).toMatchObject({ eventId: 'img-1', text: '', elements: [{ type: 'image', ref: 'img-1' }], addressed: false });
    w.emitMessage({ id: 'file-1', talkerId: w.parent.id, roomId: CLASS_ROOM, type: T.Attachment, filename: '作文.docx' });
    expect((await w.inbox.next()).elements).toEqual([{ type: 'file', ref: 'file-1', name: '作文.docx' }]);
    w.emitMessage({ id: 'video-1', talkerId: w.parent.id, roomId: CLASS_ROOM, type: T.Video });
    expect((await w.inbox.next()).elements).toEqual([{ type: 'other', kind: 'video' }]);
  });

  it('turns direct messages into addressed direct chats; official-account pushes are not passed on', async () => {
    const official = { id: 'gh_news', name: '某某教育资讯', type: types.Contact.Official };
    const w = await world();
    const news = w.mocker.createContact(official);
    news.say('今日资讯').to(w.botUser);
    w.assistant.say('/跟进 列表').to(w.botUser);
    const m = await w.inbox.next();
    expect(m).toMatchObject({
      chatType: 'direct',
      groupId: null,
      sender: { id: 'wxid_assistant', name: '李老师' },
      text: '/跟进 列表',
      addressed: true,
      mentions: [],
    });
    w.parent.say('老师您好，想问下周三几点放学').to(w.botUser);
    expect((await w.inbox.next()).sender.id).toBe('wxid_parent1');
    expect(w.inbox.all.map((x) => x.sender.id)).toEqual(['wxid_assistant', 'wxid_parent1']);
  });

  it("ignores the bot's own messages, which WeChat echoes back", async () => {
    const w = await world();
    const seen: string[] = [];
    // Registered after the adapter's listener, so the adapter has queued each message before this runs.
    w.bot.on('message', (msg) => void seen.push(msg.talker().id));
    await w.adapter.send(groupMsg(CLASS_ROOM, '今晚 19:00 记得打卡哦'));
    await vi.waitFor(() => expect(seen).toContain('wxid_bot'));
    w.parent.say('好的').to(w.classRoom);
    await w.inbox.next();
    expect(w.inbox.all.map((m) => [m.sender.id, m.text])).toEqual([['wxid_parent1', '好的']]);
  });

  it('hands messages to the core one at a time, in the order wechaty emitted them', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const started: string[] = [];
    const w = await world({
      onInbound: async (m) => {
        started.push(m.text);
        if (started.length === 1) await gate;
      },
    });
    const emitted: string[] = [];
    w.bot.on('message', (msg) => void emitted.push(msg.text()));
    w.parent.say('第一条').to(w.classRoom);
    w.parent2.say('第二条').to(w.classRoom);
    await vi.waitFor(() => expect(emitted).toHaveLength(2));
    // Give a concurrent delivery every chance to overtake: the core is still busy with the first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([emitted[0]]);
    open();
    await w.inbox.next();
    await w.inbox.next();
    expect(w.inbox.all.map((m) => m.text)).toEqual(emitted);
  });

  it('gives a redelivered message the same event id, for the engine to drop', async () => {
    const w = await world();
    w.emitMessage({ id: 'msg-42', talkerId: w.parent.id, roomId: CLASS_ROOM, type: types.Message.Text, text: '打卡' });
    w.puppet.emit('message', { messageId: 'msg-42' });
    const [a, b] = [await w.inbox.next(), await w.inbox.next()];
    expect([a.eventId, b.eventId]).toEqual(['msg-42', 'msg-42']);
  });

  it('logs and skips a message the core fails on, and keeps delivering the next ones', async () => {
    const attempted: string[] = [];
    const w = await world({
      onInbound: (m) => {
        attempted.push(m.text);
        if (attempted.length === 1) throw new Error('boom');
      },
    });
    w.parent.say('第一条').to(w.classRoom);
    w.parent.say('第二条').to(w.classRoom);
    const delivered = await w.inbox.next();
    expect([...attempted].sort()).toEqual(['第一条', '第二条']);
    expect(delivered.text).toBe(attempted[1]);
    expect(w.lines.some((l) => l.level === 50 && /skipped/.test(l.msg) && (l.err as { message?: string }).message === 'boom')).toBe(true);
  });
});

describe('binding playbook groups', () => {
  it('finds rooms by id, exact topic or pattern after login, and reports those not found', async () => {
    const w = await world({ login: false });
    const pending = w.adapter.resolveGroups([
      { id: CLASS_ROOM, name: '班级群' },
      { name: '三年级二班助教群' },
      { name: '家长群', match: '^三年级一班' },
      { name: '五年级一班家长群' },
      { name: '三年级家长群', match: '^三年级.班家长群$' },
    ]);
    await w.login();
    expect(await pending).toEqual([CLASS_ROOM, STAFF_ROOM, OTHER_CLASS, null, null]);
    const report = w.lines.find((l) => /^WeChat groups: 3 of 5 found/.test(l.msg));
    expect(report?.found).toEqual([
      { group: `id ${CLASS_ROOM}`, roomId: CLASS_ROOM, topic: '三年级二班家长群' },
      { group: 'topic "三年级二班助教群"', roomId: STAFF_ROOM, topic: '三年级二班助教群' },
      { group: 'topic matching /^三年级一班/', roomId: OTHER_CLASS, topic: '三年级一班家长群' },
    ]);
    const missing = w.lines.filter((l) => l.level === 40 && l.msg.startsWith('WeChat group not found'));
    expect(missing.map((l) => l.group)).toEqual(['topic "五年级一班家长群"', 'topic matching /^三年级.班家长群$/']);
    expect((missing[1]!.candidates as { id: string }[]).map((r) => r.id).sort()).toEqual([OTHER_CLASS, CLASS_ROOM].sort());
  });

  it('binds neither of two rooms with the title, also when the second appears after login', async () => {
    const w = await world();
    const spec = { name: '三年级二班家长群' };
    expect(await w.adapter.resolveGroups([spec])).toEqual([CLASS_ROOM]);
    w.mocker.createRoom({ id: 'copy32@chatroom', topic: '三年级二班家长群', memberIdList: [w.botUser.id, w.parent.id] });
    expect(await w.adapter.resolveGroups([spec])).toEqual([null]);
    const miss = w.lines.filter((l) => l.msg === 'WeChat group not found: topic "三年级二班家长群"');
    expect((miss[0]!.candidates as { id: string }[]).map((r) => r.id).sort()).toEqual(['copy32@chatroom', CLASS_ROOM].sort());
  });

  it('does not bind an id the account has no room for', async () => {
    const w = await world();
    expect(await w.adapter.resolveGroups([{ id: 'gone@chatroom', name: '旧群' }])).toEqual([null]);
  });
});

describe('outbound', () => {
  it('says a text in a room with real @mentions, in the order given', async () => {
    const w = await world();
    const spy = vi.spyOn(w.puppet, 'messageSendText');
    const result = await w.adapter.send(groupMsg(CLASS_ROOM, '请两位家长今晚 19:00 前提交作业照片', {
      mentions: [{ id: w.parent.id, name: '王芳' }, { id: w.parent2.id, name: '赵强' }],
    }));
    expect(w.sent).toEqual([{ roomId: CLASS_ROOM, text: '@王芳\u2005@赵强 请两位家长今晚 19:00 前提交作业照片' }]);
    expect(spy).toHaveBeenCalledWith(CLASS_ROOM, '@王芳\u2005@赵强 请两位家长今晚 19:00 前提交作业照片', ['wxid_parent1', 'wxid_parent2']);
    // The mock answers sends without a message id.
    expect(result).toEqual({ platformMessageIds: [] });
  });

  it('sends a direct message to a staff member, with alert actions written out as commands', async () => {
    const w = await world();
    await w.adapter.send({
      platform: 'wechaty',
      target: { kind: 'direct', memberId: w.assistant.id },
      text: '三年级二班有家长反映孩子发烧，请 10 分钟内回复。',
      actions: [{ label: '接单', command: '/跟进 接单 7' }, { label: '已处理', command: '/跟进 完成 7' }],
      idempotencyKey: 'alert-7',
    });
    expect(w.sent).toEqual([{
      listenerId: 'wxid_assistant',
      text: '三年级二班有家长反映孩子发烧，请 10 分钟内回复。\n\n· 接单：发送「/跟进 接单 7」\n· 已处理：发送「/跟进 完成 7」',
    }]);
  });

  it('@所有人 only where the bot account owns or administers the room, plain text elsewhere', async () => {
    const member = await world();
    const plain = vi.spyOn(member.puppet, 'messageSendText');
    await member.adapter.send(groupMsg(CLASS_ROOM, '明天停课一天', { mentionAll: true }));
    expect(member.sent).toEqual([{ roomId: CLASS_ROOM, text: '@所有人 明天停课一天' }]);
    expect(JSON.stringify(plain.mock.calls)).not.toContain('"@all"');
    expect(member.lines.some((l) => l.level === 40 && /@所有人/.test(l.msg))).toBe(true);

    const owner = await world({ botOwnsClassRoom: true });
    const spy = vi.spyOn(owner.puppet, 'messageSendText');
    await owner.adapter.send(groupMsg(CLASS_ROOM, '明天停课一天', { mentionAll: true, mentions: [{ id: owner.assistant.id, name: '李老师' }] }));
    expect(owner.sent).toEqual([{ roomId: CLASS_ROOM, text: '@所有人\u2005@李老师 明天停课一天' }]);
    expect(spy).toHaveBeenCalledWith(CLASS_ROOM, '@所有人\u2005@李老师 明天停课一天', ['@all', 'wxid_assistant']);
  });

  it('sends an attachment as a file after the text, in a room and to a staff member', async () => {
    const w = await world();
    const dir = mkdtempSync(join(tmpdir(), 'classbot-wechat-file-'));
    try {
      const html = '<!doctype html><title>三年级二班 活动周报 2026-W47</title>';
      const path = join(dir, 'report-2026-W47-g3.html');
      writeFileSync(path, html);
      const attachment = { path, name: 'report-2026-W47-g3.html', mime: 'text/html' };
      const sendFile = vi.spyOn(w.puppet, 'messageSendFile');
      await w.adapter.send(groupMsg(STAFF_ROOM, '📊 三年级二班 活动周报 2026-W47', { attachment }));
      await w.adapter.send({ platform: 'wechaty', target: { kind: 'direct', memberId: w.assistant.id }, text: '本周周报', attachment, idempotencyKey: 'dm-report' });
      expect(w.sent).toEqual([
        { roomId: STAFF_ROOM, text: '📊 三年级二班 活动周报 2026-W47' },
        { roomId: STAFF_ROOM, text: '', file: { name: 'report-2026-W47-g3.html', content: html } },
        { listenerId: 'wxid_assistant', text: '本周周报' },
        { listenerId: 'wxid_assistant', text: '', file: { name: 'report-2026-W47-g3.html', content: html } },
      ]);
      expect(sendFile.mock.calls.map(([to]) => to)).toEqual([STAFF_ROOM, 'wxid_assistant']);

      // A file deleted since it was written: a final error (the text went out).
      const gone = await w.adapter.send(groupMsg(STAFF_ROOM, '周报', { attachment: { path: join(dir, 'gone.html'), name: 'gone.html' } })).catch((e: unknown) => e);
      expect(gone).toMatchObject({ name: 'SendError', retryable: false, message: expect.stringContaining('gone.html') });
      expect(w.sent.at(-1)).toEqual({ roomId: STAFF_ROOM, text: '周报' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('throws SendError: retryable for a rate limit or lost login, final for a room or contact that is not there', async () => {
    const w = await world();
    await expect(w.adapter.send(groupMsg('nowhere@chatroom', '你好'))).rejects.toMatchObject({ name: 'SendError', retryable: false });

    const stranger = w.mocker.createContact({ id: 'wxid_stranger', name: '陌生人', friend: false });
    await expect(w.adapter.send({ platform: 'wechaty', target: { kind: 'direct', memberId: stranger.id }, text: '你好', idempotencyKey: 'dm-1' }))
      .rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/not a friend/) });

    vi.spyOn(w.puppet, 'messageSendText').mockRejectedValueOnce(new Error('发送消息过于频繁，可稍后再试。'));
    const err = await w.adapter.send(groupMsg(CLASS_ROOM, '提醒')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 60_000, message: expect.stringMatching(/过于频繁/) });
    expect(w.sent).toEqual([]);

    // The next try goes through.
    await w.adapter.send(groupMsg(CLASS_ROOM, '提醒'));
    expect(w.sent).toEqual([{ roomId: CLASS_ROOM, text: '提醒' }]);
  });
});

describe('room events', () => {
  const seenEvent = (groupId: string, groupName: string) => ({ kind: 'group-seen', platform: 'wechaty', groupId, groupName, at: expect.any(Number) });

  it('asks for the room list again when the puppet is ready, and after login at 30 s, doubling up to 30 min, until logged out or stopped', async () => {
    const w = await world();
    const asked = () => w.events.filter((e) => e.kind === 'groups-changed').length;
    expect(w.timers.pending.map((t) => t.ms)).toEqual([30_000]);
    const delays = Array.from({ length: 8 }, () => w.timers.fire());
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000]);
    await vi.waitFor(() => expect(asked()).toBe(8));
    w.puppet.emit('ready', { data: 'synced' });
    await vi.waitFor(() => expect(asked()).toBe(9));

    const out = new Promise<void>((resolve) => w.bot.once('logout', () => resolve()));
    await w.puppet.logout('kicked out by another device');
    await out;
    expect(w.timers.pending).toEqual([]);
    // A new login starts over from the first delay.
    await w.login();
    expect(w.timers.pending.map((t) => t.ms)).toEqual([30_000]);
    await w.adapter.stop();
    expect(w.timers.pending).toEqual([]);
    expect(w.events.filter((e) => e.kind === 'groups-changed')).toEqual(Array(9).fill({ kind: 'groups-changed', platform: 'wechaty', at: w.clock.now() }));
  });

  it("shows the core a room it did not know before that room's first message, a renamed room, and a room the bot was added to", async () => {
    const w = await world();
    await w.adapter.resolveGroups([]);
    const late = w.mocker.createRoom({ id: 'late32@chatroom', topic: '三年级二班家长二群', memberIdList: [w.botUser.id, w.parent.id] });
    // One at a time: wechaty itself may emit a message of a room it has to load after later ones.
    for (const [text, room] of [['打卡 20分钟', late], ['打卡 30分钟', late], ['收到', w.classRoom]] as const) {
      w.parent.say(text).to(room);
      await w.inbox.next();
    }
    w.classRoom.topic('三年级二班家长群（2027 春）').by(w.assistant);
    const joinedLater = w.mocker.createRoom({ id: 'new32@chatroom', topic: '三年级二班兴趣群', memberIdList: [w.assistant.id] });
    joinedLater.add(w.botUser).by(w.assistant);
    await vi.waitFor(() => expect(w.events).toHaveLength(6));
    expect(w.events).toEqual([
      seenEvent('late32@chatroom', '三年级二班家长二群'),
      { kind: 'message', text: '打卡 20分钟', groupId: 'late32@chatroom' },
      { kind: 'message', text: '打卡 30分钟', groupId: 'late32@chatroom' },
      { kind: 'message', text: '收到', groupId: CLASS_ROOM },
      seenEvent(CLASS_ROOM, '三年级二班家长群（2027 春）'),
      seenEvent('new32@chatroom', '三年级二班兴趣群'),
    ]);
    // The next look-up finds the new room, and the renamed one by its new title and by the one the playbook knew.
    const specs = [{ name: '三年级二班家长群（2027 春）' }, { name: '三年级二班家长群' }, { name: '家长群', match: '^三年级二班家长群$' }, { name: '三年级二班兴趣群' }];
    expect(await w.adapter.resolveGroups(specs)).toEqual([CLASS_ROOM, CLASS_ROOM, CLASS_ROOM, 'new32@chatroom']);
  });

  it('passes people joining and leaving a room on as membership, never the bot account itself', async () => {
    const w = await world();
    await w.adapter.resolveGroups([]);
    const chen = w.mocker.createContact({ id: 'wxid_chen', name: '陈敏 ' });
    w.classRoom.add(chen).by(w.assistant);
    await vi.waitFor(() => expect(w.events).toHaveLength(1));
    w.classRoom.remove(w.parent2).by(w.assistant);
    await vi.waitFor(() => expect(w.events).toHaveLength(2));
    expect(w.events).toEqual([
      { kind: 'membership', platform: 'wechaty', groupId: CLASS_ROOM, joined: [{ id: 'wxid_chen', name: '陈敏' }], left: [], at: w.clock.now() },
      { kind: 'membership', platform: 'wechaty', groupId: CLASS_ROOM, joined: [], left: [{ id: 'wxid_parent2', name: '赵强' }], at: w.clock.now() },
    ]);
    // The bot removed from a room: no membership, and the room is no longer one the adapter knows.
    const removed = new Promise<void>((resolve) => w.bot.once('room-leave', () => resolve()));
    w.staffRoom.remove(w.botUser).by(w.assistant);
    await removed;
    w.assistant.say('还在吗').to(w.staffRoom);
    await vi.waitFor(() => expect(w.inbox.all).toHaveLength(1));
    expect(w.events.slice(2)).toEqual([seenEvent(STAFF_ROOM, '三年级二班助教群'), { kind: 'message', text: '还在吗', groupId: STAFF_ROOM }]);
  });

  it('logs and skips an event the core fails on, and keeps handing on the next ones', async () => {
    let failures = 1;
    const w = await world({
      onEvent: () => {
        if (failures-- > 0) throw new Error('database is locked');
      },
    });
    w.classRoom.topic('三年级二班家长群（新）').by(w.assistant);
    await vi.waitFor(() => expect(w.lines.some((l) => l.msg.startsWith('WeChat event skipped') && l.event === 'room-topic')).toBe(true));
    w.classRoom.topic('三年级二班家长群（2027 春）').by(w.assistant);
    await vi.waitFor(() => expect(w.events).toEqual([expect.objectContaining({ kind: 'group-seen', groupName: '三年级二班家长群（2027 春）' })]));
    w.parent.say('收到').to(w.classRoom);
    await w.inbox.next();
    expect(w.events.map((e) => e.kind)).toEqual(['group-seen', 'message']);
  });
});
