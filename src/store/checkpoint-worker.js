// The WAL checkpointer's thread (see checkpointer.ts). Plain JavaScript: a worker thread does not
// inherit the TypeScript loader the main thread runs under.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ path: string, intervalMs: number, restartPages: number }} */
const { path, intervalMs, restartPages } = workerData;
const db = new Database(path);
db.pragma('busy_timeout = 5000');

const timer = setInterval(() => {
  try {
    // PASSIVE copies what it can without waiting for the writer; a WAL that grows past
    // restartPages anyway (the writer never paused) is reset once, briefly holding the writer back.
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.log > restartPages) db.pragma('wal_checkpoint(RESTART)');
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
