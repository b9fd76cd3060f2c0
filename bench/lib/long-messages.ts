/**
 * The detector's worst case: 64k-character messages of the kinds that once made a stage
 * quadratic (issue 16: 3.8 s for 64k of 「说好的」 through the inbound path, 84 ms at 8k), timed
 * through the detector alone and through the whole inbound path (a bot on a file database, one
 * class group of the example playbook, a null adapter). Each is the median of a few runs.
 */
import { join } from 'node:path';
import { startBot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import type { Detector } from '../../src/detector/index.js';
import { zonedToUtc } from '../../src/time.js';
import { Corpus } from './corpus.js';
import { writeDistrict } from './district.js';
import { median, now, scratchDir } from './measure.js';
import { NullAdapter } from './null-adapter.js';
import { silentLogger } from '../../src/log.js';

export const LONG = 65_536;
const RUNS = 5;

const repeated = (unit: string) => unit.repeat(Math.ceil(LONG / unit.length)).slice(0, LONG);

/** 64k messages: one phrase, one character, two phrases in turn, worried sentences of every kind, and markup the normaliser looks into. */
export function longMessages(): { name: string; text: string }[] {
  const corpus = new Corpus(11);
  let worried = '';
  while (worried.length < LONG) {
    const m = corpus.member();
    if (m.kind === 'worry') worried += `${m.text}。`;
  }
  return [
    { name: '说好的 repeated', text: repeated('说好的') },
    { name: 'one character (哭)', text: repeated('哭') },
    { name: 'two phrases in turn', text: repeated('太失望了，没人理。孩子不想上学了！') },
    { name: 'worried sentences', text: worried.slice(0, LONG) },
    { name: '不担心 repeated', text: repeated('不担心') },
    { name: '《 repeated', text: repeated('《') },
  ];
}

/** Median ms of `RUNS` calls of f, after three to warm up. */
function timed(f: () => unknown): number {
  for (let i = 0; i < 3; i++) f();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = now();
    f();
    times.push(now() - t0);
  }
  return median(times);
}

export function detectorTimes(detector: Detector, messages: { name: string; text: string }[]): number[] {
  return messages.map((m) => timed(() => detector.detect(m.text)));
}

/** Each message delivered by a new parent each time (so each is a first message): all once to warm up, then RUNS times each. */
export async function inboundTimes(messages: { name: string; text: string }[]): Promise<number[]> {
  const scratch = scratchDir('long-messages');
  try {
    const [playbook] = writeDistrict(scratch.dir, { playbooks: 1, groupsPerPlaybook: 1, platform: () => 'lark' });
    const group = playbook!.groups[0]!;
    const clock = new FakeClock(zonedToUtc('2026-11-23', 10 * 60, 'Asia/Shanghai'));
    const adapter = new NullAdapter('lark', { perTarget: { max: 1_000, windowMs: 1_000 } });
    const bot = await startBot({ playbookDir: scratch.dir, dbPath: join(scratch.dir, 'classbot.db'), adapters: [adapter], clock, log: silentLogger, watch: false, autoTick: false });
    let seq = 0;
    const deliver = async (text: string): Promise<number> => {
      clock.advance(60_000);
      const n = ++seq;
      const t0 = now();
      await adapter.deliver({
        platform: 'lark', eventId: `long_${n}`, chatType: 'group', groupId: group.chatId, groupName: 'long',
        sender: { id: `ou_long_${n}`, name: `家长${n}` }, text, elements: [{ type: 'text', text }],
        mentions: [], addressed: false, timestamp: clock.now(),
      });
      return now() - t0;
    };
    for (const m of messages) await deliver(m.text);
    const out: number[] = [];
    for (const m of messages) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await deliver(m.text));
      out.push(median(times));
    }
    await bot.stop();
    return out;
  } finally {
    scratch.cleanup();
  }
}
