/**
 * The bot under steady load, for the crash test: messages m-<i> arrive in order, each at its own
 * simulated time (30 s apart, so reminders come due), every send is appended to a log file the
 * way a platform would see it, and "ack <i>" is printed once message i is committed.
 * argv: dbPath playbookDir sentLog fromIndex
 */
import { appendFileSync } from 'node:fs';
import { startBot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import type { Adapter, InboundHandler, OutboundMessage } from '../../src/model.js';

const [dbPath, playbookDir, sentLog, from] = process.argv.slice(2) as [string, string, string, string];
export const T0 = Date.parse('2026-11-23T17:00:00+08:00');
export const STEP = 30_000;

const TEXTS = ['打卡', '今天作业是什么？', '收到', '孩子最近总说不想上学，天天哭', '请问课表在哪里看？', '老师辛苦了', '#打卡 早读完成', '说好的回放呢？都两天了还没人回复'];
const PARENTS = ['王妈妈', '李爸爸', '赵奶奶', '陈妈妈', '孙爸爸'];
export const messageText = (i: number) => TEXTS[i % TEXTS.length]!;

let handler: InboundHandler | null = null;
const platform: Adapter = {
  platform: 'console',
  capabilities: { mentions: true, mentionAll: true, directMessages: true, cards: false, markdown: true, seesAllGroupMessages: true },
  rateLimits: { perTarget: { max: 1000, windowMs: 1000 } },
  async start(h) {
    handler = h;
  },
  async stop() {},
  status: () => ({ state: 'connected', since: 0 }),
  async send(msg: OutboundMessage) {
    appendFileSync(sentLog, `${JSON.stringify({ key: msg.idempotencyKey, text: msg.text })}\n`);
    return { platformMessageIds: [] };
  },
};

const start = Number(from);
const clock = new FakeClock(T0 + start * STEP);
const bot = await startBot({ playbookDir, dbPath, adapters: [platform], clock, watch: false, autoTick: false });
for (let i = start; ; i++) {
  clock.set(T0 + i * STEP);
  await bot.tick();
  await handler!({
    platform: 'console',
    eventId: `m-${i}`,
    chatType: 'group',
    groupId: 'g3-class2-parents',
    groupName: '三年级二班家长群',
    sender: { id: PARENTS[i % PARENTS.length]!, name: PARENTS[i % PARENTS.length]! },
    text: messageText(i),
    elements: [{ type: 'text', text: messageText(i) }],
    mentions: [],
    addressed: i % 3 === 0,
    timestamp: clock.now(),
  });
  process.stdout.write(`ack ${i}\n`);
}
