/**
 * The loads of the crash-moment tests, shared by the child process that is killed and by the
 * uninterrupted reference run. All of it is a function of the message index, so a run that
 * crashed and resumed can be compared with one that did not.
 */
import type Database from 'better-sqlite3';
import type { Bot } from '../../src/bot.js';
import type { FakeClock } from '../../src/clock.js';
import type { InboundHandler, InboundMessage } from '../../src/model.js';
import { loadMessage } from './crash-load.js';

export type Mode = 'burst' | 'reload' | 'report';

/** Bursts of 200 messages, a minute apart, on a Monday evening (check-ins, questions, worries). */
export const BURST = 200;
export const BURSTS = 6;
const BURST_T0 = Date.parse('2026-11-23T18:00:00+08:00');
/** The report load: 42 messages through the week of 23 November, then its report on Monday 30 November at 08:00. */
export const WEEK_MESSAGES = 42;
const WEEK_T0 = Date.parse('2026-11-23T07:00:00+08:00');
export const REPORT_AT = Date.parse('2026-11-30T08:00:00+08:00');

const PARENTS = ['王妈妈', '李爸爸', '赵奶奶', '陈妈妈', '孙爸爸', '周妈妈', '吴爸爸'];

export function total(mode: Mode): number {
  return mode === 'report' ? WEEK_MESSAGES : BURST * BURSTS;
}

/** When message `i` arrives. */
export function timeOf(mode: Mode, i: number): number {
  return mode === 'report' ? WEEK_T0 + i * 4 * 3_600_000 : BURST_T0 + Math.floor(i / BURST) * 60_000;
}

export function message(mode: Mode, i: number): InboundMessage {
  // Bursts: many parents, so a batch touches many members; the week: a few, checking in daily.
  const who = mode === 'report' ? PARENTS[i % PARENTS.length]! : `${PARENTS[i % PARENTS.length]}${Math.floor(i / 7) % 40}`;
  return loadMessage(i, who, timeOf(mode, i));
}

export interface DeliverHooks {
  /** Message i was handed over and acknowledged. */
  onAck(i: number): void;
  /** A burst (for the week: a message) starting at i is about to be delivered. */
  beforeBurst?(i: number): void;
  /** The Monday report's tick is next. */
  beforeReport?(): void;
}

/**
 * Delivers messages `from`.. the way a platform that acknowledges on receipt does: each handed
 * over and acknowledged in the same turn, a whole burst before the engine stores any of it.
 */
export async function deliver(bot: Bot, handler: InboundHandler, clock: FakeClock, mode: Mode, from: number, hooks: DeliverHooks): Promise<void> {
  const n = total(mode);
  for (let i = from; i < n; ) {
    clock.set(Math.max(clock.now(), timeOf(mode, i)));
    await bot.tick();
    hooks.beforeBurst?.(i);
    const end = mode === 'report' ? i + 1 : Math.min(n, (Math.floor(i / BURST) + 1) * BURST);
    const handled: (Promise<void> | void)[] = [];
    for (; i < end; i++) {
      handled.push(handler(message(mode, i)));
      hooks.onAck(i);
    }
    await Promise.all(handled);
  }
  if (mode === 'report') {
    clock.set(Math.max(clock.now(), REPORT_AT));
    hooks.beforeReport?.();
    await bot.tick();
  }
}

/**
 * What must be the same with or without crashes: check-ins, follow-ups, and what the outbox holds
 * (without statuses and instants; a message row id in a key is replaced by its event id, as ids
 * are not reused after an ignored duplicate insert).
 */
export function durableState(db: Database.Database): { checkins: unknown[]; followups: unknown[]; outbox: unknown[] } {
  const eventOf = db.prepare(`SELECT event_id AS e FROM messages WHERE id = ?`).pluck();
  const outbox = (db.prepare(`SELECT key, target_id AS target FROM outbox`).all() as { key: string; target: string }[])
    .map((o) => ({ ...o, key: o.key.replace(/:msg:(\d+)$/, (_, id: string) => `:msg:${String(eventOf.get(Number(id)))}`) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    checkins: db.prepare(`SELECT m.user_id AS who, c.game_id AS game, c.day, c.kind FROM checkins c JOIN members m ON m.id = c.member_id ORDER BY who, game, day, kind`).all(),
    followups: db.prepare(`SELECT m.user_id AS who, f.category, f.source FROM followups f JOIN members m ON m.id = f.member_id ORDER BY who, f.category, f.source`).all(),
    outbox,
  };
}
