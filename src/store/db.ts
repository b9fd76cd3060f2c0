import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreOpenError, corrupted, openProblem } from './errors.js';
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
  /**
   * Removes what erased data leaves on disk: copies the WAL into the database and empties it
   * (old page images hold the old texts until then), waiting at most `waitMs` for other
   * connections' readers and checkpoints. Inside a transaction, done once it commits. False when
   * they were in the way throughout: the data stays in the WAL until the next truncation.
   */
  eraseResidue(waitMs: number): boolean;
  close(): void;
}

const RETRY_MS = 20;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * wal_checkpoint(TRUNCATE), retried until `waitMs` has passed. The busy handler is off meanwhile:
 * it would wait busy_timeout for each try, and the wait must stay bounded (the bot's thread).
 */
function truncateWal(sqlite: Database.Database, waitMs: number): boolean {
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma('busy_timeout = 0');
  try {
    const until = Date.now() + waitMs;
    for (;;) {
      const [r] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (r!.busy === 0) return true;
      if (Date.now() >= until) return false;
      Atomics.wait(pause, 0, 0, RETRY_MS);
    }
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

const MIGRATIONS = fileURLToPath(new URL('../../data/migrations', import.meta.url));

export interface OpenOptions {
  /**
   * How long a statement waits for another connection's write lock once the store is open
   * (default 5 s). better-sqlite3 waits synchronously, so the bot keeps this short: its work is
   * retried on the next tick rather than blocking the event loop.
   */
  busyTimeoutMs?: number;
  /** Run `PRAGMA quick_check` and refuse a corrupted file (the bot does, at start). */
  check?: boolean;
}

/** Opening and migrating wait this long for a lock: another process may be migrating the same fresh file. */
const OPEN_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the database at `path` (':memory:' for tests) and applies
 * migrations. A file that is not a database, is corrupted or cannot be written throws a
 * StoreOpenError saying so, in Chinese and English.
 */
export function openStore(path: string, opts: OpenOptions = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path);
    // First: switching a fresh file to WAL takes a lock another process may hold.
    sqlite.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
    toWal(sqlite);
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // The engine's savepoint per message keeps a sub-journal: in memory, not in a temp file.
    sqlite.pragma('temp_store = MEMORY');
    // Deleted and overwritten content is zeroed, not left in free space: an erased member or a
    // purged text must not stay readable in the file (see eraseResidue for the WAL).
    sqlite.pragma('secure_delete = ON');
    if (opts.check) quickCheck(sqlite, path);
    migrate(sqlite, MIGRATIONS);
    sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? OPEN_BUSY_TIMEOUT_MS}`);
  } catch (e) {
    sqlite?.close();
    const problem = openProblem(path, e);
    throw problem ? new StoreOpenError(problem, { cause: e }) : e;
  }
  return wrap(sqlite);
}

/**
 * journal_mode = WAL on a fresh file. SQLite may answer SQLITE_BUSY at once, without its busy
 * handler, when two connections race to change the journal mode (waiting could deadlock): retry.
 */
function toWal(sqlite: Database.Database): void {
  const until = Date.now() + OPEN_BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= until) throw e;
      Atomics.wait(pause, 0, 0, RETRY_MS);
    }
  }
}

/** A corrupted file keeps "working" until the damage is hit, and every write may spread it: refuse it at start. */
function quickCheck(sqlite: Database.Database, path: string): void {
  const rows = (sqlite.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
  if (rows.length !== 1 || rows[0] !== 'ok') throw new StoreOpenError(corrupted(path, rows.join('; ')));
}

function wrap(sqlite: Database.Database): Store {
  // One wrapper for every call: building a better-sqlite3 transaction function costs more than
  // the savepoint it runs (the engine takes one per inbound message).
  // IMMEDIATE: a transaction takes the write lock when it begins, waiting for it (busy_timeout)
  // if another process or the checkpointer holds it. A deferred one that read first could not
  // upgrade once the WAL moved on, and would fail at its first write instead of waiting.
  const inTransaction = sqlite.transaction((fn: () => unknown) => fn()).immediate;
  /** What eraseResidue asked for inside a transaction: the wait for the truncation after its commit. */
  let eraseAfterCommit: number | null = null;
  const outermost = <T>(fn: () => T): T => {
    try {
      const result = inTransaction(fn) as T;
      if (eraseAfterCommit !== null) truncateWal(sqlite, eraseAfterCommit);
      return result;
    } finally {
      eraseAfterCommit = null;
    }
  };
  return {
    sqlite,
    tx: <T>(fn: () => T): T => (sqlite.inTransaction ? fn() : outermost(fn)),
    atomic: <T>(fn: () => T): T => (sqlite.inTransaction ? (inTransaction(fn) as T) : outermost(fn)),
    eraseResidue(waitMs) {
      if (sqlite.memory) return true;
      if (!sqlite.inTransaction) return truncateWal(sqlite, waitMs);
      eraseAfterCommit = Math.max(eraseAfterCommit ?? 0, waitMs);
      return true;
    },
    close: () => sqlite.close(),
  };
}
