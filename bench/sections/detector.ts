/**
 * 2. Detector: classify the district's messages with the worry detector (normalisation,
 * Traditional → Simplified, the lexicon automaton, scoring). Baseline in the same run: what a
 * straightforward implementation would do first, segmenting each text with @node-rs/jieba and
 * looking every token up in a hash set of the same lexicon terms. The two alternate chunk by chunk.
 * Then the worst case: 64k-character repetitive messages, through the detector and the inbound path.
 */
import { createRequire } from 'node:module';
import { Corpus } from '../lib/corpus.js';
import { now } from '../lib/measure.js';
import { detectorTimes, inboundTimes, LONG, longMessages } from '../lib/long-messages.js';
import { figure, skipped, type SectionResult } from '../lib/result.js';
import { Rng } from '../lib/rng.js';
import type { SectionContext } from './context.js';

const CHUNK = 50_000;
const WARM_UP = 100_000;

export async function run(ctx: SectionContext): Promise<SectionResult> {
  const started = now();
  let detectorModule: typeof import('../../src/detector/index.js');
  let lexiconModule: typeof import('../../src/detector/lexicon.js');
  try {
    detectorModule = await import('../../src/detector/index.js');
    lexiconModule = await import('../../src/detector/lexicon.js');
  } catch (e) {
    return skipped('detector', 'Detector', `the detector does not load yet: ${(e as Error).message}`);
  }
  const { Jieba } = await import('@node-rs/jieba');
  const { dict } = createRequire(import.meta.url)('@node-rs/jieba/dict') as { dict: Uint8Array };

  const n = ctx.n ?? (ctx.quick ? 100_000 : 1_000_000);
  const corpus = new Corpus(2);
  const rng = new Rng(3);
  const texts: string[] = [];
  for (let i = 0; i < n; i++) texts.push((rng.chance(0.03) ? corpus.staff() : corpus.member()).text);

  const detector = detectorModule.createDetector();
  // The same lexicon, term by term; a gapped term (说好的…呢) contributes its parts.
  const terms = new Set<string>();
  for (const group of lexiconModule.LEXICON) for (const term of group.terms) for (const part of term.split('…')) if (part) terms.add(part);
  const jieba = Jieba.withDict(dict);

  const labels = new Map<string, number>();
  let hits = 0;
  const classify = (from: number, to: number, count: boolean) => {
    for (let i = from; i < to; i++) {
      const d = detector.detect(texts[i]!);
      if (count) labels.set(d.label, (labels.get(d.label) ?? 0) + 1);
    }
  };
  const segment = (from: number, to: number) => {
    for (let i = from; i < to; i++) for (const token of jieba.cut(texts[i]!)) if (terms.has(token)) hits++;
  };

  classify(0, Math.min(WARM_UP, n), false);
  segment(0, Math.min(WARM_UP, n));
  hits = 0;

  let detectorMs = 0;
  let baselineMs = 0;
  for (let from = 0, chunk = 0; from < n; from += CHUNK, chunk++) {
    const to = Math.min(n, from + CHUNK);
    const timeDetector = () => {
      const t0 = now();
      classify(from, to, true);
      detectorMs += now() - t0;
    };
    const timeBaseline = () => {
      const t0 = now();
      segment(from, to);
      baselineMs += now() - t0;
    };
    if (chunk % 2 === 0) {
      timeDetector();
      timeBaseline();
    } else {
      timeBaseline();
      timeDetector();
    }
    ctx.progress(`detector ${to.toLocaleString('en-US')}/${n.toLocaleString('en-US')}`);
  }

  ctx.progress('detector: 64k messages');
  const long = longMessages();
  const longDetector = detectorTimes(detector, long);
  const longInbound = await inboundTimes(long);
  const worst = (times: number[]) => Math.max(...times);
  const perMessage = long.map((m, i) => `${m.name} ${longDetector[i]!.toFixed(1)} / ${longInbound[i]!.toFixed(1)} ms`).join(', ');

  const rate = (n / detectorMs) * 1000;
  const baseRate = (n / baselineMs) * 1000;
  return {
    section: 'detector',
    title: 'Detector',
    params: { messages: n, lexiconTerms: terms.size },
    figures: [
      figure({ metric: 'throughput', value: rate, unit: 'msg/s', baseline: { name: 'jieba + hash set', value: baseRate }, target: { on: 'ratio', op: '>=', limit: 2 } }),
      figure({ metric: 'worst 64k message, detector', value: worst(longDetector), unit: 'ms', target: { on: 'value', op: '<', limit: 20 } }),
      figure({ metric: 'worst 64k message, inbound path', value: worst(longInbound), unit: 'ms', target: { on: 'value', op: '<', limit: 20 } }),
    ],
    notes: [
      `per message: detector ${((detectorMs * 1000) / n).toFixed(2)} µs, jieba + lookups ${((baselineMs * 1000) / n).toFixed(2)} µs; absolute: ${(detectorMs / 1000).toFixed(1)} s vs ${(baselineMs / 1000).toFixed(1)} s`,
      `${LONG.toLocaleString('en-US')}-character messages, detector / inbound path (median of 5): ${perMessage}`,
      `labels: ${[...labels].map(([k, v]) => `${k} ${((v / n) * 100).toFixed(1)}%`).join(', ')}; baseline lexicon hits ${hits.toLocaleString('en-US')}`,
    ],
    seconds: (now() - started) / 1000,
  };
}
