import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.js';
import type { Store } from './db.js';

/** Copying the WAL back into the database this often keeps each checkpoint short. */
const INTERVAL_MS = 100;
/** A WAL this long (pages; 256 MB) is reset, holding the writer back briefly: under constant load the bot never lets the WAL restart by itself. */
const RESTART_PAGES = 65_536;
const WORKER = new URL('./checkpoint-worker.js', import.meta.url);

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the bot's thread. SQLite otherwise checkpoints inside the commit that
 * crosses 1,000 WAL pages: copying pages back and two fsyncs stall whatever message is being
 * handled (a third of the commit time under load). A worker thread with its own connection does it
 * every 100 ms while the bot keeps writing; should it fail, SQLite's own checkpoints come back.
 */
export function startCheckpointer(store: Store, path: string, log: Logger): Checkpointer | null {
  if (path === ':memory:') return null;
  const worker = new Worker(WORKER, { workerData: { path, intervalMs: INTERVAL_MS, restartPages: RESTART_PAGES } });
  const fallBack = (why: string) => {
    log.warn({ err: why }, 'background WAL checkpoints failed; SQLite checkpoints on commit again');
    if (store.sqlite.open) store.sqlite.pragma('wal_autocheckpoint = 1000');
  };
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    worker.on('exit', (code) => {
      if (!stopping) fallBack(`checkpoint thread exited with ${code}`);
      resolve();
    }),
  );
  worker.on('message', (m: { error?: string; stopped?: boolean }) => {
    if (m.error) log.warn({ err: m.error }, 'WAL checkpoint failed');
    if (m.stopped) void worker.terminate();
  });
  worker.on('error', (e) => fallBack(e.message));
  // The bot's thread is never kept alive by this one.
  worker.unref();
  store.sqlite.pragma('wal_autocheckpoint = 0');
  return {
    async stop() {
      stopping = true;
      // Until its connection is closed, the thread keeps the process alive.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
