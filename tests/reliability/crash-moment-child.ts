/**
 * The bot killed at a chosen moment: on an adapter that acknowledges each message on receipt
 * (before the engine commits it), every send appended to a log as the platform would see it,
 * "ack <i>" printed as message i is acknowledged.
 * argv: mode dbPath playbookDir sentLog from clockAt
 * In reload mode the playbook is rewritten (same meaning) as each burst begins ("reload" printed);
 * in report mode "firing" is printed before the Monday report tick. "done" at the end.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startBot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import type { Adapter, InboundHandler } from '../../src/model.js';
import { deliver, type Mode } from './crash-moments.js';

const [mode, dbPath, playbookDir, sentLog, from, clockAt] = process.argv.slice(2) as [Mode, string, string, string, string, string];

let handler: InboundHandler | null = null;
const platform: Adapter = {
  platform: 'console',
  acknowledgesOnReceipt: true,
  capabilities: { mentions: true, mentionAll: true, directMessages: true, cards: false, markdown: true, files: false, seesAllGroupMessages: true },
  rateLimits: { perTarget: { max: 1000, windowMs: 1000 } },
  async start(h) {
    handler = h;
  },
  async stop() {},
  status: () => ({ state: 'connected', since: 0 }),
  async send(msg) {
    appendFileSync(sentLog, `${JSON.stringify({ key: msg.idempotencyKey })}\n`);
    return { platformMessageIds: [] };
  },
};

const clock = new FakeClock(Number(clockAt));
const bot = await startBot({ playbookDir, dbPath, adapters: [platform], clock, watch: mode === 'reload', autoTick: false, workDir: dirname(dbPath) });
const file = join(playbookDir, 'g3-class2.yaml');
let reloads = 0;
const say = (line: string) => process.stdout.write(`${line}\n`);
await deliver(bot, handler!, clock, mode, Number(from), {
  onAck: (i) => say(`ack ${i}`),
  beforeBurst: () => {
    if (mode !== 'reload') return;
    // A comment more: the same playbook, reloaded while messages flow.
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n# reload ${++reloads}\n`);
    say('reload');
  },
  beforeReport: () => say('firing'),
});
say('done');
// Stay up until killed, as a bot does.
setInterval(() => {}, 1 << 30);
