/** The steady load of the crash test: message m-<i> arrives at T0 + i·30 s (so reminders come due). */
import type { Bot } from '../../src/bot.js';
import type { FakeClock } from '../../src/clock.js';
import type { InboundHandler, InboundMessage } from '../../src/model.js';

export const T0 = Date.parse('2026-11-23T17:00:00+08:00');
const STEP = 30_000;
export const TEXTS = ['打卡 20分钟', '今天作业是什么？', '收到', '孩子最近总说不想上学，天天哭', '请问课表在哪里看？', '老师辛苦了', '#晨读 15分钟', '说好的回放呢？都两天了还没人回复'];
const PARENTS = ['王妈妈', '李爸爸', '赵奶奶', '陈妈妈', '孙爸爸'];

/** Delivers messages from index `from` on (up to `to`, exclusive), calling `onCommitted(i)` after each. */
export async function feed(bot: Bot, handler: InboundHandler, clock: FakeClock, from: number, to: number, onCommitted: (i: number) => void): Promise<void> {
  for (let i = from; i < to; i++) {
    clock.set(T0 + i * STEP);
    await bot.tick();
    await handler(loadMessage(i, PARENTS[i % PARENTS.length]!, clock.now()));
    onCommitted(i);
  }
}

/** What must survive any crash: check-ins and follow-ups, without ids and instants that differ run to run. */
export function durableState(bot: Bot): string {
  const db = bot.store.sqlite;
  return JSON.stringify({
    checkins: db.prepare(`SELECT m.user_id AS who, c.game_id AS game, c.day, c.kind FROM checkins c JOIN members m ON m.id = c.member_id ORDER BY who, game, day`).all(),
    followups: db.prepare(`SELECT m.user_id AS who, f.category, f.source FROM followups f JOIN members m ON m.id = f.member_id ORDER BY who, f.category, f.opened_at`).all(),
  });
}

/** Message m-<i> of the crash tests' load, in the class group, from `who`. */
export function loadMessage(i: number, who: string, timestamp: number): InboundMessage {
  const text = TEXTS[i % TEXTS.length]!;
  return {
    platform: 'console',
    eventId: `m-${i}`,
    chatType: 'group',
    groupId: 'g3-class2-parents',
    groupName: '三年级二班家长群',
    sender: { id: who, name: who },
    text,
    elements: [{ type: 'text', text }],
    mentions: [],
    addressed: i % 3 === 0,
    timestamp,
  };
}
