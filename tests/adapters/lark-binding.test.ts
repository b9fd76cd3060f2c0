/**
 * Groups bound by title on Lark, with the real SDK against the fake Lark: a chat whose title only
 * looks like the staff group's must never receive staff alerts, and two chats with one class
 * group's title bind neither (the staff hear about it once).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { createLogger, type Logger } from '../../src/log.js';
import { botAddedEvent, messageEvent, recalledEvent } from '../fakes/lark/events.js';
import { startLarkBot, type LarkBot } from '../fakes/lark/bot.js';
import { FakeLark, type RecordedRequest } from '../fakes/lark/server.js';

const CLASS = 'oc_class';
const STAFF = 'oc_staff';
const LOOKALIKE = 'oc_outsider';
const WANG_MUM = { id: 'ou_parent_wang', name: '王小明妈妈' };
const OUTSIDER = { id: 'ou_outsider', name: '陌生人' };
const ZHAO_DAD = { id: 'ou_parent_zhao', name: '赵一鸣爸爸' };
const LI = { id: 'ou_teacher_li', name: '李老师' };

const PLAYBOOK = `
id: lark-g3
name: 三年级二班
timezone: Asia/Shanghai
groups:
  - { key: class, platform: lark, name: 三年级二班家长群 }
staff_group: { platform: lark, name: 三年级老师群 }
staff:
  - { name: 李老师, role: assistant, ids: { lark: ${LI.id} } }
  - { name: 王老师, role: head_teacher, ids: { lark: ou_teacher_wang } }
reminders:
  - id: homework
    cron: "0 19 * * 1-5"
    message: 📚 今日作业请按时完成
faq:
  - q: 课表在哪里看
    keywords: [课表]
    answer: 课表在群文件里。
`;

const SAFETY = '孩子在学校被同学欺负了，身上都是伤';

let fake: FakeLark;
let clock: FakeClock;
let playbookDir: string;
let dbPath: string;
let log: Logger;
let logText: string;
const running: LarkBot[] = [];

beforeEach(async () => {
  fake = new FakeLark({ appSecret: 'binding-secret', tokenPrefix: 'binding-token-' });
  await fake.start();
  for (const u of [WANG_MUM, ZHAO_DAD, OUTSIDER, LI]) fake.users.set(u.id, u.name);
  fake.chats.set(CLASS, '三年级二班家长群');
  fake.chats.set(STAFF, '三年级老师群');
  fake.chats.set(LOOKALIKE, '三年级老师群');
  const dir = mkdtempSync(join(tmpdir(), 'classbot-lark-binding-'));
  playbookDir = join(dir, 'playbooks');
  mkdirSync(playbookDir);
  writeFileSync(join(playbookDir, 'g3.yaml'), PLAYBOOK);
  dbPath = join(dir, 'classbot.db');
  clock = new FakeClock(Date.parse('2026-11-23T18:00:00+08:00'));
  logText = '';
  log = createLogger({ level: 'debug', destination: { write: (line: string) => void (logText += line) } });
});

afterEach(async () => {
  for (const r of running.splice(0)) await r.bot.stop();
  await fake.stop();
});

async function start(): Promise<LarkBot> {
  const r = await startLarkBot({ fake, playbookDir, dbPath, clock, log });
  running.push(r);
  return r;
}

let seq = 0;

/** Pushes a group text and waits until the engine has handled it (sends included); returns its message_id. */
async function say(r: LarkBot, sender: { id: string }, chat: string, text: string): Promise<string> {
  const messageId = `om_bind_${++seq}`;
  const handled = r.adapter.nextHandled((m) => m.eventId === messageId);
  await fake.pushEvent(messageEvent({ messageId, chatId: chat, sender: sender.id, content: { text }, mentions: [], createTime: clock.now() }));
  await handled;
  return messageId;
}

/** Pushes a platform event and waits until the engine has handled the event it becomes. */
async function tell(r: LarkBot, payload: object, kind: string): Promise<void> {
  const handled = r.adapter.nextEvent((e) => e.kind === kind);
  await fake.pushEvent(payload);
  await handled;
}

const sentTo = (id: string) => fake.messageRequests().filter((q) => (q.body as { receive_id?: string }).receive_id === id);
const content = (q: RecordedRequest) => String((q.body as { content: string }).content);

describe('Lark: groups bound by title', () => {
  it("an outsider's chat titled like the staff group never gets staff alerts; a staff member's message binds the real one", async () => {
    const r = await start();
    await say(r, OUTSIDER, LOOKALIKE, '你好');
    await say(r, WANG_MUM, CLASS, SAFETY);
    expect(sentTo(LOOKALIKE)).toEqual([]);
    // With no staff group bound yet, the alert goes to each staff member directly.
    const alerts = fake.messageRequests().filter((q) => q.query.receive_id_type === 'open_id');
    expect(alerts.map((q) => (q.body as { receive_id: string }).receive_id)).toEqual([LI.id, 'ou_teacher_wang']);
    for (const a of alerts) expect(content(a)).toContain('跟进 #1｜安全·紧急');

    await say(r, LI, STAFF, '/待办');
    expect(sentTo(STAFF)).toHaveLength(1);
    await say(r, OUTSIDER, LOOKALIKE, '你好');
    await say(r, ZHAO_DAD, CLASS, SAFETY);
    expect(sentTo(STAFF).map(content).filter((c) => c.includes('跟进 #2｜安全·紧急'))).toHaveLength(1);
    expect(sentTo(LOOKALIKE)).toEqual([]);
    expect(r.bot.store.sqlite.prepare(`SELECT chat_id AS chatId FROM groups WHERE group_key = 'staff'`).all()).toEqual([{ chatId: STAFF }]);
  });

  it('two chats with the class group title bind neither, and the staff hear about it once, also after a restart', async () => {
    fake.chats.set('oc_class_copy', '三年级二班家长群');
    let r = await start();
    await say(r, LI, STAFF, '/待办');
    await say(r, WANG_MUM, CLASS, '课表在哪里看？');
    expect(sentTo(CLASS)).toHaveLength(1);
    await say(r, OUTSIDER, 'oc_class_copy', '课表在哪里看？');
    await say(r, WANG_MUM, CLASS, '课表在哪里看？');
    await say(r, OUTSIDER, 'oc_class_copy', '课表在哪里看？');
    expect(sentTo('oc_class_copy')).toEqual([]);
    expect(sentTo(CLASS)).toHaveLength(1);
    const warnings = () => sentTo(STAFF).map(content).filter((c) => c.includes('群名都符合'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain(`id：${CLASS}`);
    expect(warnings()[0]).toContain('id：oc_class_copy');
    expect(logText).toMatch(/"level":40,[^\n]*several chats match a group bound by title/);

    running.splice(0);
    await r.bot.stop();
    r = await start();
    await say(r, WANG_MUM, CLASS, '课表在哪里看？');
    await say(r, OUTSIDER, 'oc_class_copy', '课表在哪里看？');
    expect(sentTo(CLASS)).toHaveLength(1);
    expect(sentTo('oc_class_copy')).toEqual([]);
    expect(warnings()).toHaveLength(1);
  });

  it('the bot added to the class chat binds it by title at once: the 19:00 reminder reaches it though nobody has spoken there', async () => {
    const r = await start();
    await tell(r, botAddedEvent({ chatId: CLASS, name: '三年级二班家长群', createTime: clock.now() }), 'group-seen');
    clock.set(Date.parse('2026-11-23T19:00:00+08:00'));
    await r.bot.tick();
    expect(sentTo(CLASS).map(content)).toEqual([JSON.stringify({ text: '📚 今日作业请按时完成' })]);
  });
});

describe('Lark: safety alerts, urgent notices and recalls end to end', () => {
  it('a safety alert in the staff group is made urgent for the staff it @s; the parent recalling the message is told to the staff', async () => {
    const r = await start();
    await say(r, LI, STAFF, '/待办');
    const worried = await say(r, WANG_MUM, CLASS, SAFETY);
    const alert = fake.posted.find((p) => p.body.receive_id === STAFF && String(p.body.content).includes('跟进 #1｜安全·紧急'));
    expect(alert).toBeDefined();
    const mentioned = [...String(alert!.body.content).matchAll(/<at id=(ou_[a-z_]+)>/g)].map((m) => m[1]);
    expect(mentioned.length).toBeGreaterThan(0);
    expect(fake.urgents).toEqual([{ messageId: alert!.messageId, userIds: mentioned }]);

    await tell(r, recalledEvent({ messageId: worried, chatId: CLASS, recallTime: clock.now() }), 'recalled');
    await r.bot.tick();
    expect(sentTo(STAFF).map(content).filter((c) => c.includes('家长撤回了开这条跟进的消息'))).toHaveLength(1);
    expect(r.bot.store.sqlite.prepare(`SELECT recalled_at AS at FROM messages WHERE event_id = ?`).get(worried)).toEqual({ at: clock.now() });
  });
});
