import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from './helpers/cli.js';

const db = () => join(mkdtempSync(join(tmpdir(), 'classbot-logs-')), 'bot.db');

/** Waits until `ready` holds for the output so far (the bot prints as it goes). */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 50));
}

describe('console session: library output', () => {
  it("routes node-cron's missed-tick warnings through the logger, out of the conversation", async () => {
    const bot = startCli(['run', '--console', '--db', db(), '--now', '2026-11-23T18:00:00+08:00'], { LOG_LEVEL: 'debug', LOG_FORMAT: 'json' });
    await until(() => bot.output.stdout.includes('classbot 控制台'));
    // A suspended machine (laptop lid, SIGSTOP) skips node-cron's one-second ticks.
    bot.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 3500));
    bot.child.kill('SIGCONT');
    await until(() => /tick missed|missed execution/.test(bot.output.stderr));
    bot.child.stdin!.end('/as 王妈妈\n');
    expect(await bot.exited).toBe(0);
    expect(bot.output.stdout).not.toContain('NODE-CRON');
    expect(bot.output.stderr).not.toContain('NODE-CRON');
    const missed = bot.output.stderr.split('\n').filter((l) => l.includes('tick missed')).map((l) => JSON.parse(l) as { level: number; at: string });
    expect(missed.length).toBeGreaterThan(0);
    // debug: invisible at the console's default level (warn).
    expect(missed.every((l) => l.level === 20)).toBe(true);
  });
});
