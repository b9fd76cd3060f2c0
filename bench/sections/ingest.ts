/**
 * 1. Ingest: the district's traffic through the whole inbound path (validation, dedupe, routing,
 * members, detection, check-ins, follow-ups, FAQ, outbox) into a file-backed SQLite database in
 * WAL mode, delivered in bursts by a null adapter. Baseline in the same run: raw better-sqlite3
 * prepared inserts of the same message rows, one transaction per burst, into the same schema, in
 * a process of its own (this one's peak RSS is the bot's). The two take turns slice by slice, so
 * a machine that gets busier slows both alike. Then the latency phase: more messages arriving one by
 * one at a steady random rate onto the full store.
 */
import { join } from 'node:path';
import { startBot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import { writeDistrict } from '../lib/district.js';
import { Feed, type FedMessage } from '../lib/feed.js';
import { describeTally, tallyLogger } from '../lib/log-tally.js';
import { now, peakRssMb, percentile, scratchDir } from '../lib/measure.js';
import { Rng } from '../lib/rng.js';
import { NullAdapter } from '../lib/null-adapter.js';
import { startRawInserts } from '../lib/raw-inserts.js';
import { figure, type SectionResult } from '../lib/result.js';
import type { SectionContext } from './context.js';

const GROUPS = 2_000;
const MEMBERS_PER_GROUP = 20;
const GROUPS_PER_PLAYBOOK = 10;
/** Two hundred thousand messages a school day: five a parent. */
const PER_DAY = 200_000;
const SLICE = 10_000;

/**
 * Latency is measured open-loop: messages arrive at random times at this average rate (far beyond
 * the district's 200,000 a school day, about 4 a second) and each is timed from its scheduled
 * arrival, so a bot that falls behind pays for its queue. Bursts measure throughput instead: the
 * last of 200 messages delivered in the same instant necessarily waits for the 199 before it.
 */
const LATENCY_RATE = 1_000;
const LATENCY_MESSAGES = 20_000;

/** Delivers `items` as a Poisson process at LATENCY_RATE; each entry of the result is one message's latency in ms, sorted. */
async function pacedLatencies(items: FedMessage[], deliver: (msg: FedMessage['msg']) => Promise<void> | void): Promise<Float64Array> {
  const rng = new Rng(7);
  const arrivals = new Float64Array(items.length);
  for (let i = 0, t = 0; i < items.length; i++) arrivals[i] = t += (-Math.log(1 - rng.next()) * 1000) / LATENCY_RATE;
  const out = new Float64Array(items.length);
  const handled: Promise<void>[] = [];
  const start = now();
  let next = 0;
  await new Promise<void>((done) => {
    const pump = () => {
      for (const elapsed = now() - start; next < items.length && arrivals[next]! <= elapsed; next++) {
        const i = next;
        handled.push(Promise.resolve(deliver(items[i]!.msg)).then(() => void (out[i] = now() - start - arrivals[i]!)));
      }
      if (next < items.length) setTimeout(pump, Math.max(0, arrivals[next]! - (now() - start)));
      else done();
    };
    pump();
  });
  await Promise.all(handled);
  out.sort();
  return out;
}

export async function run(ctx: SectionContext): Promise<SectionResult> {
  const started = now();
  const n = ctx.n ?? (ctx.quick ? 50_000 : 1_000_000);
  const burst = ctx.burst ?? 200;
  const scratch = scratchDir('ingest');
  try {
    const playbooks = writeDistrict(scratch.dir, {
      playbooks: GROUPS / GROUPS_PER_PLAYBOOK,
      groupsPerPlaybook: GROUPS_PER_PLAYBOOK,
      platform: () => 'lark',
    });
    const groups = playbooks.flatMap((p) => p.groups);
    const feedOptions = { membersPerGroup: MEMBERS_PER_GROUP, seed: 1, startDate: '2026-11-23', perDay: PER_DAY };
    const feed = new Feed({ ...feedOptions, groups });
    const raw = startRawInserts({ playbooks: playbooks.length, groupsPerPlaybook: GROUPS_PER_PLAYBOOK, feed: feedOptions });

    // The bot under test. The null adapter accepts sends at once: rate limits are section 4's subject.
    const clock = new FakeClock(feed.now);
    const adapter = new NullAdapter('lark', { perTarget: { max: 1_000, windowMs: 1_000 } });
    const { log, tally } = tallyLogger();
    const bot = await startBot({ playbookDir: scratch.dir, dbPath: join(scratch.dir, 'classbot.db'), adapters: [adapter], clock, log, watch: false, autoTick: false });

    const latencies = new Float32Array(n);
    let pipelineMs = 0;
    let rawMs = 0;
    let done = 0;
    const kinds = new Map<string, number>();
    const unhandled: unknown[] = [];

    const runPipeline = async (bursts: FedMessage[][], offset: number) => {
      let k = offset;
      for (const items of bursts) {
        clock.set(items[items.length - 1]!.msg.timestamp);
        const t0 = now();
        const pending = items.map(({ msg }) => {
          const i = k++;
          return Promise.resolve(adapter.deliver(msg)).then(() => {
            latencies[i] = now() - t0;
          }, (e: unknown) => void unhandled.push(e));
        });
        await Promise.all(pending);
        pipelineMs += now() - t0;
      }
    };
    for (let slice = 0; done < n; slice++) {
      const size = Math.min(SLICE, n - done);
      const bursts: FedMessage[][] = [];
      for (let i = 0; i < size; i += burst) {
        const items = feed.burst(Math.min(burst, size - i));
        for (const it of items) kinds.set(it.kind, (kinds.get(it.kind) ?? 0) + 1);
        bursts.push(items);
      }
      // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
      if (slice % 2 === 0) {
        rawMs += await raw.insert(size, burst);
        await runPipeline(bursts, done);
      } else {
        await runPipeline(bursts, done);
        rawMs += await raw.insert(size, burst);
      }
      done += size;
      ctx.progress(`ingest ${done.toLocaleString('en-US')}/${n.toLocaleString('en-US')}`);
    }
    // What the throughput phase stored, against the baseline's rows (the latency phase adds more).
    const count = (db: typeof bot.store.sqlite, sql: string): number => {
      try {
        return (db.prepare(sql).get() as { n: number }).n;
      } catch {
        return NaN;
      }
    };
    const stored = count(bot.store.sqlite, 'SELECT COUNT(*) AS n FROM messages');
    const burstP99 = percentile(latencies, 99);
    const burstP50 = percentile(latencies, 50);
    ctx.progress(`ingest: latency at ${LATENCY_RATE.toLocaleString('en-US')} msg/s`);
    const paced = await pacedLatencies(feed.burst(ctx.quick ? 5_000 : LATENCY_MESSAGES), (msg) => {
      clock.set(msg.timestamp);
      return adapter.deliver(msg);
    });
    const peak = peakRssMb();

    const rawStored = await raw.finish();
    const effects = {
      messagesStored: stored,
      rawRowsStored: rawStored,
      sent: adapter.sent,
      outboxPending: count(bot.store.sqlite, "SELECT COUNT(*) AS n FROM outbox WHERE status <> 'sent'"),
      checkins: count(bot.store.sqlite, 'SELECT COUNT(*) AS n FROM checkins'),
      followups: count(bot.store.sqlite, 'SELECT COUNT(*) AS n FROM followups'),
      worryLabelled: count(bot.store.sqlite, "SELECT COUNT(*) AS n FROM messages WHERE worry_label IS NOT NULL AND worry_label <> 'none'"),
    };
    await bot.stop();

    const rate = (n / pipelineMs) * 1000;
    const rawRate = (n / rawMs) * 1000;
    const p99 = percentile(paced, 99);
    const notes = [
      `mix: ${[...kinds].map(([k, v]) => `${k} ${((v / n) * 100).toFixed(1)}%`).join(', ')}`,
      `effects: ${Object.entries(effects).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`,
      `absolute: classbot ${(pipelineMs / 1000).toFixed(1)} s, raw inserts ${(rawMs / 1000).toFixed(1)} s`,
      `latency: ${paced.length.toLocaleString('en-US')} more messages arriving at random (Poisson) at ${LATENCY_RATE.toLocaleString('en-US')} msg/s on the full store, from arrival to handled (stored, replies sent): p50 ${percentile(paced, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${paced[paced.length - 1]!.toFixed(1)} ms`,
      `a burst of ${burst} delivered at once is handled as one batch: each of its messages is done when the batch is (p50 ${burstP50.toFixed(1)} ms, p99 ${burstP99.toFixed(1)} ms)`,
    ];
    notes.push(...describeTally(tally));
    if (stored !== rawStored) notes.push(`WARNING: classbot stored ${stored} messages, the raw baseline ${rawStored}`);
    if (unhandled.length) notes.push(`WARNING: ${unhandled.length} deliveries rejected: ${String(unhandled[0])}`);
    return {
      section: 'ingest',
      title: 'Ingest',
      params: { messages: n, groups: GROUPS, members: GROUPS * MEMBERS_PER_GROUP, playbooks: playbooks.length, burst, perDay: PER_DAY, latencyRate: LATENCY_RATE },
      figures: [
        figure({ metric: 'throughput', value: rate, unit: 'msg/s', baseline: { name: 'raw prepared inserts', value: rawRate }, target: { on: 'ratio', op: '>=', limit: 0.5 } }),
        figure({ metric: 'p99 latency', value: p99, unit: 'ms', target: { on: 'value', op: '<', limit: 5 } }),
        figure({ metric: 'peak RSS', value: peak, unit: 'MB', target: { on: 'value', op: '<', limit: 300 } }),
      ],
      notes,
      seconds: (now() - started) / 1000,
    };
  } finally {
    scratch.cleanup();
  }
}
