/**
 * Reminders as an assistant sees them on the console (`npm start`), with the example playbooks:
 * the real executable, a database file, and time moved with /time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeworkFor } from '../src/features/reminders/render.js';
import { loadPlaybookFile } from '../src/playbook/load.js';
import { ROOT, runCli } from './helpers/cli.js';

const db = () => join(mkdtempSync(join(tmpdir(), 'classbot-console-rem-')), 'bot.db');
const g3 = (() => {
  const r = loadPlaybookFile(join(ROOT, 'playbooks/g3-class2.yaml'), ROOT);
  if (!r.ok) throw new Error('example playbook does not load');
  return r.playbook;
})();
const HEADER = '[三年级二班家长群] 🤖 classbot: 📚';

describe('homework reminder on the console', () => {
  it('/time 19:00 on a school day shows the homework reminder once', () => {
    const r = runCli(['run', '--console', '--db', db(), '--now', '2026-11-24T18:00:00+08:00'], '/time 19:00\n/time +3h\n');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const at = r.lines.findIndex((l) => l.includes(HEADER));
    expect(r.lines[at]).toBe(`19:00 ${HEADER} 11月24日 周二 今日作业`);
    expect(r.lines[at + 1]).toBe(`19:00     ${homeworkFor(g3, '2026-11-24')}`);
    expect(r.lines.filter((l) => l.includes(HEADER))).toHaveLength(1);
    expect(r.lines.at(-1)).toBe('⏰ 现在是 11月24日 周二 22:00');
  });

  it('a restart does not send it again; a restart within the grace window sends a missed one once', () => {
    const path = db();
    runCli(['run', '--console', '--db', path, '--now', '2026-11-24T18:00:00+08:00'], '/time 19:00\n');
    const again = runCli(['run', '--console', '--db', path, '--now', '2026-11-24T19:05:00+08:00'], '/time 20:00\n');
    expect(again.lines.filter((l) => l.includes(HEADER))).toEqual([]);

    // Down from 18:30 to 19:20 on Wednesday: the 19:00 reminder goes out on start, once.
    runCli(['run', '--console', '--db', path, '--now', '2026-11-25T18:00:00+08:00'], '/time 18:30\n');
    const back = runCli(['run', '--console', '--db', path, '--now', '2026-11-25T19:20:00+08:00'], '/time 21:00\n');
    // The catch-up goes out while the bot starts, before the console has learned the group names.
    const sent = back.lines.filter((l) => l.includes('🤖 classbot: 📚'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^19:20 \[.+\] 🤖 classbot: 📚 11月25日 周三 今日作业$/);
  });

  it('sends nothing on a holiday, and @所有人 with the Friday notice', () => {
    const holiday = runCli(['run', '--console', '--db', db(), '--now', '2026-12-31T18:00:00+08:00'], '/time 20:00\n');
    expect(holiday.lines.filter((l) => l.includes('🤖') && l.includes('三年级二班'))).toEqual([]);

    const friday = runCli(['run', '--console', '--db', db(), '--now', '2026-11-27T17:00:00+08:00'], '/time 18:00\n');
    expect(friday.lines).toContain('17:30 [三年级二班家长群] 🤖 classbot: @所有人 本周辛苦啦！周末请保证孩子作息规律，周一 8:00 准时上课，我们下周见～');
  });
});
