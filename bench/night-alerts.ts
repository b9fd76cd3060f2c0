/**
 * Follow-up alerts that a week of the bench's district would raise at night, by severity: one week
 * of its members' messages (the ingest section's volume, 200,000 a day, 3% of them from staff, who
 * are not read for worry) through the worry detector. In quiet hours only safety alerts go out:
 * `urgent` @s the whole chain, `high` the assistant on duty; the rest wait for the morning. The
 * bench's feed writes from 07:00 to 21:30, so the night's share of a day's messages is a parameter.
 *
 * Run: npx tsx bench/night-alerts.ts [--night-share 0.1] [--src DIR]
 * (--src: another checkout's src/, to measure the detector as it was before a change.)
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Corpus } from './lib/corpus.js';

const PER_DAY = 200_000;
const STAFF_SHARE = 0.03;
const DAYS = 7;

const { values } = parseArgs({ options: { 'night-share': { type: 'string', default: '0.1' }, src: { type: 'string' } } });
const nightShare = Number(values['night-share']);
const src = values.src ? resolve(values.src) : resolve(import.meta.dirname, '../src');
const { createDetector } = (await import(pathToFileURL(`${src}/detector/index.ts`).href)) as typeof import('../src/detector/index.js');

const detector = createDetector();
const corpus = new Corpus(1 ^ 0x5bd1e995);
const messages = Math.round(PER_DAY * DAYS * (1 - STAFF_SHARE));
const counts = new Map<string, number>();
for (let i = 0; i < messages; i++) {
  const d = detector.detect(corpus.member().text);
  if (d.label === 'none') continue;
  const key = `${d.label}/${d.severity}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const rows = [...counts].sort(([a], [b]) => a.localeCompare(b));
console.log(`${messages.toLocaleString('en-US')} member messages in a week; night share ${nightShare}`);
for (const [key, n] of rows) {
  const night = key.startsWith('safety/') ? Math.round(n * nightShare) : 0;
  console.log(`${key.padEnd(18)} week ${String(n).padStart(7)}  alerts at night ${String(night).padStart(6)}`);
}
