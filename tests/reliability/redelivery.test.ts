import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/model.js';
import { ROOT } from '../helpers/cli.js';
import { testBot } from '../helpers/harness.js';
import { HOUR } from '../../src/time.js';

const CLASS = { groupId: 'g3-class2-parents', groupName: '三年级二班家长群' };

function state(t: Awaited<ReturnType<typeof testBot>>) {
  const db = t.bot.store.sqlite;
  return JSON.stringify({
    messages: db.prepare(`SELECT event_id, text FROM messages ORDER BY id`).all(),
    checkins: db.prepare(`SELECT member_id, day, kind FROM checkins ORDER BY id`).all(),
    followups: db.prepare(`SELECT member_id, category, status FROM followups ORDER BY id`).all(),
    outbox: db.prepare(`SELECT key FROM outbox ORDER BY id`).all(),
  });
}

describe('redelivery', () => {
  it('duplicate and out-of-order deliveries, hours apart and after a restart, change nothing', async () => {
    const dir = join(ROOT, 'playbooks');
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-redeliver-')), 'bot.db');
    const a = await testBot(dir, { dbPath, now: '2026-11-23T07:30:00+08:00' });
    const delivered: InboundMessage[] = [];
    delivered.push(await a.say('王妈妈', '打卡 20分钟', CLASS));
    a.clock.advance(HOUR);
    delivered.push(await a.say('李爸爸', '孩子被同学欺负了，不敢去学校', CLASS));
    a.clock.advance(24 * HOUR);
    delivered.push(await a.say('王妈妈', '打卡 25分钟', CLASS));
    await a.bot.tick();
    const before = state(a);
    // Out of order and hours later: the newest first, then the oldest.
    a.clock.advance(5 * HOUR);
    for (const m of [...delivered].reverse()) expect(await a.bot.engine.handleInbound(m)).toBe('duplicate');
    expect(state(a)).toBe(before);
    await a.stop();

    const b = await testBot(dir, { dbPath, now: '2026-11-25T12:00:00+08:00' });
    const after = state(b);
    for (const m of [delivered[1]!, delivered[0]!, delivered[2]!]) expect(await b.bot.engine.handleInbound(m)).toBe('duplicate');
    expect(state(b)).toBe(after);
    expect(JSON.parse(after).checkins).toHaveLength(2);
    expect(JSON.parse(after).followups).toHaveLength(1);
    await b.stop();
  });
});
