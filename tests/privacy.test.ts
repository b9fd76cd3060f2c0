import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY } from '../src/time.js';
import { runCli } from './helpers/cli.js';
import { classPlaybook, playbookDir, testBot, FAQ_BLOCK } from './helpers/harness.js';

const PB = `retention: { message_text_days: 1 }\n${FAQ_BLOCK}`;

describe('privacy', () => {
  it('purges message texts after the retention period and keeps the rows for reports', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook(PB) });
    await t.say('王妈妈', '课表在哪？');
    t.clock.advance(DAY / 2);
    await t.say('李爸爸', '收到');
    t.clock.advance(DAY);
    await t.bot.tick();
    const rows = t.bot.store.sqlite.prepare('SELECT text FROM messages ORDER BY id').all();
    expect(rows).toEqual([{ text: null }, { text: '收到' }]);
    const outbox = t.bot.store.sqlite.prepare(`SELECT json_extract(payload, '$.text') AS text FROM outbox`).all();
    expect(outbox).toEqual([{ text: '（已按保留期限删除）' }]);
    expect(t.bot.store.sqlite.prepare(`SELECT action, actor FROM privacy_log`).all()).toEqual([{ action: 'retention', actor: 'classbot' }]);
    await t.stop();
  });

  it('exports and forgets a member from the CLI, with an audit trail', async () => {
    const dir = playbookDir({ 'c1.yaml': classPlaybook(PB) });
    const dbPath = join(dir, 'bot.db');
    const t = await testBot(dir, { dbPath });
    await t.say('王妈妈', '课表在哪？');
    await t.say('王妈妈', '孩子今天有点发烧，请假一天');
    await t.say('李爸爸', '收到');
    await t.stop();

    const exported = runCli(['privacy', 'export', '--member', '王妈妈', '--db', dbPath, '--by', '李老师']);
    expect(exported.status).toBe(0);
    const data = JSON.parse(exported.stdout);
    expect(data.member).toMatchObject({ platform: 'console', userId: '王妈妈', name: '王妈妈' });
    expect(data.messages.map((m: { text: string }) => m.text)).toEqual(['课表在哪？', '孩子今天有点发烧，请假一天']);
    expect(data.leaves).toEqual([{ playbookId: 'c1', groupKey: 'class', days: '2026-11-23', reason: '有点发烧', source: 'parent', createdAt: expect.any(String) }]);

    expect(runCli(['privacy', 'forget', '--member', '王妈妈', '--db', dbPath]).status).toBe(2);
    const forgot = runCli(['privacy', 'forget', '--member', '王妈妈', '--db', dbPath, '--yes', '--by', '李老师']);
    expect(forgot.stdout).toContain('消息文字 2 条');
    expect(forgot.stdout).toContain('请假原因 1 条');

    const after = await testBot(dir, { dbPath });
    const db = after.bot.store.sqlite;
    expect(db.prepare(`SELECT name, user_id AS userId FROM members ORDER BY id`).all()).toEqual([
      { name: '已删除成员#1', userId: 'forgotten:1' },
      { name: '李爸爸', userId: '李爸爸' },
    ]);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM messages WHERE member_id = 1 AND text IS NULL`).get()).toEqual({ n: 2 });
    // The day stays excused (reports still add up); why is erased.
    expect(db.prepare(`SELECT days, reason FROM leave_requests`).all()).toEqual([{ days: '2026-11-23', reason: null }]);
    expect(db.prepare(`SELECT action, actor FROM privacy_log ORDER BY id`).all()).toEqual([
      { action: 'export', actor: '李老师' },
      { action: 'forget', actor: '李老师' },
    ]);
    expect(runCli(['privacy', 'export', '--member', '王妈妈', '--db', dbPath]).status).toBe(1);
    await after.stop();
  });
});

describe('privacy while the bot runs', () => {
  it('a member forgotten from the CLI stays forgotten when they post again', async () => {
    const dir = playbookDir({ 'c1.yaml': classPlaybook(PB) });
    const dbPath = join(dir, 'bot.db');
    const t = await testBot(dir, { dbPath });
    await t.say('王妈妈', '收到');
    expect(runCli(['privacy', 'forget', '--member', '王妈妈', '--db', dbPath, '--yes']).status).toBe(0);
    await t.say('王妈妈', '好的');
    const rows = t.bot.store.sqlite.prepare(`SELECT m.name, msg.text FROM messages msg JOIN members m ON m.id = msg.member_id ORDER BY msg.id`).all();
    expect(rows).toEqual([{ name: '已删除成员#1', text: null }, { name: '王妈妈', text: '好的' }]);
    await t.stop();
  });
});
