/**
 * Opens (and so migrates) a fresh database per round, all rounds starting at agreed wall-clock
 * instants, so that two of these processes open each file at the same moment.
 * argv: dir rounds startAtMs stepMs
 */
import { join } from 'node:path';
import { openStore } from '../../src/store/db.js';

const [dir, rounds, startAt, step] = process.argv.slice(2) as [string, string, string, string];
for (let k = 0; k < Number(rounds); k++) {
  const at = Number(startAt) + k * Number(step);
  while (Date.now() < at) {
    // Spin: a timer's resolution is too coarse to line two processes up.
  }
  openStore(join(dir, `fresh-${k}.db`)).close();
}
