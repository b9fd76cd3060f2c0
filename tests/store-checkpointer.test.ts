import { mkdtempSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { startCheckpointer } from '../src/store/checkpointer.js';
import { openStore } from '../src/store/db.js';
import { classPlaybook, testBot } from './helpers/harness.js';

const until = async (check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
};

describe('background WAL checkpoints', () => {
  it('copies the WAL into the database file while the bot keeps running, and stops cleanly', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-ckpt-')), 'bot.db');
    const t = await testBot({ 'c1.yaml': classPlaybook() }, { dbPath });
    // The bot's own commits no longer checkpoint: only the background thread can grow the file.
    expect(t.bot.store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(dbPath).size;
    for (let i = 0; i < 300; i++) await t.say(`p${i}`, `第${i}条消息：${'今天的作业写完了，明天再交。'.repeat(20)}`);
    expect(await until(() => statSync(dbPath).size > before + 200 * 1024, 5_000)).toBe(true);
    await t.stop();
    // A clean close leaves no WAL behind: the thread let go of its connection first.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it('hands checkpoints back to SQLite, and says so, when the thread cannot do them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-ckpt-'));
    const store = openStore(join(dir, 'bot.db'));
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(line) } });
    // A path the thread cannot open: it fails at once.
    const checkpointer = startCheckpointer(store, join(dir, 'missing', 'bot.db'), log);
    expect(await until(() => store.sqlite.pragma('wal_autocheckpoint', { simple: true }) === 1000, 5_000)).toBe(true);
    expect(lines.join('')).toContain('SQLite checkpoints on commit again');
    await checkpointer?.stop();
    store.close();
  });
});

describe('emptying the WAL after an erasure', () => {
  it('waits only so long for a reader in the way, and empties the WAL once it has gone', () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-erase-')), 'bot.db');
    const store = openStore(dbPath);
    const reader = openStore(dbPath);
    store.sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('k', ?)`).run('x'.repeat(10_000));
    // A reader's snapshot pins the WAL: it cannot be reset under it.
    reader.sqlite.exec('BEGIN');
    reader.sqlite.prepare('SELECT COUNT(*) FROM meta').get();
    store.sqlite.prepare(`UPDATE meta SET value = ? WHERE key = 'k'`).run('y');
    expect(store.eraseResidue(100)).toBe(false);
    // The connection's own busy handler is back as it was.
    expect(store.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    reader.sqlite.exec('COMMIT');
    expect(store.eraseResidue(100)).toBe(true);
    expect(statSync(`${dbPath}-wal`).size).toBe(0);
    // Asked inside a transaction, it happens once the transaction commits.
    store.tx(() => {
      store.sqlite.prepare(`UPDATE meta SET value = ? WHERE key = 'k'`).run('z');
      expect(store.eraseResidue(100)).toBe(true);
    });
    // (The commit wrote the change to the WAL; the truncation after it left nothing there.)
    expect(statSync(`${dbPath}-wal`).size).toBe(0);
    reader.close();
    store.close();
  });
});
