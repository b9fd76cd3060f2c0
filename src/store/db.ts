import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from './migrate.js';

/**
 * The database: schema in schema.ts (drizzle, for drizzle-kit's migrations), queries through
 * prepared statements on `sqlite`.
 */
export interface Store {
  /** The raw connection, for prepared statements on hot paths and PRAGMAs. */
  sqlite: Database.Database;
  /** Runs `fn` in one transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T;
  /** Runs `fn` atomically even inside an outer transaction (a savepoint there), so its failure undoes only its own writes. */
  atomic<T>(fn: () => T): T;
  close(): void;
}

const MIGRATIONS = fileURLToPath(new URL('../../data/migrations', import.meta.url));

/** Opens (creating if needed) the database at `path` (':memory:' for tests) and applies migrations. */
export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // The engine's savepoint per message keeps a sub-journal: in memory, not in a temp file.
  sqlite.pragma('temp_store = MEMORY');
  migrate(sqlite, MIGRATIONS);
  // One wrapper for every call: building a better-sqlite3 transaction function costs more than
  // the savepoint it runs (the engine takes one per inbound message).
  // IMMEDIATE: a transaction takes the write lock when it begins, waiting for it (busy_timeout)
  // if another process or the checkpointer holds it. A deferred one that read first could not
  // upgrade once the WAL moved on, and would fail at its first write instead of waiting.
  const inTransaction = sqlite.transaction((fn: () => unknown) => fn()).immediate;
  return {
    sqlite,
    tx: <T>(fn: () => T): T => (sqlite.inTransaction ? fn() : (inTransaction(fn) as T)),
    atomic: <T>(fn: () => T): T => inTransaction(fn) as T,
    close: () => sqlite.close(),
  };
}
