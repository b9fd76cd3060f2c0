/**
 * Erasure down to the bytes: a parent who checks in, asks, worries (a follow-up with staff notes,
 * alerts quoting her) and is @-ed by reminders is forgotten (or her texts expire), and then the
 * database, WAL and shm files are scanned for her name, platform id and texts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../src/model.js';
import { HOUR } from '../src/time.js';
import { runCli } from './helpers/cli.js';
import { classPlaybook, FAQ_BLOCK, playbookDir, testBot, type TestBot } from './helpers/harness.js';

const ZHOU = { id: 'wxid_zhou7f3a9', name: '周妈妈' };
const LI = { id: 'li', name: '李老师' };
const IN_STAFF = { groupId: 'staff-1', groupName: '老师群' };
/** Her name, her platform id, and fragments of her messages and of a staff note about her. */
const HERS = [ZHOU.name, ZHOU.id, '小宇', '十点才睡', '作业写到十一点', '好焦虑', '调座位'];

/** The morning digest of follow-ups, reworded by the school to quote each parent's message. */
const DIGEST_QUOTES = 'messages:\n  followup_digest_item: "#{id} {parent}：{message}"\n';

const playbook = (extra = '') =>
  classPlaybook(`
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [晨读打卡] }
reminders:
  - id: nag
    cron: "30 20 * * *"
    mention: not_checked_in
    message: "还没晨读打卡：{not_checked_in}"
${FAQ_BLOCK}${extra}`);

/** Reads the files and prints which needles occur in them (UTF-8 bytes), one per line. */
const SCAN = `const fs = require('node:fs');
const [files, needles] = JSON.parse(process.argv[1]);
const contents = files.filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
for (const n of needles) if (contents.some((b) => b.indexOf(Buffer.from(n, 'utf8')) >= 0)) console.log(n);`;

/**
 * Which of `needles` occur, as bytes, in the database, WAL and shm files. Read by another process:
 * closing a file this process opened would drop the running bot's POSIX locks on the database.
 */
function inFiles(dbPath: string, needles: string[]): string[] {
  const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`];
  const r = spawnSync(process.execPath, ['-e', SCAN, JSON.stringify([files, needles])], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * Monday 18:00: she asks the bot, writes something worried after a first message (the alert quotes
 * it as 此前消息), opts out of the leaderboard; a teacher notes and answers her; the 20:30 reminder
 * @-s her. Tuesday morning she checks in. Returns her first message (to redeliver).
 */
async function classWithZhou(t: TestBot): Promise<InboundMessage> {
  await t.say('李爸爸', '晨读打卡');
  const first = await t.say(ZHOU, '小宇昨晚十点才睡');
  await t.say(ZHOU, '课表在哪？', { addressed: true });
  await t.say(ZHOU, '小宇最近作业写到十一点，跟不上，好焦虑');
  await t.say(ZHOU, '/不参与排行');
  await t.say(LI, '/备注 1 已电话联系，小宇下周调座位', IN_STAFF);
  await t.say(LI, `@${ZHOU.name} 收到，我们会跟进`, { mentions: [ZHOU] });
  await t.advance(2.5 * HOUR + 60_000);
  await jumpTo(t, '2026-11-24T08:00:00+08:00');
  await t.say(ZHOU, '小宇晨读打卡');
  return first;
}

/** Moves the clock to `iso` at once and ticks (scheduled posts within their grace still go out). */
async function jumpTo(t: TestBot, iso: string): Promise<void> {
  t.clock.advance(Date.parse(iso) - t.clock.now());
  await t.bot.tick();
}

const reminders = (t: TestBot) => t.adapter.sent.filter((m) => m.idempotencyKey.startsWith('fire:c1:reminder:nag'));

describe('forgetting a member erases her everywhere', () => {
  // One class, built once; the steps run in order: export, forget, then what the bot does next.
  const dir = playbookDir({ 'c1.yaml': playbook(DIGEST_QUOTES) });
  const dbPath = join(dir, 'bot.db');
  let t: TestBot;
  let first: InboundMessage;
  beforeAll(async () => {
    t = await testBot(dir, { dbPath, now: '2026-11-23T18:00:00+08:00' });
    first = await classWithZhou(t);
  });
  afterAll(() => t.stop());

  it('before: her data is in the files, the 20:30 reminder @-ed her, the morning digest quoted her', () => {
    expect(reminders(t).map((m) => m.mentions)).toEqual([[ZHOU]]);
    expect(t.adapter.sent.find((m) => m.idempotencyKey.startsWith('fire:c1:followups:digest'))?.text).toContain('#1 周妈妈：小宇最近作业写到十一点');
    expect(inFiles(dbPath, HERS)).toEqual(HERS);
  });

  it('privacy export covers every table holding something about her, staff notes included, in the class\'s local time', () => {
    const exported = runCli(['privacy', 'export', '--member', ZHOU.name, '--db', dbPath, '--playbooks', dir, '--by', '李老师']);
    expect(exported.stderr).toBe('');
    const data = JSON.parse(exported.stdout);
    expect(data.timezone).toBe('Asia/Shanghai');
    expect(data.member).toMatchObject({ platform: 'console', userId: ZHOU.id, name: ZHOU.name, firstSeenAt: '2026-11-23T18:00:00+08:00' });
    expect(data.groups).toEqual([{ name: '三年级二班家长群', playbookId: 'c1', role: 'parent', joinedAt: '2026-11-23T18:00:00+08:00' }]);
    expect(data.messages.map((m: { text: string }) => m.text)).toEqual(['小宇昨晚十点才睡', '课表在哪？', '小宇最近作业写到十一点，跟不上，好焦虑', '/不参与排行', '小宇晨读打卡']);
    expect(data.messages[0]).toMatchObject({ sentAt: '2026-11-23T18:00:00+08:00', chatType: 'group' });
    expect(data.checkins).toEqual([expect.objectContaining({ gameId: 'reading', day: '2026-11-24', kind: 'normal', createdAt: '2026-11-24T08:00:00+08:00' })]);
    expect(data.followups).toEqual([expect.objectContaining({ id: 1, category: 'academic', message: '小宇最近作业写到十一点，跟不上，好焦虑', openedAt: '2026-11-23T18:00:00+08:00' })]);
    expect(data.followups[0].reasons).toContain('学业');
    expect(data.followupEvents).toContainEqual({ followupId: 1, at: '2026-11-23T18:00:00+08:00', actor: '李老师', action: 'noted', status: 'open', detail: '已电话联系，小宇下周调座位' });
    expect(data.staffCommands).toEqual([{ sentAt: '2026-11-23T18:00:00+08:00', text: '/备注 1 已电话联系，小宇下周调座位' }]);
    expect(data.outbox).toContainEqual(expect.objectContaining({ cause: 'reminder', mentioned: true, sentAt: '2026-11-23T20:30:00+08:00' }));
    expect(data.outbox).toContainEqual(expect.objectContaining({ cause: 'followup', target: 'group', text: expect.stringContaining('此前消息') }));
    expect(data.settings).toEqual([{ leaderboardOptOut: 1, updatedAt: '2026-11-23T18:00:00+08:00' }]);
    expect(data.privacyLog).toEqual([]);
  });

  it('privacy forget leaves no byte of her name, platform id, texts or the notes about her in the database, WAL and shm', () => {
    const forgot = runCli(['privacy', 'forget', '--member', ZHOU.name, '--db', dbPath, '--yes', '--by', '李老师']);
    expect(forgot.stderr).toBe('');
    expect(forgot.status).toBe(0);
    expect(inFiles(dbPath, HERS)).toEqual([]);
    // The anonymous counts stay.
    const db = t.bot.store.sqlite;
    expect(db.prepare(`SELECT COUNT(*) FROM messages WHERE member_id = 2`).pluck().get()).toBe(5);
    expect(db.prepare(`SELECT COUNT(*) FROM checkins WHERE member_id = 2`).pluck().get()).toBe(1);
  });

  it('a redelivered event of hers is a duplicate and does not bring her back', async () => {
    expect(await t.bot.engine.handleInbound(first)).toBe('duplicate');
    const db = t.bot.store.sqlite;
    expect(db.prepare(`SELECT COUNT(*) FROM members WHERE user_id = ? OR name = ?`).pluck().get(ZHOU.id, ZHOU.name)).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM messages WHERE member_id = 2 AND text IS NOT NULL`).pluck().get()).toBe(0);
    expect(inFiles(dbPath, HERS)).toEqual([]);
  });

  it('the next 20:30 reminder @-s neither her nor 已删除成员', async () => {
    // Wednesday: neither she nor 李爸爸 checked in.
    t.adapter.clear();
    await jumpTo(t, '2026-11-25T20:31:00+08:00');
    expect(reminders(t).map((m) => [m.text, m.mentions])).toEqual([['还没晨读打卡：李爸爸', [{ id: '李爸爸', name: '李爸爸' }]]]);
  });
});

describe('forgetting one member leaves everyone else alone', () => {
  it('another parent of the same name keeps her alerts and texts; a message held for the forgotten one is not sent', async () => {
    const dir = playbookDir({ 'c1.yaml': playbook('quiet_hours: { start: "21:00", end: "07:00" }\n') });
    const dbPath = join(dir, 'bot.db');
    const t = await testBot(dir, { dbPath, now: '2026-11-23T20:50:00+08:00' });
    const wang1 = { id: 'wm-1', name: '王妈妈' };
    const wang2 = { id: 'wm-2', name: '王妈妈' };
    await t.say(wang1, '孩子最近作业写到十一点，跟不上，好焦虑');
    await t.say(wang2, '孩子数学跟不上，作业写到十二点，好焦虑');
    // Resolved at 21:10: the rating request to the first 王妈妈 waits for the end of quiet hours.
    await t.advance(20 * 60_000);
    await t.say(LI, '/解决 1 已电话沟通', IN_STAFF);
    const held = t.bot.store.sqlite.prepare(`SELECT COUNT(*) FROM outbox WHERE key = 'followup:1:rating' AND status = 'pending'`).pluck();
    expect(held.get()).toBe(1);

    const forgot = runCli(['privacy', 'forget', '--member', 'console:wm-1', '--db', dbPath, '--yes']);
    expect(forgot.status).toBe(0);
    expect(held.get()).toBe(0);
    const alert = t.bot.store.sqlite.prepare(`SELECT json_extract(payload, '$.text') FROM outbox WHERE key = 'followup:2:alert'`).pluck().get();
    expect(alert).toContain('家长：王妈妈\n消息：孩子数学跟不上，作业写到十二点，好焦虑');
    expect(t.bot.store.sqlite.prepare(`SELECT name, user_id AS userId FROM members ORDER BY id`).all()).toEqual([
      { name: '已删除成员#1', userId: 'forgotten:1' },
      { name: '王妈妈', userId: 'wm-2' },
      { name: '李老师', userId: 'li' },
    ]);
    expect(inFiles(dbPath, ['wm-1', '作业写到十一点'])).toEqual([]);

    t.adapter.clear();
    await jumpTo(t, '2026-11-24T07:05:00+08:00');
    expect(t.adapter.sent.filter((m) => m.mentions?.some((x) => x.id === 'wm-1') || m.target.kind === 'direct')).toEqual([]);
    await t.stop();
  });
});

describe('the retention purge erases expired texts from the files', () => {
  it('leaves none of her expired texts in the database, WAL or shm while the bot runs', async () => {
    const dir = playbookDir({ 'c1.yaml': playbook('retention: { message_text_days: 1 }\n') });
    const dbPath = join(dir, 'bot.db');
    const t = await testBot(dir, { dbPath, now: '2026-11-23T18:00:00+08:00' });
    await classWithZhou(t);
    await t.say(ZHOU, '小宇的作业还是写不完，跟不上进度');
    await t.say(LI, '/解决 1 已面谈', IN_STAFF);
    expect(t.bot.store.sqlite.prepare(`SELECT action FROM followup_events WHERE action = 'message'`).pluck().all()).toEqual(['message']);
    const texts = ['十点才睡', '作业写到十一点', '好焦虑', '跟不上进度'];
    expect(inFiles(dbPath, texts)).toEqual(texts);
    await jumpTo(t, '2026-11-26T09:00:00+08:00');
    expect(inFiles(dbPath, texts)).toEqual([]);
    await t.stop();
  });
});
