import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/db.js';

describe('store transactions', () => {
  it('hold the write lock from their start, so another writer (the CLI, the checkpointer) cannot make their first write fail', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'classbot-tx-')), 'bot.db');
    const store = openStore(path);
    const other = new Database(path);
    other.pragma('busy_timeout = 0');
    const write = (db: Database.Database, key: string) => db.prepare(`INSERT INTO meta (key, value) VALUES (?, 'x')`).run(key);
    store.tx(() => {
      // A read first: a deferred transaction would now hold only a read snapshot.
      store.sqlite.prepare('SELECT COUNT(*) FROM meta').get();
      expect(() => write(other, 'cli')).toThrow(/database is locked/);
      write(store.sqlite, 'bot');
    });
    write(other, 'cli');
    expect(store.sqlite.prepare('SELECT key FROM meta ORDER BY key').all()).toEqual([{ key: 'bot' }, { key: 'cli' }]);
    other.close();
    store.close();
  });
});
