/**
 * The database refusing work for a while — another process holding the write lock longer than the
 * bot waits, a full disk — delays messages and scheduled fires; it never loses them, never records
 * them as failed, and never stalls the bot for the lock's duration.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { ROOT } from '../helpers/cli.js';
import { classPlaybook, playbookDir, testBot, type TestBot } from '../helpers/harness.js';

const HOMEWORK = `
reminders:
  - id: homework
    cron: "0 19 * * 1-5"
    message: "今天的作业：{homework}"
homework:
  周一: 口算第12页
checkin:
  - id: reading
    name: 晨读
    trigger: { keywords: [打卡] }
    window: { start: "06:00", end: "21:30" }
`;

const running: TestBot[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop().catch(() => undefined);
});

/** Starts the lock holder and resolves once it holds the lock; `released` resolves when it let go. */
function holdLock(dbPath: string, ms: number): Promise<{ child: ChildProcess; released: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/helpers/hold-lock.ts'), dbPath, String(ms)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let onLocked: () => void;
  let onReleased: () => void;
  const locked = new Promise<void>((r) => (onLocked = r));
  const released = new Promise<void>((r) => (onReleased = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('locked')) onLocked();
    if (out.includes('released')) onReleased();
  });
  child.on('exit', () => {
    onLocked();
    onReleased();
  });
  return locked.then(() => ({ child, released }));
}

const fires = (t: TestBot) => t.bot.store.sqlite.prepare(`SELECT job_id AS job, status, detail FROM schedule_fires`).all();
const homeworkSent = (t: TestBot) => t.adapter.textsTo('class-1').filter((x) => x.includes('今天的作业'));
const stored = (t: TestBot) => (t.bot.store.sqlite.prepare(`SELECT event_id AS id FROM messages ORDER BY id`).all() as { id: string }[]).map((r) => r.id);

describe('the database refusing work for a while', () => {
  it('a lock held by another process across 19:00, longer than any busy timeout, delays the reminder and a check-in; neither fails nor is lost', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-lock-')), 'bot.db');
    const t = await testBot({ 'c1.yaml': classPlaybook(HOMEWORK) }, { dbPath, now: '2026-11-23T18:59:30+08:00' });
    running.push(t);
    await t.bot.tick();
    const lock = await holdLock(dbPath, 7000);

    t.clock.set(Date.parse('2026-11-23T19:00:00+08:00'));
    await t.bot.tick();
    const checkin = await t.say('王妈妈', '打卡 20分钟');
    // Nothing could be written: nothing was sent, and nothing is recorded as failed.
    expect(homeworkSent(t)).toEqual([]);
    expect(fires(t)).toEqual([]);
    expect(stored(t)).not.toContain(checkin.eventId);

    await lock.released;
    t.clock.set(Date.parse('2026-11-23T19:00:07+08:00'));
    await t.bot.tick();
    t.clock.set(Date.parse('2026-11-23T19:01:00+08:00'));
    await t.bot.tick();
    expect(homeworkSent(t)).toEqual(['今天的作业：口算第12页']);
    expect(fires(t)).toEqual([{ job: 'reminder:homework', status: 'sent', detail: null }]);
    expect(stored(t)).toContain(checkin.eventId);
    expect(t.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM checkins`).get()).toEqual({ n: 1 });
  }, 30_000);

  it('46 messages arriving while the database is full are all stored once space returns, and across a restart before it does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-full-'));
    const dbPath = join(dir, 'bot.db');
    const pbDir = playbookDir({ 'c1.yaml': classPlaybook(HOMEWORK) });
    const a = await testBot(pbDir, { dbPath, now: '2026-11-23T07:00:00+08:00' });
    running.push(a);
    await a.say('王妈妈', '打卡 5分钟');
    // A real SQLITE_FULL: the database may not grow by a single page more.
    const pages = a.bot.store.sqlite.pragma('page_count', { simple: true }) as number;
    a.bot.store.sqlite.pragma(`max_page_count = ${pages}`);
    const sent: string[] = [];
    for (let i = 0; i < 46; i++) {
      const who = `家长${i}`;
      sent.push((await a.say(who, `打卡 ${10 + i}分钟 ${'今天读了很多书。'.repeat(40)}`)).eventId);
      if (i === 22) {
        // Half of them: space returns while the bot runs.
        a.bot.store.sqlite.pragma('max_page_count = 1073741823');
        await a.bot.tick();
        expect(stored(a)).toEqual(expect.arrayContaining(sent));
        a.bot.store.sqlite.pragma(`max_page_count = ${a.bot.store.sqlite.pragma('page_count', { simple: true }) as number}`);
      }
    }
    await a.bot.tick();
    expect(stored(a)).not.toContain(sent[45]);
    // The other half: the bot stops while the disk is still full, and starts again once it is not.
    await a.stop();
    running.pop();
    expect(readFileSync(`${dbPath}.spool`, 'utf8')).toContain(sent[45]);
    const b = await testBot(pbDir, { dbPath, now: '2026-11-23T07:30:00+08:00' });
    running.push(b);
    expect(stored(b)).toEqual(expect.arrayContaining(sent));
    const checkins = b.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM checkins`).get() as { n: number };
    expect(checkins.n).toBe(47);
    // Replayed once: a second restart stores nothing twice, and the spool is empty.
    await b.stop();
    running.pop();
    expect(readFileSync(`${dbPath}.spool`, 'utf8')).toBe('');
  }, 60_000);

  // A real full disk needs a small filesystem of its own: root can mount one.
  const mountPoint = join(tmpdir(), `classbot-tmpfs-${process.pid}`);
  const root = process.platform === 'linux' && process.getuid?.() === 0;

  it.skipIf(!root)('on a real full 2 MB disk, every message is kept in memory, said loudly, and stored once space returns', async (ctx) => {
    mkdirSync(mountPoint, { recursive: true });
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint]).status !== 0) {
      rmSync(mountPoint, { recursive: true, force: true });
      ctx.skip('mounting a tmpfs is not permitted here; the max_page_count test covers a full database');
    }
    try {
      const dbPath = join(mountPoint, 'bot.db');
      const logged: string[] = [];
      const log = createLogger({ level: 'warn', destination: { write: (l: string) => void logged.push(l) } });
      const t = await testBot({ 'c1.yaml': classPlaybook(HOMEWORK) }, { dbPath, log, now: '2026-11-23T07:00:00+08:00' });
      running.push(t);
      await t.say('王妈妈', '打卡 5分钟');
      // Fill the disk to the last byte.
      const filler = join(mountPoint, 'filler');
      const chunk = Buffer.alloc(4096, 1);
      writeFileSync(filler, '');
      try {
        for (;;) writeFileSync(filler, chunk, { flag: 'a' });
      } catch {
        // ENOSPC: full.
      }
      const sent: string[] = [];
      for (let i = 0; i < 46; i++) sent.push((await t.say(`家长${i}`, `打卡 ${10 + i}分钟 ${'今天读了很多书。'.repeat(40)}`)).eventId);
      await t.bot.tick();
      expect(logged.join('')).toMatch(/database busy or full/);
      // The spool shares the full disk: the messages live in memory only, and the log says so.
      expect(logged.join('')).toMatch(/INBOUND SPOOL NOT WRITABLE/);
      rmSync(filler);
      await t.bot.tick();
      expect(stored(t)).toEqual(expect.arrayContaining(sent));
      expect((t.bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM checkins`).get() as { n: number }).n).toBe(47);
      await t.stop();
      running.pop();
    } finally {
      spawnSync('umount', ['-l', mountPoint]);
      if (existsSync(mountPoint)) rmSync(mountPoint, { recursive: true, force: true });
    }
  }, 60_000);
});
