// The WAL checkpointer's thread (see checkpointer.ts). Plain JavaScript: a worker thread does not
// inherit the TypeScript loader the main thread runs under.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ path: string, intervalMs: number, restartPages: number }} */
const { path, intervalMs, restartPages } = workerData;
/** Passes to catch up with the writer before a reset; stops early once they stop gaining. */
const CATCH_UP_PASSES = 4;
const db = new Database(path);
db.pragma('busy_timeout = 5000');

const timer = setInterval(() => {
  try {
    // PASSIVE copies what it can without waiting for the writer. A WAL that grows past
    // restartPages anyway (the writer never paused) is reset, which holds the writer back while
    // it copies what is left: so first catch up with a few more passes, each shorter than the last.
    let [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.log <= restartPages) return;
    for (let pass = 0, behind = Infinity; pass < CATCH_UP_PASSES; pass++) {
      const copied = r.log;
      [r] = db.pragma('wal_checkpoint(PASSIVE)');
      if (r.log - copied >= behind) break;
      behind = r.log - copied;
    }
    db.pragma('wal_checkpoint(RESTART)');
  } catch (e) {
    parentPort?.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
}, intervalMs);

parentPort?.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.postMessage({ stopped: true });
});
