import { describe, expect, it } from 'vitest';
import { MAX_TEXT } from '../../src/engine/inbound.js';
import type { InboundMessage } from '../../src/model.js';
import { ROOT } from '../helpers/cli.js';
import { testBot } from '../helpers/harness.js';
import { hostileText, pick, rng } from '../helpers/random.js';
import { join } from 'node:path';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const N = Number(process.env.FUZZ_N ?? 100_000);
const GROUPS = ['g3-class2-parents', 'g3-class2-staff', 'g5-en-a', 'g5-en-b', 'unknown-group'];
const SENDERS = ['王妈妈', '李老师', '陈老师', '张主任', 'x'.repeat(300), '', '\ud800', 'Robert"); DROP TABLE members;--'];

/** A message as an adapter might hand it over, sometimes broken on purpose. */
function message(r: () => number, i: number): unknown {
  const text = hostileText(r);
  const base: InboundMessage = {
    platform: 'console',
    eventId: r() < 0.05 && i > 0 ? `f-${Math.floor(r() * i)}` : `f-${i}`,
    chatType: r() < 0.1 ? 'direct' : 'group',
    groupId: pick(r, GROUPS),
    groupName: pick(r, ['三年级二班家长群', '', undefined as unknown as string]),
    sender: { id: pick(r, SENDERS) || 'anon', name: pick(r, SENDERS) },
    text,
    elements: r() < 0.1 ? [{ type: 'image' }] : [{ type: 'text', text }],
    mentions: r() < 0.2 ? [{ id: 'nobody-knows-me', name: '陌生人' }] : [],
    addressed: r() < 0.3,
    timestamp: Date.parse('2026-11-23T10:00:00+08:00') + i * 1000,
  };
  if (base.chatType === 'direct') base.groupId = null;
  const broken = r();
  if (broken < 0.01) return { ...base, sender: null };
  if (broken < 0.02) return { ...base, timestamp: Number.NaN };
  if (broken < 0.03) return { ...base, eventId: 'e'.repeat(1000) };
  if (broken < 0.035) return { ...base, text: 42 };
  if (broken < 0.04) return { ...base, mentions: [null, 5, { id: 7 }] };
  return base;
}

describe('fuzzing the inbound path', () => {
  it(`survives ${N} random and hostile messages, and stored text round-trips`, async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    const t = await testBot(join(ROOT, 'playbooks'), { now: '2026-11-23T10:00:00+08:00' });
    const r = rng(SEED);
    const expected = new Map<string, string>();
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < N; i += 500) {
      const batch = Array.from({ length: Math.min(500, N - i) }, (_, k) => message(r, i + k));
      const results = await Promise.all(batch.map((m) => t.bot.engine.handleInbound(m)));
      results.forEach((o, k) => {
        outcomes[o] = (outcomes[o] ?? 0) + 1;
        const m = batch[k] as InboundMessage;
        if (o === 'handled') expected.set(m.eventId, m.text.slice(0, MAX_TEXT).toWellFormed());
      });
      t.clock.advance(500_000);
      await t.bot.tick();
    }
    process.off('unhandledRejection', onRejection);
    expect(rejections).toEqual([]);
    expect(outcomes.handled).toBeGreaterThan(N / 2);
    expect(outcomes.duplicate).toBeGreaterThan(0);
    expect(outcomes.invalid).toBeGreaterThan(0);
    const stored = t.bot.store.sqlite.prepare(`SELECT event_id AS id, text FROM messages`).all() as { id: string; text: string }[];
    expect(stored).toHaveLength(expected.size);
    for (const row of stored) expect(row.text).toBe(expected.get(row.id));
    expect(t.bot.store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    await t.stop();
  });
});
