/**
 * The weekly report as the staff see it on the console (`npm start`), with the example playbooks:
 * Monday 08:00 the summary of last week reaches the staff group, pseudonymized where asked, with
 * the full report file written under the directory the bot runs in.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

describe('weekly report on the console', () => {
  it('posts last week’s summary to each staff group on Monday morning, once', () => {
    // The bot runs in a directory of its own: the report files land there.
    const cwd = mkdtempSync(join(tmpdir(), 'classbot-console-report-'));
    const path = join(cwd, 'bot.db');
    const run = (args: string[], input: string) => runCli(['run', '--console', '--playbooks', join(ROOT, 'playbooks'), '--db', path, ...args], input, {}, cwd);
    const script = ['/in 五年级英语A班家长群', '/as 刘爸爸', '好的', '/time 2026-11-24 09:00', '/in 三年级二班家长群', '/as 王妈妈', '收到，谢谢老师', '/time 2026-11-30 09:00'];
    const week = run(['--now', '2026-11-20T09:00:00+08:00'], `${script.join('\n')}\n`);
    expect(week.status).toBe(0);
    expect(week.stderr).toBe('');
    // Monday 23rd brought W47's reports, Monday 30th W48's.
    expect(week.lines.filter((l) => l.includes('活动周报')).map((l) => l.replace(/ 🤖 classbot: \*\*📊 /, ' ').replace(/（.*/, ''))).toEqual([
      '08:00 [三年级二班老师群] 三年级二班 活动周报 2026-W47',
      '08:30 [五年级英语老师群] 五年级英语提高班 活动周报 2026-W47',
      '08:00 [三年级二班老师群] 三年级二班 活动周报 2026-W48',
      '08:30 [五年级英语老师群] 五年级英语提高班 活动周报 2026-W48',
    ]);
    const g3 = week.lines.findIndex((l) => l.includes('三年级二班 活动周报 2026-W48'));
    expect(week.lines[g3 + 2]).toBe('08:00     - 成员 1（+1），活跃 1（+1），消息 1（+1）');
    // 五年级英语 asks for pseudonyms: 刘爸爸, silent since the 20th, is listed under a pseudonym.
    const g5 = week.lines.findIndex((l) => l.includes('五年级英语提高班 活动周报 2026-W48'));
    const summary = week.lines.slice(g5, g5 + 12);
    expect(summary.find((l) => l.includes('需要关怀'))).toMatch(/^08:30 {5}- 需要关怀 1 人：成员-[2-9A-Z]{6}（9 天未发言）$/);
    expect(summary.some((l) => l.includes('刘爸爸'))).toBe(false);

    // The console shows the attached file after the summary; the file is on disk.
    const attached = week.lines.filter((l) => l.includes('📎'));
    expect(attached).toEqual([
      '08:00     📎 文件：report-2026-W47-g3-class2.html',
      '08:30     📎 文件：report-2026-W47-g5-english-anon.html',
      '08:00     📎 文件：report-2026-W48-g3-class2.html',
      '08:30     📎 文件：report-2026-W48-g5-english-anon.html',
    ]);
    expect(week.lines.slice(week.lines.indexOf(attached[2]!) - 2, week.lines.indexOf(attached[2]!))).toEqual(['08:00     - 需要关怀：无', '08:00     ']);
    expect(readFileSync(join(cwd, 'reports', '2026-W48', 'report-2026-W48-g3-class2.html'), 'utf8')).toContain('三年级二班 活动周报 2026-W48');
    expect(existsSync(join(cwd, 'reports', '2026-W48', 'report-2026-W48-g5-english-anon.html'))).toBe(true);

    const restart = run(['--now', '2026-11-30T09:30:00+08:00'], '/time 12:00\n');
    expect(restart.lines.filter((l) => l.includes('活动周报'))).toEqual([]);
  });
});
