/**
 * `classbot check` on the mistakes assistants make most: Chinese weekdays, Chinese colons,
 * full-width spaces and Tabs, lines indented off their level, and a single file to check.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

/** A copy of the example playbooks with g3-class2.yaml edited; returns the directory, the file and the edited line. */
function edited(edit: (lines: string[]) => number): { dir: string; file: string; line: number } {
  const dir = mkdtempSync(join(tmpdir(), 'classbot-check-'));
  cpSync(join(ROOT, 'playbooks'), dir, { recursive: true });
  const file = join(dir, 'g3-class2.yaml');
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = edit(lines) + 1;
  writeFileSync(file, lines.join('\n'));
  return { dir, file, line };
}

/** Replaces the first line containing `find` with `to(line)`; returns its index. */
const replace = (find: string, to: (line: string) => string) => (lines: string[]) => {
  const i = lines.findIndex((l) => l.includes(find));
  if (i < 0) throw new Error(`no line with ${find}`);
  lines[i] = to(lines[i]!);
  return i;
};

describe('classbot check: weekdays as assistants write them', () => {
  it('accepts 星期五, 周三, 週三 and 周一至周五, and the bot reads them as those days', () => {
    const { dir } = edited((lines) => {
      replace('as: 周五', (l) => l.replace('as: 周五', 'as: 星期五'))(lines);
      return replace('days: [周一', () => '    days: 周一至周三')(lines);
    });
    const homework = join(dir, 'g5-english.yaml');
    writeFileSync(homework, readFileSync(homework, 'utf8').replace(/days: \[[^\]]*\]/, 'days: [星期一, 週三, 周五]'));
    const r = runCli(['check', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // 周一至周三: Wednesday counts, Thursday is a rest day.
    const session = (now: string) => runCli(['run', '--console', '--playbooks', dir, '--db', ':memory:', '--now', now], '/as 王妈妈\n打卡 20分钟\n').lines.filter((l) => l.includes('🤖'));
    expect(session('2026-11-25T07:30:00+08:00').join('\n')).toContain('晨读打卡成功');
    expect(session('2026-11-26T07:30:00+08:00').join('\n')).toContain('今天晨读不用打卡（休息日）');
  });

  it('says which weekday it does not know', () => {
    const { dir, line } = edited(replace('days: [周一', () => '    days: [周一, 周八]'));
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`g3-class2.yaml:${line}:16: checkin[0].days[1]: 应为星期，例如 周三、星期三、mon 或 0–7（周日是 0 或 7），或范围如 周一至周五`);
    expect(r.stderr).not.toContain('应为数字');
  });
});

describe('classbot check: typing mistakes, said where they are', () => {
  it('a Chinese colon after a field name', () => {
    const { dir, line } = edited(replace('start: "21:30"', (l) => l.replace('start: ', 'start：')));
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`g3-class2.yaml:${line}:8: “start”后面是中文冒号“：”，请改成英文冒号加空格（: ）`);
    expect(r.stderr).toContain('发现 1 个问题');
  });

  it('full-width spaces at the start of a line and after a colon', () => {
    const { dir, line } = edited(replace('start: "21:30"', (l) => `\u3000\u3000${l.trim()}`));
    expect(runCli(['check', dir]).stderr).toContain(`g3-class2.yaml:${line}:1: 这一行开头有全角空格，请改成半角空格`);
    const after = edited(replace('name: 三年级二班', (l) => l.replace(': ', ':\u3000')));
    expect(runCli(['check', after.dir]).stderr).toContain(`g3-class2.yaml:${after.line}:6: 冒号后面是全角空格，请改成半角空格`);
  });

  it('a Tab for indentation', () => {
    const { dir, line } = edited(replace('start: "21:30"', (l) => `\t${l.trim()}`));
    const r = runCli(['check', dir]);
    expect(r.stderr).toContain(`g3-class2.yaml:${line}:1: 这一行用了 Tab 缩进，请改成空格`);
  });

  it('a mis-indented line, on that line and not as an unclosed bracket', () => {
    const { dir, line } = edited(replace('ids: { console: 李老师 }', (l) => `   ${l.trim()}`));
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`g3-class2.yaml:${line}:1: 缩进不对：这一行缩进了 3 个空格，没有和同一层的字段对齐（应缩进 2 或 4 个空格）`);
    expect(r.stderr).not.toContain('括号');
    const deeper = edited(replace('ids: { console: 李老师 }', (l) => `     ${l.trim()}`));
    expect(runCli(['check', deeper.dir]).stderr).toContain(`g3-class2.yaml:${deeper.line}:1: 缩进不对：这一行缩进了 5 个空格，比上一行多`);
    const field = edited(replace('role: assistant', (l) => `  ${l.trim()}`));
    expect(runCli(['check', field.dir]).stderr).toContain(`g3-class2.yaml:${field.line}:1: 缩进不对：这一行和上面的列表项（“- ”）对齐了；它若属于上面那一项，应缩进 4 个空格`);
  });
});

describe('classbot check FILE', () => {
  it('checks one playbook file, like preview', () => {
    const r = runCli(['check', 'playbooks/g3-class2.yaml']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('✓ playbooks/g3-class2.yaml（三年级二班，1 个群）');
    expect(r.stdout).toContain('全部 1 个配置检查通过');
  });
});

describe('classbot check: homework by weekday', () => {
  it('takes a range of days as a key, and refuses a day written twice', () => {
    const ok = edited((lines) => {
      const first = lines.findIndex((l) => l.startsWith('  周一:'));
      lines.splice(first, 4, '  周一至周四: 阅读 20 分钟');
      return first;
    });
    expect(runCli(['check', ok.dir]).status).toBe(0);
    const twice = edited((lines) => {
      const first = lines.findIndex((l) => l.startsWith('  周一:'));
      lines.splice(first, 1, '  周一至周三: 阅读 20 分钟');
      return lines.findIndex((l) => l.startsWith('  周二:'));
    });
    const r = runCli(['check', twice.dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`g3-class2.yaml:${twice.line}:7: homework.周二: 周二的作业在“周一至周三”里已经写过了`);
  });
});
