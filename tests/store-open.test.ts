import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/db.js';
import { ROOT, runCli } from './helpers/cli.js';

const MIGRATIONS = (JSON.parse(readFileSync(join(ROOT, 'data/migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

function child(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/helpers/open-store-child.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** A real database with a few pages of data, closed. */
function realDb(dir: string): string {
  const path = join(dir, 'bot.db');
  const store = openStore(path);
  const insert = store.sqlite.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`);
  store.tx(() => {
    for (let i = 0; i < 2000; i++) insert.run(`k${i}`, 'x'.repeat(100));
  });
  store.close();
  return path;
}

/** Says what is wrong in both languages, exits non-zero, and shows no stack trace. */
function expectRefused(r: { status: number | null; stderr: string }, zh: string, en: string): void {
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain(zh);
  expect(r.stderr).toContain(en);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('opening the database', () => {
  it('two processes opening the same fresh database at the same instant both succeed, 60 times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-open-race-'));
    const rounds = 60;
    // Both children are loaded (tsx takes a moment) well before the first agreed instant.
    const startAt = Date.now() + 3000;
    const results = await Promise.all([child([dir, String(rounds), String(startAt), '60']), child([dir, String(rounds), String(startAt), '60'])]);
    for (const r of results) expect(r.stderr).toBe('');
    for (const r of results) expect(r.code).toBe(0);
    for (let k = 0; k < rounds; k++) {
      const db = new Database(join(dir, `fresh-${k}.db`), { readonly: true });
      expect((db.prepare(`SELECT COUNT(*) AS n FROM __drizzle_migrations`).get() as { n: number }).n).toBe(MIGRATIONS);
      db.close();
    }
  }, 60_000);

  it('a database with corrupted pages is refused at start, clearly, and left as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-corrupt-'));
    const path = realDb(dir);
    const bytes = readFileSync(path);
    // Overwrite the middle of the meta table's pages: the file still opens, its b-tree does not add up.
    const page = 4096;
    for (let p = 3; p < bytes.length / page - 1; p += 4) bytes.fill(0xa5, p * page + 8, p * page + 400);
    writeFileSync(path, bytes);
    const before = readFileSync(path);
    const r = runCli(['run', '--console', '--db', path, '--playbooks', join(ROOT, 'playbooks')], '');
    expectRefused(r, '已损坏', 'is corrupted');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a file that is not a database gives a clear message and a non-zero exit from run and from other commands', () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-notadb-'));
    const path = join(dir, 'bot.db');
    writeFileSync(path, '这不是数据库 this is a spreadsheet export\n'.repeat(300));
    expectRefused(runCli(['run', '--console', '--db', path, '--playbooks', join(ROOT, 'playbooks')], ''), '不是 SQLite 数据库', 'is not an SQLite database');
    expectRefused(runCli(['outbox', 'list', '--db', path]), '不是 SQLite 数据库', 'is not an SQLite database');
  });

  it('a read-only database gives a clear message and a non-zero exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-readonly-'));
    const path = realDb(dir);
    chmodSync(path, 0o444);
    chmodSync(dir, 0o555);
    // root may write anything: run the CLI as an unprivileged user, as a school's server would.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [join(ROOT, 'adapters/cli.js'), 'run', '--console', '--db', path, '--playbooks', join(ROOT, 'playbooks')], {
      cwd: dir,
      input: '',
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC' },
      ...asUser,
    });
    expectRefused({ status: r.status, stderr: r.stderr }, '无法写入数据库', 'Cannot write the database');
    chmodSync(dir, 0o755);
    if (asUser.uid) chownSync(dir, 0, 0);
  });
});
