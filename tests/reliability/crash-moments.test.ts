/**
 * SIGKILL at the moments that matter, on an adapter that acknowledges each message on receipt
 * (as Lark, DingTalk and WeChat do: the platform will not deliver it again): in the middle of a
 * 200-message batch, during a hot reload of the playbook, and during the Monday report's fire.
 * Afterwards every acknowledged message is stored, the check-ins, follow-ups and outbox rows are
 * those of a run without crashes (nothing lost), and the platform saw no key twice.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { testBot } from '../helpers/harness.js';
import { rng } from '../helpers/random.js';
import { REPORT_AT, deliver, durableState, timeOf, total, type Mode } from './crash-moments.js';

// One kill per moment in `npm test`; `npm run test:heavy` repeats them.
const ROUNDS = Number(process.env.CRASH_MOMENT_ROUNDS ?? 1);
const SEED = Number(process.env.CRASH_SEED ?? 7);

interface Round {
  acked: number[];
  /** Killed before the child said it was done. */
  early: boolean;
}

/** Runs the child; `killAfter(line)` returns a delay to kill it after that line (the first one counts); it is killed at "done" regardless. */
function round(mode: Mode, dir: string, pbDir: string, from: number, clockAt: number, killAfter: (line: string) => number | null): Promise<Round> {
  return new Promise((resolve, reject) => {
    const args = [mode, join(dir, 'bot.db'), pbDir, join(dir, 'sent.jsonl'), String(from), String(clockAt)];
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/reliability/crash-moment-child.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buf = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('ack ')) acked.push(Number(l.slice(4)));
        if (l === 'done') {
          done = true;
          child.kill('SIGKILL');
        }
        const ms = timer ? null : killAfter(l);
        if (ms !== null) timer = setTimeout(() => child.kill('SIGKILL'), ms);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ acked, early: !done });
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

function sentKeys(dir: string): string[] {
  const log = join(dir, 'sent.jsonl');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { key: string }).key) : [];
}

function storedIds(dir: string): Set<string> {
  if (!existsSync(join(dir, 'bot.db'))) return new Set();
  const db = new Database(join(dir, 'bot.db'), { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const ids = new Set((db.prepare(`SELECT event_id AS id FROM messages`).all() as { id: string }[]).map((r) => r.id));
  db.close();
  return ids;
}

/** Where a restart begins: the platform delivers what it has not had acknowledged; the clock is at the oldest message not stored yet. */
function restartPoint(mode: Mode, dir: string, acked: Set<number>, next: number): number {
  const stored = storedIds(dir);
  const pending = [...acked].filter((i) => !stored.has(`m-${i}`));
  // Acknowledged but not stored: it must be waiting in the spool.
  const spool = existsSync(join(dir, 'bot.db.spool')) ? readFileSync(join(dir, 'bot.db.spool'), 'utf8') : '';
  for (const i of pending) expect(spool).toContain(`"eventId":"m-${i}"`);
  const oldest = Math.min(next, ...pending);
  return mode === 'report' && oldest >= total(mode) ? REPORT_AT + 6 * 60_000 : timeOf(mode, oldest);
}

async function reference(mode: Mode, pbDir: string): Promise<ReturnType<typeof durableState>> {
  const ref = await testBot(pbDir, { now: timeOf(mode, 0), workDir: mkdtempSync(join(tmpdir(), 'classbot-ref-')) });
  await deliver(ref.bot, ref.adapter.handler!, ref.clock, mode, 0, { onAck: () => {} });
  const state = durableState(ref.bot.store.sqlite);
  await ref.stop();
  return state;
}

/** Everything acknowledged is stored, the state is the reference's, and no key reached the platform twice. */
async function verify(mode: Mode, dir: string, pbDir: string, acked: Set<number>): Promise<void> {
  const stored = storedIds(dir);
  for (const i of acked) expect(stored.has(`m-${i}`), `m-${i}`).toBe(true);
  expect(stored.size).toBe(total(mode));
  const keys = sentKeys(dir);
  expect(keys.length).toBe(new Set(keys).size);
  const db = new Database(join(dir, 'bot.db'), { readonly: true });
  const state = durableState(db);
  // What the platform saw is in the outbox, and what the outbox calls sent, the platform saw.
  const rows = new Map((db.prepare(`SELECT key, status FROM outbox`).all() as { key: string; status: string }[]).map((o) => [o.key, o.status]));
  db.close();
  for (const key of keys) expect(rows.has(key), key).toBe(true);
  for (const [key, status] of rows) if (status === 'sent') expect(keys, key).toContain(key);
  const expected = await reference(mode, pbDir);
  expect(state.checkins).toEqual(expected.checkins);
  expect(state.followups).toEqual(expected.followups);
  expect(state.outbox).toEqual(expected.outbox);
  expect(expected.checkins.length).toBeGreaterThan(0);
  expect(expected.followups.length).toBeGreaterThan(0);
}

function playbooksIn(dir: string): string {
  const pbDir = join(dir, 'playbooks');
  cpSync(join(ROOT, 'playbooks'), pbDir, { recursive: true });
  return pbDir;
}

describe('SIGKILL at the moments that matter, on an adapter that acknowledges on receipt', () => {
  it.each<[Mode, string, (r: () => number) => (line: string) => number | null]>([
    ['burst', 'in the middle of 200-message batches', (r) => (line) => (line.startsWith('ack ') && line.endsWith('99') ? Math.floor(r() * 120) : null)],
    ['reload', 'while the playbook is being reloaded', (r) => (line) => (line === 'reload' ? 250 + Math.floor(r() * 250) : null)],
  ])('%s: %s, loses nothing and sends nothing twice', async (mode, _what, killer) => {
    const dir = mkdtempSync(join(tmpdir(), `classbot-crash-${mode}-`));
    const pbDir = playbooksIn(dir);
    const r = rng(SEED);
    const acked = new Set<number>();
    let next = 0;
    let kills = 0;
    for (let k = 0; k < ROUNDS && next < total(mode); k++) {
      const clockAt = restartPoint(mode, dir, acked, next);
      const got = await round(mode, dir, pbDir, next, clockAt, killer(r));
      if (got.early) kills++;
      for (const i of got.acked) acked.add(i);
      next = Math.max(next, ...got.acked.map((i) => i + 1));
    }
    // The last run goes to the end undisturbed (and stores what the spool still holds).
    const last = await round(mode, dir, pbDir, next, restartPoint(mode, dir, acked, next), () => null);
    for (const i of last.acked) acked.add(i);
    expect(kills).toBeGreaterThan(0);
    await verify(mode, dir, pbDir, acked);
  }, 300_000);

  it('report: during the Monday report fire, the report is claimed once and sent at most once, never lost', async () => {
    const r = rng(SEED);
    for (let k = 0; k < ROUNDS; k++) {
      const dir = mkdtempSync(join(tmpdir(), 'classbot-crash-report-'));
      const pbDir = playbooksIn(dir);
      const acked = new Set<number>();
      const first = await round('report', dir, pbDir, 0, timeOf('report', 0), (line) => (line === 'firing' ? Math.floor(r() * 150) : null));
      first.acked.forEach((i) => acked.add(i));
      const next = Math.max(...first.acked) + 1;
      await round('report', dir, pbDir, next, restartPoint('report', dir, acked, next), () => null);
      await verify('report', dir, pbDir, acked);
      const db = new Database(join(dir, 'bot.db'), { readonly: true });
      const fires = db.prepare(`SELECT playbook_id AS pb, status FROM schedule_fires WHERE job_id = 'report:weekly' AND scheduled_at = ?`).all(REPORT_AT) as { pb: string; status: string }[];
      const reports = db.prepare(`SELECT key, status, last_error AS err FROM outbox WHERE cause = 'report' AND key LIKE ?`).all(`fire:%:report:weekly:staff:${REPORT_AT}:%`) as { key: string; status: string; err: string | null }[];
      db.close();
      expect(fires.length).toBeGreaterThan(0);
      expect(fires.length).toBe(new Set(fires.map((f) => f.pb)).size);
      expect(reports.length).toBe(fires.length);
      const sent = sentKeys(dir);
      // Sent exactly once, or cut off mid-send and left as a dead letter for staff to check.
      for (const row of reports) {
        if (row.status === 'sent') expect(sent.filter((key) => key === row.key)).toHaveLength(1);
        else expect(row).toMatchObject({ status: 'failed', err: expect.stringContaining('进程中断') });
      }
    }
  }, 300_000);
});
