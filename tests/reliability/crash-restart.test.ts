import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { rng } from '../helpers/random.js';
import { testBot } from '../helpers/harness.js';
import { durableState, feed } from './crash-load.js';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);

/** Runs the child until it has acked at least one message, then kills it after a random delay. */
function round(args: string[], killAfterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/reliability/crash-child.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buf = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('ack ')) acked.push(Number(l.slice(4)));
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('crash and restart', () => {
  it(`loses nothing committed and sends nothing twice over ${ROUNDS} SIGKILLs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-crash-'));
    const dbPath = join(dir, 'bot.db');
    const sentLog = join(dir, 'sent.jsonl');
    const r = rng(Number(process.env.CRASH_SEED ?? 99));
    const acked = new Set<number>();
    let next = 0;
    for (let k = 0; k < ROUNDS; k++) {
      // Restart a little before the last ack: the platform redelivers what it is not sure we got.
      const from = Math.max(0, next - Math.floor(r() * 5));
      const got = await round([dbPath, join(ROOT, 'playbooks'), sentLog, String(from)], 50 + Math.floor(r() * 400));
      for (const i of got) acked.add(i);
      next = Math.max(next, ...got.map((i) => i + 1));

      const db = new Database(dbPath, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set((db.prepare(`SELECT event_id AS id FROM messages`).all() as { id: string }[]).map((x) => x.id));
      for (const i of acked) expect(stored.has(`m-${i}`)).toBe(true);
      expect(stored.size).toBe(new Set([...stored]).size);
      db.close();
      const keys = existsSync(sentLog) ? readFileSync(sentLog, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { key: string }).key) : [];
      expect(keys.length).toBe(new Set(keys).size);
    }
    expect(acked.size).toBeGreaterThan(ROUNDS);
    const db = new Database(dbPath, { readonly: true });
    // Everything the engine decided to send was either sent once or is visible (pending / dead letter).
    const outbox = db.prepare(`SELECT key, status FROM outbox`).all() as { key: string; status: string }[];
    const sent = new Set(readFileSync(sentLog, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { key: string }).key));
    for (const row of outbox) if (row.status === 'sent') expect(sent.has(row.key)).toBe(true);
    for (const key of sent) expect(outbox.some((o) => o.key === key)).toBe(true);
    const fires = db.prepare(`SELECT COUNT(*) AS n FROM schedule_fires`).get() as { n: number };
    db.close();
    // The load spans the evening reminder time, so scheduled fires were claimed along the way.
    expect(fires.n).toBeGreaterThan(0);

    // The same messages without any crash leave exactly the same check-ins and follow-ups.
    const crashed = await testBot(join(ROOT, 'playbooks'), { dbPath });
    const reference = await testBot(join(ROOT, 'playbooks'));
    await feed(reference.bot, reference.adapter.handler!, reference.clock, 0, next, () => {});
    expect(durableState(crashed.bot)).toBe(durableState(reference.bot));
    expect(JSON.parse(durableState(reference.bot)).checkins.length).toBeGreaterThan(0);
    await crashed.stop();
    await reference.stop();
  }, 300_000);
});
