/**
 * `classbot preview`: the real bot run forward on a copy of the database, with quiet hours,
 * the calendar, claims already made and groups not yet known.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPreview, type PreviewChat } from '../src/cli/preview.js';
import { runCli } from './helpers/cli.js';
import { classPlaybook, playbookDir, testBot } from './helpers/harness.js';

const iso = (s: string) => Date.parse(s);

const PLAYBOOK = classPlaybook(`
reminders:
  - id: homework
    cron: "0 19 * * 1-5"
    message: "{date} 作业：{homework}"
  - id: late
    cron: "45 21 * * 1"
    message: 明天记得带跳绳
homework:
  周三: 背诵古诗
quiet_hours: { start: "21:30", end: "07:00", policy: hold }
calendar:
  skip: [{ from: 2026-11-26, to: 2026-11-26, name: 运动会 }]
  workdays: [{ date: 2026-11-28, as: 周三 }]
`);

const summary = (chat: PreviewChat) => chat.items.map((i) => [new Date(i.at).toISOString(), i.kind, i.text, i.until ? new Date(i.until).toISOString() : undefined]);

describe('preview', () => {
  it('shows a week of posts per group with quiet hours and the calendar applied', async () => {
    const { playbooks: [result] } = await runPreview({ playbookDir: playbookDir({ 'c1.yaml': PLAYBOOK }), dbPath: null, from: iso('2026-11-23T08:00:00+08:00'), days: 6 });
    const [klass, staff] = result!.chats;
    expect(klass!.name).toBe('三年级二班家长群');
    expect(summary(klass!)).toEqual([
      ['2026-11-23T11:00:00.000Z', 'message', '11月23日 作业：今天没有书面作业，注意休息～', undefined],
      ['2026-11-23T13:45:00.000Z', 'held', '', '2026-11-23T23:00:00.000Z'],
      ['2026-11-23T23:00:00.000Z', 'message', '明天记得带跳绳', undefined],
      ['2026-11-24T11:00:00.000Z', 'message', '11月24日 作业：今天没有书面作业，注意休息～', undefined],
      ['2026-11-25T11:00:00.000Z', 'message', '11月25日 作业：背诵古诗', undefined],
      ['2026-11-26T11:00:00.000Z', 'skipped', '运动会', undefined],
      ['2026-11-27T11:00:00.000Z', 'message', '11月27日 作业：今天没有书面作业，注意休息～', undefined],
      ['2026-11-28T11:00:00.000Z', 'message', '11月28日 作业：背诵古诗', undefined],
    ]);
    expect(staff).toMatchObject({ name: '老师群', kind: 'staff', items: [] });
  });

  it('starts from a copy of the database and leaves the database as it was', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-preview-')), 'bot.db');
    const dir = playbookDir({ 'c1.yaml': PLAYBOOK });
    // The live bot: the 19:00 reminder went out, the 21:45 one is held for the morning.
    const live = await testBot(dir, { dbPath, now: '2026-11-23T18:30:00+08:00' });
    await live.advance(3.5 * 3_600_000);
    expect(live.adapter.textsTo('class-1')).toEqual(['11月23日 作业：今天没有书面作业，注意休息～']);
    await live.stop();
    const before = () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare(`SELECT (SELECT COUNT(*) FROM schedule_fires) AS fires, (SELECT group_concat(status) FROM outbox) AS outbox, (SELECT value FROM meta WHERE key = 'scheduler.last_tick:c1') AS tick`).get();
      } finally {
        db.close();
      }
    };
    const was = before();

    const { playbooks: [result] } = await runPreview({ playbookDir: dir, dbPath, from: iso('2026-11-23T22:00:00+08:00'), days: 1 });
    expect(summary(result!.chats[0]!)).toEqual([
      // Held in the live database, released by the preview at the end of quiet hours.
      ['2026-11-23T23:00:00.000Z', 'message', '明天记得带跳绳', undefined],
      ['2026-11-24T11:00:00.000Z', 'message', '11月24日 作业：今天没有书面作业，注意休息～', undefined],
    ]);
    expect(before()).toEqual(was);
  });

  it('previews a group whose chat id the bot has not learned yet, and says so', async () => {
    const yaml = PLAYBOOK.replace('    id: class-1\n', '');
    const { playbooks: [result] } = await runPreview({ playbookDir: playbookDir({ 'c1.yaml': yaml }), dbPath: null, from: iso('2026-11-25T08:00:00+08:00'), days: 1 });
    expect(result!.chats[0]).toMatchObject({ name: '三年级二班家长群', unbound: true, items: [{ kind: 'message', text: '11月25日 作业：背诵古诗' }] });
    expect(result!.chats[1]).toMatchObject({ name: '老师群', unbound: false });
  });

  it('previews a staff group bound by title as the staff will see it once a staff member has spoken there', async () => {
    const yaml = PLAYBOOK.replace('  id: staff-1\n', '').replace(
      'reminders:\n',
      'reminders:\n  - id: staff-notes\n    cron: "0 8 * * *"\n    groups: [staff]\n    message: 今天记得查看未打卡名单\n',
    );
    const { playbooks: [result] } = await runPreview({ playbookDir: playbookDir({ 'c1.yaml': yaml }), dbPath: null, from: iso('2026-11-25T07:30:00+08:00'), days: 1 });
    expect(result!.chats[1]).toMatchObject({ name: '老师群', kind: 'staff', unbound: true, items: [{ kind: 'message', text: '今天记得查看未打卡名单' }] });
  });

  it('prints the example playbook over New Year on the command line', () => {
    const r = runCli(['preview', 'playbooks/g3-class2.yaml', '--days', '3', '--now', '2026-12-30T08:00+08:00', '--db', ':memory:']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines[0]).toBe('== 三年级二班（g3-class2）· 12月30日 周三 08:00 起 3 天 · Asia/Shanghai');
    expect(r.lines).toContain('[三年级二班家长群]');
    expect(r.lines).toContain('  12月30日 周三 19:00  📚 12月30日 周三 今日作业');
    expect(r.lines).toContain('  12月31日 周四 19:00  ⏸ 放假不发：元旦假期（homework）');
    expect(r.lines).toContain('  1月1日 周五 17:30  ⏸ 放假不发：元旦假期（weekend）');
    // Only the playbook asked for.
    expect(r.stdout).not.toContain('五年级');
    // The same by the playbook's id.
    expect(runCli(['preview', 'g3-class2', '--days', '3', '--now', '2026-12-30T08:00+08:00', '--db', ':memory:']).stdout).toBe(r.stdout);
  });

  it('previews the good playbooks of a directory and names the broken ones', async () => {
    const dir = playbookDir({ 'c1.yaml': PLAYBOOK, 'c2.yaml': classPlaybook('reminders:\n  - { id: x, cron: "0 19 * *", message: 提醒 }\n', { id: 'c2' }) });
    const result = await runPreview({ playbookDir: dir, dbPath: null, from: iso('2026-11-25T08:00:00+08:00'), days: 1 });
    expect(result.playbooks.map((p) => p.playbook.id)).toEqual(['c1']);
    expect(result.errors.map((e) => [e.file.endsWith('c2.yaml'), e.path])).toEqual([[true, 'reminders[0].cron']]);
  });

  it('snapshots a database a running bot is writing to', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-preview-')), 'bot.db');
    const dir = playbookDir({ 'c1.yaml': PLAYBOOK });
    const live = await testBot(dir, { dbPath, now: '2026-11-23T18:30:00+08:00' });
    try {
      await live.advance(3_600_000);
      const { playbooks: [result] } = await runPreview({ playbookDir: dir, dbPath, from: live.clock.now(), days: 1 });
      // The live bot already sent today's 19:00 reminder: the preview starts after it.
      expect(result!.chats[0]!.items.map((i) => i.kind)).toEqual(['held', 'message', 'message']);
      expect(live.adapter.textsTo('class-1')).toHaveLength(1);
    } finally {
      await live.stop();
    }
  });

  it('refuses a bad --days in Chinese', () => {
    const r = runCli(['preview', '--days', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('--days 应为 1 到 62 之间的整数\n');
  });
});
