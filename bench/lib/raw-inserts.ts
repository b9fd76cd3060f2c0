/**
 * The ingest baseline, in a process of its own so that the bot's process measures the bot alone
 * (its peak RSS is a target): raw better-sqlite3 prepared inserts of the ingest's message rows,
 * one transaction per burst, into a store with the same schema and pragmas. It generates the same
 * messages as the ingest section (same district, same seed) and inserts a slice when asked:
 * `{ size, burst }` → `{ ms }`, then `{ done: true }` → `{ rows }`.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/db.js';
import { writeDistrict } from './district.js';
import { Feed, type FeedOptions, type FedMessage } from './feed.js';
import { now, scratchDir } from './measure.js';

/** The district (on Lark) and the feed settings the ingest section uses. */
export interface RawInsertsConfig {
  playbooks: number;
  groupsPerPlaybook: number;
  feed: Omit<FeedOptions, 'groups'>;
}

type Request = { size: number; burst: number } | { done: true };
type Reply = { ms: number } | { rows: number };

const SELF = fileURLToPath(import.meta.url);

/** Starts the baseline process; `insert` runs a slice there and resolves to its time in ms. */
export function startRawInserts(config: RawInsertsConfig): {
  insert(size: number, burst: number): Promise<number>;
  finish(): Promise<number>;
} {
  const child = fork(SELF, [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting: { resolve(r: Reply): void; reject(e: Error): void } | null = null;
  child.on('message', (m) => waiting?.resolve(m as Reply));
  child.on('exit', (code) => waiting?.reject(new Error(`the raw-insert baseline exited with ${code}`)));
  const ask = (req: Request) =>
    new Promise<Reply>((resolve, reject) => {
      waiting = { resolve, reject };
      child.send(req);
    });
  return {
    insert: async (size, burst) => ((await ask({ size, burst })) as { ms: number }).ms,
    finish: async () => ((await ask({ done: true })) as { rows: number }).rows,
  };
}

/** The child's side. */
function serve(config: RawInsertsConfig): void {
  const scratch = scratchDir('raw-inserts');
  const district = writeDistrict(scratch.dir, { playbooks: config.playbooks, groupsPerPlaybook: config.groupsPerPlaybook, platform: () => 'lark' });
  const groups = district.flatMap((p) => p.groups);
  const feed = new Feed({ ...config.feed, groups });
  const store = openStore(join(scratch.dir, 'raw.db'));
  const insert = store.sqlite.prepare(
    `INSERT OR IGNORE INTO messages (platform, event_id, group_id, member_id, playbook_id, chat_type, text, addressed, sent_at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Ids as the bot's directory hands them out: first seen, first numbered.
  const memberIds = new Map<string, number>();
  const playbookOf = groups.map((g) => g.playbook.id);
  const insertBurst = store.sqlite.transaction((items: FedMessage[], receivedAt: number) => {
    for (const { msg } of items) {
      let memberId = memberIds.get(msg.sender.id);
      if (memberId === undefined) memberIds.set(msg.sender.id, (memberId = memberIds.size + 1));
      const groupIndex = Number(msg.groupId!.slice('oc_class_'.length));
      insert.run(msg.platform, msg.eventId, groupIndex + 1, memberId, playbookOf[groupIndex], msg.chatType, msg.text, msg.addressed ? 1 : 0, msg.timestamp, receivedAt);
    }
  });
  process.on('message', (req: Request) => {
    if ('done' in req) {
      const rows = (store.sqlite.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
      store.close();
      scratch.cleanup();
      process.send!({ rows } satisfies Reply, () => process.exit(0));
      return;
    }
    // Generated before the clock starts, as the section does for the bot.
    const bursts: FedMessage[][] = [];
    for (let i = 0; i < req.size; i += req.burst) bursts.push(feed.burst(Math.min(req.burst, req.size - i)));
    let ms = 0;
    for (const items of bursts) {
      const t0 = now();
      insertBurst(items, items[items.length - 1]!.msg.timestamp);
      ms += now() - t0;
    }
    process.send!({ ms } satisfies Reply);
  });
}

if (process.argv[1] === SELF && process.send) serve(JSON.parse(process.argv[2]!));
