/**
 * The issue's WeChat scenarios end to end: the real bot (engine, features, SQLite file store,
 * outbox) with the real WechatyAdapter on the real wechaty and wechaty-puppet-mock, no network.
 * Only the platform is faked: the mock plays WeChat (contacts, rooms, message events) and
 * records what the bot account says, which is what the rooms would show. Time is a FakeClock
 * shared by the engine and the adapter; inbound messages carry that clock's time as their
 * WeChat send time, as a live account's messages carry the real time.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { types } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { WechatyAdapter, WECHATY_RATE_LIMITS } from '../../adapters/wechaty/index.js';
import { startBot, type Bot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import { playbookDir } from '../helpers/harness.js';
import { ROOT, runCli, startCli } from '../helpers/cli.js';
import { ManualTimers } from '../helpers/manual-timers.js';

const BOT = { id: 'wxid_bot', name: '班级小助手' };
const WANG = { id: 'wxid_wang', name: '王芳' };
const ZHAO = { id: 'wxid_zhao', name: '赵强' };
const LI = { id: 'wxid_li', name: '李老师' };
const HEAD = { id: 'wxid_head', name: '王老师' };

const CLASS1 = { id: 'g3c2-a@chatroom', topic: '三年级二班家长一群', members: [BOT, WANG, ZHAO, LI] };
const CLASS2 = { id: 'g3c2-b@chatroom', topic: '三年级二班家长二群', members: [BOT, LI] };
const STAFF = { id: 'g3c2-staff@chatroom', topic: '三年级二班助教群', members: [BOT, LI, HEAD] };
const OTHER = { id: 'badminton@chatroom', topic: '四年级羽毛球兴趣群', members: [BOT, WANG] };
const MISSING_TOPIC = '三年级二班家长三群';

/** 2026-11-23 is a Monday, a school day. */
const at = (hhmm: string) => Date.parse(`2026-11-23T${hhmm}:00+08:00`);

/** A WeChat class: class rooms bound by topic, the staff room and staff by id, a check-in game, a 19:00 reminder, FAQ, follow-ups. */
const CLASS_PLAYBOOK = `
id: wx-g3-class2
name: 三年级二班
timezone: Asia/Shanghai
groups:
  - { key: class, platform: wechaty, name: ${CLASS1.topic} }
  - { key: class_b, platform: wechaty, name: ${CLASS2.topic} }
  - { key: class_c, platform: wechaty, name: ${MISSING_TOPIC} }
staff_group: { platform: wechaty, id: ${STAFF.id}, name: ${STAFF.topic} }
staff:
  - { name: 李老师, role: assistant, ids: { wechaty: ${LI.id} } }
  - { name: 王老师, role: head_teacher, ids: { wechaty: ${HEAD.id} } }
quiet_hours: { start: "21:30", end: "07:00" }
reminders:
  - id: homework
    cron: "0 19 * * 1-5"
    message: "📚 {date} {weekday} 今日作业：{homework}\\n完成后拍照发到群里，{assistant}会逐一查看～"
homework:
  周一: 语文：抄写第 12 课生字两遍；数学：口算练习第 18 页
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [打卡] }
    window: { start: "06:00", end: "21:30" }
    require: { number: 阅读时长, units: [分钟, 分], min: 5, max: 180, example: 打卡 20分钟 }
faq:
  - q: 课表在哪里看
    keywords: [课表]
    answer: 本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～
followups:
  escalation: [李老师, 王老师]
`;

interface RoomSpec {
  id: string;
  topic: string;
  members: { id: string; name: string }[];
}

interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/** What the bot account said, as the mock records it, with the fake time it was said at. */
interface Said {
  at: number;
  roomId?: string;
  listenerId?: string;
  text: string;
}

const running: Bot[] = [];
afterEach(async () => {
  for (const b of running.splice(0)) await b.stop();
});

const waitFor = <T>(check: () => T) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

/**
 * WeChat as the mock plays it (these contacts and rooms, the bot account logged in) with the
 * bot started on `dbPath`. The same ids on a new world are the same WeChat after a restart.
 */
async function wechat(opts: { files: Record<string, string> | string; dbPath: string; now: number; rooms: RoomSpec[]; unlisted?: RoomSpec[]; login?: boolean }) {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  /** Rooms of the account that the puppet's room list lacks, as real puppets' lists do after login (wechaty #1648, #1689). */
  const unlisted = new Set((opts.unlisted ?? []).map((r) => r.id));
  const roomList = puppet.roomList.bind(puppet);
  let listHeld: Promise<void> | undefined;
  const listing = vi.spyOn(puppet, 'roomList').mockImplementation(async () => {
    await listHeld;
    return (await roomList()).filter((id) => !unlisted.has(id));
  });
  /** WeChat slow to list the rooms (a real puppet asks its server) until the returned release is called. */
  const holdRoomList = () => {
    let release: () => void = () => {};
    listHeld = new Promise((resolve) => (release = resolve));
    return () => {
      listHeld = undefined;
      release();
    };
  };
  const listings = () => listing.mock.calls.length;
  const people = new Map<string, ReturnType<typeof mocker.createContact>>();
  const person = (m: { id: string; name: string }) => {
    if (!people.has(m.id)) people.set(m.id, mocker.createContact(m));
    return people.get(m.id)!;
  };
  const rooms = new Map<string, ReturnType<typeof mocker.createRoom>>();
  /** A room of the account, with its members: at the start, or later (one the room list lacked). */
  const addRoom = (r: RoomSpec) => {
    for (const m of r.members) person(m);
    rooms.set(r.id, mocker.createRoom({ id: r.id, topic: r.topic, memberIdList: r.members.map((m) => m.id) }));
    return rooms.get(r.id)!;
  };
  for (const room of [...opts.rooms, ...(opts.unlisted ?? [])]) addRoom(room);

  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  const clock = new FakeClock(opts.now);
  const timers = new ManualTimers();
  const adapter = new WechatyAdapter({ puppet, log: log.child({ platform: 'wechaty' }), clock, timers, qrOutput: new PassThrough() });

  const said: Said[] = [];
  /** Messages this test made up (the bot account's included): not what the bot said. */
  const madeUp = new Set<string>();
  puppet.on('message', ({ messageId }) => {
    const p = mocker.messagePayload(messageId) as { talkerId: string; roomId?: string; listenerId?: string; text?: string };
    if (p.talkerId !== BOT.id || madeUp.has(messageId)) return;
    said.push({ at: clock.now(), ...(p.roomId ? { roomId: p.roomId } : {}), ...(p.listenerId ? { listenerId: p.listenerId } : {}), text: p.text ?? '' });
  });

  const playbooks = typeof opts.files === 'string' ? opts.files : playbookDir(opts.files);
  const bot = await startBot({ playbookDir: playbooks, dbPath: opts.dbPath, adapters: [adapter], clock, log, watch: false, autoTick: false });
  running.push(bot);

  const login = async () => {
    const done = new Promise<void>((resolve) => adapter.wechaty!.once('login', () => resolve()));
    mocker.login(people.get(BOT.id)!);
    await done;
  };
  if (opts.login !== false) await login();

  let seq = 0;
  /**
   * A member's text message as WeChat delivers it: in a room (with the ids of those @-mentioned)
   * or to the bot directly, sent at the fake clock's time. Returns its message id.
   */
  const say = (from: { id: string }, text: string, where: RoomSpec | { id: string }, o: { mentions?: { id: string }[]; id?: string } = {}): string => {
    const id = o.id ?? `wxmsg-${opts.now}-${++seq}`;
    const inRoom = rooms.has(where.id);
    madeUp.add(id);
    mocker.MessageMock.create({
      id,
      talkerId: from.id,
      type: types.Message.Text,
      text,
      timestamp: clock.now(),
      ...(inRoom ? { roomId: where.id, mentionIdList: (o.mentions ?? []).map((m) => m.id) } : { listenerId: where.id }),
    } as never);
    puppet.emit('message', { messageId: id });
    return id;
  };
  /** WeChat delivering a message it already delivered. */
  const redeliver = (id: string) => puppet.emit('message', { messageId: id });

  /** Moves the fake clock in steps, ticking the bot at each (its scheduler and outbox run on ticks). */
  const advance = async (ms: number, step = 1_000) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      clock.advance(Math.min(step, end - clock.now()));
      await bot.tick();
    }
  };

  const outbox = () =>
    bot.store.sqlite.prepare('SELECT id, target_id AS targetId, status, attempts, cause, last_error AS lastError FROM outbox ORDER BY id').all() as {
      id: number;
      targetId: string;
      status: string;
      attempts: number;
      cause: string;
      lastError: string | null;
    }[];

  return { mocker, puppet, adapter, bot, clock, timers, lines, said, say, redeliver, advance, login, outbox, playbooks, person, rooms, addRoom, unlisted, holdRoomList, listings };
}

type World = Awaited<ReturnType<typeof wechat>>;

/** Waits until the bot has bound every group whose room exists (resolveGroups runs after login). */
/**
 * Waits until the rooms are bound. A missing room is reported to the staff room once a day (so not
 * again after a same-day restart: `reported`); the scenarios then set that notice aside.
 */
async function bound(w: World, stillUnbound: string[] = [], reported = stillUnbound) {
  await waitFor(() => expect(w.bot.engine.router.unbound('wechaty').map((r) => r.group.name)).toEqual(stillUnbound));
  const notices = () => w.said.filter((s) => s.text.startsWith('⚠️ 没有找到群'));
  await waitFor(async () => {
    // The staff room gets one message per 3 s: after the first notice, time moves on for the next.
    if (notices().length > 0 && notices().length < reported.length) await w.advance(WECHATY_RATE_LIMITS.perTarget.windowMs);
    expect(notices().map((s) => s.text)).toEqual(reported.map((t) => expect.stringContaining(`没有找到群“${t}”`)));
  });
  for (const n of notices()) w.said.splice(w.said.indexOf(n), 1);
}

const tmpDb = () => join(mkdtempSync(join(tmpdir(), 'classbot-wx-')), 'bot.db');
const roomOf = (w: World, room: RoomSpec) => w.said.filter((s) => s.roomId === room.id).map((s) => s.text);
const checkins = (w: World) => (w.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM checkins').get() as { n: number }).n;
const messageRows = (w: World) => (w.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;

describe('a class on WeChat, through the real engine', () => {
  it('check-in, a question to the bot, a worried parent and staff commands show up in the right rooms with the right @names', async () => {
    const w = await wechat({ files: { 'g3.yaml': CLASS_PLAYBOOK }, dbPath: tmpDb(), now: at('18:30'), rooms: [CLASS1, CLASS2, STAFF, OTHER] });
    await bound(w, [MISSING_TOPIC]);

    // The bot's replies to one room are paced (one per 3 s): each exchange starts a few seconds later.
    w.clock.advance(5_000);
    w.say(WANG, '打卡 20分钟', CLASS1);
    await waitFor(() => expect(roomOf(w, CLASS1)).toEqual(['@王芳 ✅ 晨读打卡成功（20分钟）！今天全班已有 1 人打卡，你已连续打卡 1 天。']));

    w.clock.advance(5_000);
    w.say(WANG, '@班级小助手 课表在哪里看？', CLASS1, { mentions: [BOT] });
    await waitFor(() => expect(roomOf(w, CLASS1)).toHaveLength(2));
    expect(roomOf(w, CLASS1)[1]).toBe('@王芳 本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～');

    w.clock.advance(5_000);
    w.say(ZHAO, '孩子最近作业写到十一点，跟不上，好焦虑', CLASS1);
    await waitFor(() => expect(roomOf(w, STAFF)).toHaveLength(1));
    await waitFor(() => expect(roomOf(w, CLASS1)).toHaveLength(3));
    expect(roomOf(w, CLASS1)[2]).toBe('@赵强 理解您的着急🙏 李老师稍后私信联系您，一起看看怎么帮孩子。');
    const alert = roomOf(w, STAFF)[0]!.split('\n');
    expect(alert[0]).toBe('@李老师 🔔 跟进 #1｜学习·中');
    expect(alert).toContain(`班级：三年级二班 · ${CLASS1.topic}`);
    expect(alert).toContain('家长：赵强');
    expect(alert).toContain('消息：孩子最近作业写到十一点，跟不上，好焦虑');
    // No cards on WeChat: the alert's buttons are written out as the commands to type.
    expect(alert.slice(-3)).toEqual(['· 认领：发送「/认领 1」', '· 解决：发送「/解决 1」', '· 误报：发送「/误报 1」']);

    // The assistant @-mentions the parent in the class room (WeChat's mention ids, not the text): the first response.
    w.clock.advance(5_000);
    w.say(LI, '@赵强 赵爸爸您好，我马上私信您', CLASS1, { mentions: [ZHAO] });
    await waitFor(() => expect(messageRows(w)).toBe(4));
    const followup = () => w.bot.store.sqlite.prepare('SELECT status, assignee, first_response_at AS responded FROM followups WHERE id = 1').get();
    expect(followup()).toEqual({ status: 'open', assignee: '李老师', responded: w.clock.now() });
    w.clock.advance(5_000);
    w.say(LI, '/认领 1', STAFF);
    await waitFor(() => expect(roomOf(w, STAFF)).toHaveLength(2));
    expect(roomOf(w, STAFF)[1]).toMatch(/^✅ 李老师 认领了跟进 #1（赵强），请在 .+ 前解决。$/);
    expect(followup()).toEqual({ status: 'claimed', assignee: '李老师', responded: w.clock.now() - 5_000 });

    w.clock.advance(5_000);
    w.say(LI, '/未打卡', STAFF);
    await waitFor(() => expect(roomOf(w, STAFF)).toHaveLength(3));
    expect(roomOf(w, STAFF)[2]).toMatch(new RegExp(`^📋 ${CLASS1.topic}·晨读（.+）还有 1/2 人未打卡：赵强\\n`));

    // A parent may not use staff commands: a polite refusal in the room, nothing in the staff room.
    w.clock.advance(5_000);
    w.say(WANG, '/未打卡', CLASS1);
    await waitFor(() => expect(roomOf(w, CLASS1)).toHaveLength(4));
    expect(roomOf(w, CLASS1)[3]).not.toMatch(/未打卡：/);
    expect(roomOf(w, STAFF)).toHaveLength(3);

    // A room outside every playbook is none of the bot's business.
    w.say(WANG, '周六上午羽毛球课改到 10 点，打卡 20分钟', OTHER);
    w.clock.advance(5_000);
    w.say(ZHAO, '打卡 15分钟', CLASS1);
    await waitFor(() => expect(roomOf(w, CLASS1)).toHaveLength(5));
    expect(roomOf(w, CLASS1)[4]).toMatch(/^@赵强 ✅ 晨读打卡成功（15分钟）！今天全班已有 2 人打卡/);
    expect(roomOf(w, OTHER)).toEqual([]);

    // Staff may also work from a direct chat with the bot account.
    w.say(LI, '跟进列表', BOT);
    await waitFor(() => expect(w.said.filter((s) => s.listenerId === LI.id)).toHaveLength(1));
    expect(w.said.at(-1)!.text).toMatch(/^待处理的跟进（1）：\n#1 .*赵强/);
    expect(w.outbox().every((r) => r.status === 'sent')).toBe(true);
  });

  it('the 19:00 reminder reaches both class rooms once each, including one nobody has posted in; a room that does not exist is reported', async () => {
    const w = await wechat({ files: { 'g3.yaml': CLASS_PLAYBOOK }, dbPath: tmpDb(), now: at('18:59'), rooms: [CLASS1, CLASS2, STAFF] });
    await bound(w, [MISSING_TOPIC]);
    const found = w.lines.find((l) => /^WeChat groups: 2 of 3 found/.test(l.msg));
    expect(found?.found).toEqual(expect.arrayContaining([expect.objectContaining({ roomId: CLASS2.id, topic: CLASS2.topic })]));
    expect(w.lines.filter((l) => l.level === 40 && l.msg.startsWith('WeChat group not found')).map((l) => l.group)).toEqual([`topic "${MISSING_TOPIC}"`]);
    // The learned ids are stored, for a restart before anyone posts.
    expect(w.bot.store.sqlite.prepare(`SELECT chat_id AS id FROM groups WHERE playbook_id = 'wx-g3-class2' ORDER BY chat_id`).all()).toEqual(
      [CLASS1.id, CLASS2.id].sort().map((id) => ({ id })),
    );

    await w.bot.tick();
    expect(w.said).toEqual([]);
    await w.advance(2 * 60_000);
    const reminder = '📚 11月23日 周一 今日作业：语文：抄写第 12 课生字两遍；数学：口算练习第 18 页\n完成后拍照发到群里，李老师会逐一查看～';
    expect(roomOf(w, CLASS1)).toEqual([reminder]);
    expect(roomOf(w, CLASS2)).toEqual([reminder]);
    expect(w.said.every((s) => s.at === at('19:00'))).toBe(true);
    const fires = w.bot.store.sqlite.prepare(`SELECT group_key AS g, status FROM schedule_fires WHERE job_id = 'reminder:homework' ORDER BY group_key`).all();
    expect(fires).toEqual([{ g: 'class', status: 'sent' }, { g: 'class_b', status: 'sent' }, { g: 'class_c', status: 'no_target' }]);

    await w.advance(10 * 60_000, 60_000);
    expect(w.said).toHaveLength(2);
  });

  it('a burst to 50 rooms, with parents asking in one of them at the same moment, keeps within the per-room and global budgets and reaches everyone once', async () => {
    const CHEN = { id: 'wxid_chen', name: '陈敏' };
    const parents = [WANG, ZHAO, CHEN];
    const rooms: RoomSpec[] = Array.from({ length: 50 }, (_, i) => ({
      id: `sun-${String(i + 1).padStart(2, '0')}@chatroom`,
      topic: `阳光小学${i + 1}班家长群`,
      members: i === 0 ? [BOT, LI, ...parents] : [BOT, LI],
    }));
    const district = `
id: sunshine
name: 阳光小学
groups:
${rooms.map((r, i) => `  - { key: c${i + 1}, platform: wechaty, name: ${r.topic} }`).join('\n')}
staff:
  - { name: 李老师, role: assistant, ids: { wechaty: ${LI.id} } }
reminders:
  - { id: evening, cron: "0 19 * * *", message: 今晚 20:00 直播课，请提前进入教室～ }
faq:
  - { q: 课表, keywords: [课表], answer: 课表在群公告里～ }
`;
    const w = await wechat({ files: { 'sunshine.yaml': district }, dbPath: tmpDb(), now: at('18:59'), rooms });
    await bound(w);
    await w.advance(60_000, 60_000);
    expect(w.said.length).toBeGreaterThan(0);
    for (const p of parents) w.say(p, '请问这周的课表在哪里？', rooms[0]!);
    await waitFor(() => expect(messageRows(w)).toBe(parents.length));
    await w.advance(10 * 60_000);

    const reminders = w.said.filter((s) => s.text === '今晚 20:00 直播课，请提前进入教室～');
    expect(reminders.map((s) => s.roomId).sort()).toEqual(rooms.map((r) => r.id));
    expect(roomOf(w, rooms[0]!).filter((t) => t !== reminders[0]!.text).sort()).toEqual(parents.map((p) => `@${p.name} 课表在群公告里～`).sort());
    expect(w.said).toHaveLength(50 + parents.length);
    const { perTarget } = WECHATY_RATE_LIMITS;
    const global = WECHATY_RATE_LIMITS.global![0];
    // Every window of a budget's length holds at most `max` sends (the budgets' windows are half-open).
    const times = w.said.map((s) => s.at);
    for (let i = 0; i + global!.max < times.length; i++) expect(times[i + global!.max]! - times[i]!).toBeGreaterThanOrEqual(global!.windowMs);
    for (const room of rooms) {
      const mine = w.said.filter((s) => s.roomId === room.id).map((s) => s.at);
      for (let i = 0; i + perTarget.max < mine.length; i++) expect(mine[i + perTarget.max]! - mine[i]!).toBeGreaterThanOrEqual(perTarget.windowMs);
    }
    // Paced, not stalled: all within the windows the global budget needs for this many sends.
    expect(times.at(-1)! - at('19:00')).toBeLessThan(Math.ceil(w.said.length / global!.max) * global!.windowMs);
    expect(w.outbox().every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('a send WeChat keeps refusing is retried, then recorded as failed and listed by classbot outbox list --failed', async () => {
    const dbPath = tmpDb();
    const w = await wechat({ files: { 'g3.yaml': CLASS_PLAYBOOK }, dbPath, now: at('18:59'), rooms: [CLASS1, CLASS2, STAFF] });
    await bound(w, [MISSING_TOPIC]);
    const original = w.puppet.messageSendText.bind(w.puppet);
    const attempts: number[] = [];
    vi.spyOn(w.puppet, 'messageSendText').mockImplementation(async (conversationId: string, text: string) => {
      if (conversationId !== CLASS2.id) return original(conversationId, text);
      attempts.push(w.clock.now());
      throw new Error('mock: 消息发送失败，请检查网络');
    });

    await w.advance(5 * 60_000);
    expect(roomOf(w, CLASS1)).toHaveLength(1);
    expect(roomOf(w, CLASS2)).toEqual([]);
    expect(attempts).toHaveLength(6);
    // Backing off: each wait at least as long as the one before.
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    expect(gaps[0]).toBeGreaterThan(0);
    const failed = w.outbox().filter((r) => r.status === 'failed');
    expect(failed).toEqual([expect.objectContaining({ targetId: CLASS2.id, attempts: 6, cause: 'reminder', lastError: 'mock: 消息发送失败，请检查网络' })]);
    expect(w.lines.some((l) => l.level === 50 && l.msg.startsWith('message failed for good') && l.target === CLASS2.id)).toBe(true);

    const cli = runCli(['outbox', 'list', '--failed', '--db', dbPath]);
    expect(cli.status).toBe(0);
    expect(cli.lines).toHaveLength(2);
    expect(cli.lines[0]).toMatch(new RegExp(`^#${failed[0]!.id} 失败 wechaty:群:${CLASS2.id} .* 尝试6次 \\[reminder\\] 📚 11月23日 周一 今日作业`));
    expect(cli.lines[1]).toBe('    错误：mock: 消息发送失败，请检查网络');
  });

  it("redelivered messages, also after a restart on the same database, and the bot account's own messages change nothing", async () => {
    const dbPath = tmpDb();
    const files = playbookDir({ 'g3.yaml': CLASS_PLAYBOOK });
    const rooms = [CLASS1, CLASS2, STAFF];
    const w = await wechat({ files, dbPath, now: at('18:30'), rooms });
    await bound(w, [MISSING_TOPIC]);

    const checkinId = w.say(WANG, '打卡 20分钟', CLASS1);
    await waitFor(() => expect(roomOf(w, CLASS1)).toHaveLength(1));
    w.clock.advance(5_000);
    const worriedId = w.say(ZHAO, '孩子在学校被同学欺负了，身上都是伤', CLASS1);
    await waitFor(() => expect(roomOf(w, STAFF)).toHaveLength(1));
    await waitFor(() => expect(roomOf(w, CLASS1)).toHaveLength(2));
    const before = { said: w.said.length, checkins: checkins(w), messages: messageRows(w), followups: w.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM followups').get() };
    expect(before.checkins).toBe(1);

    // WeChat delivers both again, and the bot account itself (someone on the phone) posts a check-in and a worry.
    w.clock.advance(5_000);
    w.redeliver(checkinId);
    w.redeliver(worriedId);
    w.say(BOT, '打卡 30分钟', CLASS1);
    w.say(BOT, '孩子在学校被同学欺负了，身上都是伤', CLASS1);
    w.clock.advance(5_000);
    // A fresh message afterwards: once it is answered, everything before it has been handled.
    w.say(LI, '/跟进', STAFF);
    await waitFor(() => expect(roomOf(w, STAFF)).toHaveLength(2));
    expect(w.said).toHaveLength(before.said + 1);
    expect(checkins(w)).toBe(1);
    expect(messageRows(w)).toBe(before.messages + 1);
    expect(w.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM followups').get()).toEqual(before.followups);
    expect(w.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM members WHERE user_id = ?`).get(BOT.id)).toEqual({ n: 0 });

    // Restart: a new process on the same database file, the same WeChat account and rooms.
    await w.bot.stop();
    running.splice(running.indexOf(w.bot), 1);
    const again = await wechat({ files, dbPath, now: w.clock.now() + 60_000, rooms });
    await bound(again, [MISSING_TOPIC], []);
    const echo = (id: string, from: { id: string }, text: string) => again.say(from, text, CLASS1, { id });
    echo(checkinId, WANG, '打卡 20分钟');
    echo(worriedId, ZHAO, '孩子在学校被同学欺负了，身上都是伤');
    again.say(LI, '/跟进', STAFF);
    await waitFor(() => expect(roomOf(again, STAFF)).toHaveLength(1));
    expect(again.said).toHaveLength(1);
    expect(roomOf(again, STAFF)[0]).toMatch(/#1/);
    expect(checkins(again)).toBe(1);
    expect(messageRows(again)).toBe(before.messages + 2);
    expect(again.bot.store.sqlite.prepare('SELECT COUNT(*) AS n FROM followups').get()).toEqual(before.followups);
  });
});

describe('a quoted reply on WeChat', () => {
  it("is read as the reply alone: a quoted worry opens no follow-up, the question after it is answered", async () => {
    const w = await wechat({ files: { 'g3.yaml': CLASS_PLAYBOOK }, dbPath: tmpDb(), now: at('18:30'), rooms: [CLASS1, CLASS2, STAFF] });
    await bound(w, [MISSING_TOPIC]);
    w.clock.advance(5_000);
    const quote = '「王芳：孩子在学校被同学欺负了，身上都是伤」\n- - - - - - - - - - - - - - -\n';
    w.say(ZHAO, `${quote}@班级小助手 课表在哪里看？`, CLASS1, { mentions: [BOT] });
    await waitFor(() => expect(roomOf(w, CLASS1)).toEqual(['@赵强 本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～']));
    w.clock.advance(5_000);
    // Only a quote, no words of his own: nothing to answer.
    w.say(ZHAO, quote, CLASS1);
    w.clock.advance(5_000);
    w.say(LI, '/跟进', STAFF);
    await waitFor(() => expect(roomOf(w, STAFF)).toHaveLength(1));
    expect(roomOf(w, STAFF)[0]).not.toMatch(/#1/);
    expect(w.bot.store.sqlite.prepare('SELECT COUNT(*) FROM followups').pluck().get()).toBe(0);
    expect(w.bot.store.sqlite.prepare(`SELECT text FROM messages WHERE chat_type = 'group' ORDER BY id`).pluck().all()).toEqual(['课表在哪里看？', '', '/跟进']);
    expect(roomOf(w, CLASS1)).toHaveLength(1);
  });
});

describe('a room list that arrives late', () => {
  const REMINDER = '📚 11月23日 周一 今日作业：语文：抄写第 12 课生字两遍；数学：口算练习第 18 页\n完成后拍照发到群里，李老师会逐一查看～';
  const CLASS3 = { id: 'g3c2-c@chatroom', topic: MISSING_TOPIC, members: [BOT, LI] };
  const chatOf = (w: World, key: string) => {
    const pb = w.bot.engine.playbooks[0]!;
    return w.bot.engine.router.chatIdOf(pb, pb.groups.find((g) => g.key === key)!);
  };

  it('binds class rooms missing from the list at login once the puppet is ready, or at the next look-up, and reminds them at 19:00', async () => {
    const w = await wechat({ files: { 'g3.yaml': CLASS_PLAYBOOK }, dbPath: tmpDb(), now: at('18:50'), rooms: [CLASS1, STAFF], unlisted: [CLASS2, CLASS3] });
    await bound(w, [CLASS2.topic, MISSING_TOPIC]);

    w.unlisted.delete(CLASS2.id);
    w.puppet.emit('ready', { data: 'synced' });
    await waitFor(() => expect(w.bot.engine.router.unbound('wechaty').map((r) => r.group.name)).toEqual([MISSING_TOPIC]));
    w.unlisted.delete(CLASS3.id);
    expect(w.timers.fire()).toBe(30_000);
    await waitFor(() => expect(w.bot.engine.router.unbound('wechaty')).toEqual([]));
    expect([chatOf(w, 'class_b'), chatOf(w, 'class_c')]).toEqual([CLASS2.id, CLASS3.id]);

    await w.advance(at('19:00') - w.clock.now(), 60_000);
    await w.advance(60_000);
    // The staff were told of the missing rooms once (that day), and nothing more.
    expect(w.said.filter((s) => s.text.startsWith('⚠️'))).toEqual([]);
    expect([CLASS1, CLASS2, CLASS3].map((r) => roomOf(w, r))).toEqual([[REMINDER], [REMINDER], [REMINDER]]);
    expect(w.said.every((s) => s.at === at('19:00'))).toBe(true);
  });

  it("answers the first message of a room the list lacked, in that room; look-alike rooms that appear late bind neither", async () => {
    const w = await wechat({ files: { 'g3.yaml': CLASS_PLAYBOOK }, dbPath: tmpDb(), now: at('18:30'), rooms: [CLASS1, STAFF] });
    await bound(w, [CLASS2.topic, MISSING_TOPIC]);

    // A room the list never shows: its first message shows it.
    w.addRoom({ ...CLASS2, members: [BOT, LI, ZHAO] });
    w.unlisted.add(CLASS2.id);
    w.clock.advance(5_000);
    const release = w.holdRoomList();
    const before = w.listings();
    w.say(ZHAO, '打卡 20分钟', CLASS2);
    // The look-up its message starts is slow to answer: the message waits for it.
    await waitFor(() => expect(w.listings()).toBe(before + 1));
    release();
    await waitFor(() => expect(roomOf(w, CLASS2)).toEqual([expect.stringMatching(/^@赵强 ✅ 晨读打卡成功（20分钟）！/)]));
    expect(chatOf(w, 'class_b')).toBe(CLASS2.id);

    const copies = [{ ...CLASS3, members: [BOT, WANG] }, { ...CLASS3, id: 'g3c2-c-copy@chatroom', members: [BOT, WANG] }];
    for (const c of copies) w.addRoom(c);
    w.clock.advance(5_000);
    w.say(WANG, '打卡 25分钟', copies[0]!);
    await waitFor(() => expect(w.lines.some((l) => l.msg === 'message outside any playbook ignored' && l.groupId === copies[0]!.id)).toBe(true));
    const miss = w.lines.filter((l) => l.msg === `WeChat group not found: topic "${MISSING_TOPIC}"`).at(-1)!;
    expect((miss.candidates as { id: string }[]).map((r) => r.id)).toEqual(copies.map((c) => c.id));
    expect(chatOf(w, 'class_c')).toBeNull();
    await w.advance(10_000);
    expect(copies.map((c) => roomOf(w, c))).toEqual([[], []]);
  });

  it("keeps a renamed class room bound by its id, and records people joining and leaving it in the group's members", async () => {
    const w = await wechat({ files: { 'g3.yaml': CLASS_PLAYBOOK }, dbPath: tmpDb(), now: at('18:30'), rooms: [CLASS1, CLASS2, STAFF] });
    await bound(w, [MISSING_TOPIC]);
    const renamed = '三年级二班家长一群（2027 春）';
    w.rooms.get(CLASS1.id)!.topic(renamed).by(w.person(LI));
    const titleOf = () => w.bot.store.sqlite.prepare('SELECT name FROM groups WHERE chat_id = ?').pluck().get(CLASS1.id);
    await waitFor(() => expect(titleOf()).toBe(renamed));
    expect(chatOf(w, 'class')).toBe(CLASS1.id);
    w.clock.advance(5_000);
    w.say(WANG, '打卡 20分钟', CLASS1);
    await waitFor(() => expect(roomOf(w, CLASS1)).toEqual([expect.stringMatching(/^@王芳 ✅ 晨读打卡成功（20分钟）！/)]));
    // The next look-up still finds it by the title in the playbook: no "group not found" for the staff.
    w.timers.fire();
    await waitFor(() => expect(w.lines.filter((l) => /^WeChat groups: 2 of 3 found/.test(l.msg))).toHaveLength(2));
    await w.advance(10_000);
    expect(chatOf(w, 'class')).toBe(CLASS1.id);
    expect(w.said.filter((s) => s.text.startsWith('⚠️'))).toEqual([]);

    const members = () =>
      w.bot.store.sqlite
        .prepare(`SELECT m.user_id AS id, m.name, gm.role, gm.left_at AS leftAt FROM group_members gm JOIN members m ON m.id = gm.member_id JOIN groups g ON g.id = gm.group_id WHERE g.chat_id = ? ORDER BY m.user_id`)
        .all(CLASS1.id);
    const CHEN = { id: 'wxid_chen', name: '陈敏' };
    w.clock.advance(60_000);
    w.rooms.get(CLASS1.id)!.add(w.person(CHEN)).by(w.person(LI));
    await waitFor(() => expect(members()).toHaveLength(2));
    const leftAt = w.clock.advance(60_000) ?? w.clock.now();
    w.rooms.get(CLASS1.id)!.remove(w.person(WANG)).by(w.person(LI));
    await waitFor(() => expect(members()).toEqual([
      { id: CHEN.id, name: CHEN.name, role: 'parent', leftAt: null },
      { id: WANG.id, name: WANG.name, role: 'parent', leftAt },
    ]));
  });
});

describe('the staff room on WeChat, bound by its title', () => {
  it("is bound by a staff member's message there, never by its title alone: a look-alike room gets no alert", async () => {
    const lookalike = { id: 'copycat@chatroom', topic: STAFF.topic, members: [BOT, WANG] };
    const playbook = CLASS_PLAYBOOK.replace(`id: ${STAFF.id}, `, '').replace(`  - { key: class_c, platform: wechaty, name: ${MISSING_TOPIC} }\n`, '');
    const w = await wechat({ files: { 'g3.yaml': playbook }, dbPath: tmpDb(), now: at('18:30'), rooms: [CLASS1, CLASS2, lookalike, STAFF] });
    await bound(w, [STAFF.topic], []);

    w.clock.advance(5_000);
    w.say(WANG, '你好', lookalike);
    w.say(ZHAO, '孩子在学校被同学欺负了，身上都是伤', CLASS1);
    // No staff room yet: the alert goes to each staff member directly.
    await waitFor(() => expect(w.said.filter((s) => s.listenerId === LI.id || s.listenerId === HEAD.id)).toHaveLength(2));
    expect(w.said.find((s) => s.listenerId === LI.id)!.text).toContain('🚨 跟进 #1｜安全·紧急');

    w.clock.advance(5_000);
    w.say(LI, '/待办', STAFF);
    await waitFor(() => expect(roomOf(w, STAFF)).toHaveLength(1));
    expect(w.bot.engine.router.unbound('wechaty')).toEqual([]);
    w.clock.advance(5_000);
    w.say(WANG, '孩子说有同学打他，现在不敢去学校了', CLASS1);
    await waitFor(() => expect(roomOf(w, STAFF).filter((t) => t.includes('跟进 #2｜安全·紧急'))).toHaveLength(1));
    expect(roomOf(w, lookalike)).toEqual([]);
  });
});

describe('npm start with WECHATY_PUPPET', () => {
  it('starts the WeChat adapter instead of the console, logs that it waits for the login, and stops on SIGTERM', async () => {
    // Exactly what `npm start` runs: node, its flags, adapters/cli.js run.
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
    expect(start[0]).toBe('node');
    expect(start.slice(-2)).toEqual(['adapters/cli.js', 'run']);
    const dir = mkdtempSync(join(tmpdir(), 'classbot-wx-run-'));
    const playbooks = playbookDir({ 'g3.yaml': CLASS_PLAYBOOK });
    const { child, output, exited } = startCli(['run', '--playbooks', playbooks, '--db', join(dir, 'bot.db')], {
      TZ: 'UTC',
      WECHATY_PUPPET: 'wechaty-puppet-mock',
      WECHATY_NAME: join(dir, 'wechaty'),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    });
    const logged = () =>
      output.stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine);
    try {
      await vi.waitFor(() => expect(logged().some((l) => l.msg === 'classbot running')).toBe(true), { timeout: 60_000, interval: 100 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const lines = logged();
    expect(lines.find((l) => l.msg === 'classbot running')).toMatchObject({ platforms: ['wechaty'], playbooks: ['wx-g3-class2'] });
    expect(lines.find((l) => l.msg === 'WeChat adapter started')).toMatchObject({ platform: 'wechaty', puppet: 'wechaty-puppet-mock' });
    expect(lines.find((l) => l.msg === 'adapter started')).toMatchObject({ platform: 'wechaty', status: { state: 'starting', detail: expect.stringMatching(/log in|登录/) } });
    expect(lines.some((l) => l.msg === 'stopping')).toBe(true);
    // The console did not run: it would have printed its banner on standard output.
    expect(output.stdout).toBe('');
  });
});
