/** `classbot report` end to end: the real executable over a database file of the known week. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { buildReportWeek, PLAYBOOK } from './helpers/report-week.js';

let dir: string;
let db: string;
let playbooks: string;
const out = () => mkdtempSync(join(dir, 'out-'));
/** Extra arguments come first: the first occurrence of an option wins. */
const report = (...args: string[]) => runCli(['report', ...args, '--db', db, '--playbooks', playbooks, '--now', '2026-11-23T09:00+08:00']);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'classbot-report-cli-'));
  db = join(dir, 'classbot.db');
  const week = await buildReportWeek({ dbPath: db });
  await week.t.stop();
  playbooks = join(dir, 'playbooks');
  mkdirSync(playbooks);
  writeFileSync(join(playbooks, 'g3.yaml'), PLAYBOOK);
});

describe('classbot report', () => {
  it('defaults to the last complete week, every playbook and every format', () => {
    const o = out();
    const r = report('--out', o);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines[0]).toBe('2026-11-16 至 2026-11-22，2 个群：');
    expect(readdirSync(o).sort()).toEqual(['report-2026-W47-csv', 'report-2026-W47.html', 'report-2026-W47.md', 'report-2026-W47.xlsx']);
    expect(readdirSync(join(o, 'report-2026-W47-csv'))).toHaveLength(13);
    expect(r.lines).toHaveLength(1 + 3 + 13);
    expect(readFileSync(join(o, 'report-2026-W47.md'), 'utf8')).toContain('- 成员 6（+1），活跃 4（±0），消息 8（+3）');
  });

  it('takes a week, a date range, playbooks, formats and pseudonyms', () => {
    const o = out();
    expect(report('--week', '2026-W46', '--format', 'md', '--out', o).status).toBe(0);
    expect(readFileSync(join(o, 'report-2026-W46.md'), 'utf8')).toContain('- 成员 5（+3），活跃 4（+2），消息 5（+3）');
    const r = report('--from', '2026-11-09', '--to', '2026-11-22', '--playbook', 'g3', '--format', 'csv,md', '--pseudonymize', '--out', o);
    expect(r.status).toBe(0);
    const md = readFileSync(join(o, 'report-2026-11-09_2026-11-22-g3-anon.md'), 'utf8');
    expect(md).toContain('**三年级二班 活动周报 2026-11-09 至 2026-11-22**');
    expect(md).toContain('消息 13（+11）');
    expect(md).not.toContain('陈妈妈');
    expect(existsSync(join(o, 'report-2026-11-09_2026-11-22-g3-anon-csv', 'care.csv'))).toBe(true);
  });

  it('explains bad input in Chinese and writes nothing', () => {
    const o = out();
    const cases: [string[], number, RegExp][] = [
      [['--week', '2026-47'], 2, /--week 的格式不对：2026-47（例如 2026-W47）/],
      [['--week', '2026-W47', '--from', '2026-11-01'], 2, /只能用一种/],
      [['--from', '2026-11-01'], 2, /--from 和 --to 要一起用/],
      [['--from', '2026-11-30', '--to', '2026-11-01'], 2, /早于开始日期/],
      [['--format', 'pdf'], 2, /不支持的格式：pdf（可选：xlsx、csv、html、md）/],
      [['--playbook', 'nope'], 1, /没有找到班级配置：nope（可选：g3）/],
      [['--db', join(dir, 'missing.db')], 1, /找不到数据库/],
    ];
    for (const [args, status, message] of cases) {
      const r = report('--out', o, ...args);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(o)).toEqual([]);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });

  it('is listed in the help', () => {
    const r = runCli(['report', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('classbot report [--week 2026-W47 | --from 2026-11-01 --to 2026-11-30]');
    expect(runCli(['--help']).stdout).toMatch(/report\s+生成活动周报/);
  });
});
