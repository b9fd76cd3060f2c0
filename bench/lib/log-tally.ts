import { pino } from 'pino';
import type { Logger } from '../../src/log.js';

/**
 * A logger that counts the bot's warnings and errors by message (keeping the first of each in
 * full), so a section can report that its workload ran cleanly, or what went wrong and how often.
 */
export function tallyLogger(): { log: Logger; tally: Map<string, { count: number; first: string }> } {
  const tally = new Map<string, { count: number; first: string }>();
  const log = pino(
    { level: 'warn' },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg?: string };
        const key = entry.msg ?? '?';
        const seen = tally.get(key);
        if (seen) seen.count++;
        else tally.set(key, { count: 1, first: line.trim().slice(0, 600) });
      },
    },
  );
  return { log, tally };
}

export function describeTally(tally: Map<string, { count: number; first: string }>): string[] {
  return [...tally].map(([msg, t]) => `logged ${t.count}× "${msg}"; first: ${t.first}`);
}
