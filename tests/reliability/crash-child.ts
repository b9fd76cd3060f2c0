/**
 * The bot under steady load for the crash test. Every send is appended to a log file the way a
 * platform would see it, and "ack <i>" is printed once message i is committed.
 * argv: dbPath playbookDir sentLog fromIndex
 */
import { appendFileSync } from 'node:fs';
import { startBot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import type { Adapter, InboundHandler } from '../../src/model.js';
import { T0, feed } from './crash-load.js';

const [dbPath, playbookDir, sentLog, from] = process.argv.slice(2) as [string, string, string, string];

let handler: InboundHandler | null = null;
const platform: Adapter = {
  platform: 'console',
  capabilities: { mentions: true, mentionAll: true, directMessages: true, cards: false, markdown: true, files: false, seesAllGroupMessages: true },
  rateLimits: { perTarget: { max: 1000, windowMs: 1000 } },
  async start(h) {
    handler = h;
  },
  async stop() {},
  status: () => ({ state: 'connected', since: 0 }),
  async send(msg) {
    appendFileSync(sentLog, `${JSON.stringify({ key: msg.idempotencyKey, text: msg.text })}\n`);
    return { platformMessageIds: [] };
  },
};

const clock = new FakeClock(T0);
const bot = await startBot({ playbookDir, dbPath, adapters: [platform], clock, watch: false, autoTick: false });
await feed(bot, handler!, clock, Number(from), Number.MAX_SAFE_INTEGER, (i) => process.stdout.write(`ack ${i}\n`));
