import { describe, expect, it } from 'vitest';
import { formatError, parsePlaybook } from '../src/playbook/load.js';
import { classPlaybook } from './helpers/harness.js';

function errorsOf(yaml: string): string[] {
  const r = parsePlaybook(yaml, 'pb.yaml', 'pb');
  if (r.ok) throw new Error('expected errors');
  return r.errors.map(formatError);
}

describe('playbook loading', () => {
  it('accepts a valid playbook and fills defaults', () => {
    const r = parsePlaybook(classPlaybook(), 'pb.yaml', 'pb');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.playbook.id).toBe('c1');
    expect(r.playbook.timezone).toBe('Asia/Shanghai');
    expect(r.playbook.groups[0]!.key).toBe('class');
    expect(r.playbook.staffGroup?.key).toBe('staff');
    expect(r.playbook.assistantName).toBe('李老师');
  });

  it('reports every mistake at once, each at its line and column, in Chinese', () => {
    const yaml = [
      'name: 三年级二班', //                1
      'timezone: Asia/Shangai', //          2
      'groups:', //                         3
      '  - platform: console', //           4
      '    name: 家长群', //                5
      '    idd: x', //                      6
      '  - platform: qq', //                7
      '    name: 2', //                     8
      'quiet_hours:', //                    9
      '  start: "25:00"', //                10
      '  end: "07:00"', //                  11
      'calendar:', //                       12
      '  skip: [2026-10-01, 2026-13-01]', //13
    ].join('\n');
    expect(errorsOf(yaml)).toEqual([
      'pb.yaml:2:11: timezone: 不认识的时区，例如 Asia/Shanghai',
      'pb.yaml:6:5: groups[0].idd: 不认识的字段（拼写错误？请查看 playbooks/README.md）',
      'pb.yaml:7:15: groups[1].platform: 取值无效，可选：console / lark / dingtalk / wechaty',
      'pb.yaml:8:11: groups[1].name: 应为文本，实际是数字',
      'pb.yaml:10:10: quiet_hours.start: 时间格式应为 HH:MM，例如 19:00',
      'pb.yaml:13:22: calendar.skip[1]: 日期格式应为 YYYY-MM-DD，例如 2026-10-01',
    ]);
  });

  it('points a missing required field at the block that lacks it', () => {
    const errors = errorsOf('name: x\ngroups:\n  - platform: console\n    id: a\n');
    expect(errors).toEqual(['pb.yaml:3:5: groups[0].name: 缺少必填项']);
  });

  it('locates YAML syntax errors', () => {
    const errors = errorsOf('name: x\ngroups:\n  - platform: console\n    name: y\n  - [a\n');
    expect(errors[0]).toMatch(/^pb\.yaml:\d+:\d+: YAML 格式错误：/);
  });

  it('rejects duplicate keys and alias bombs without hanging', () => {
    expect(errorsOf('name: x\nname: y\ngroups: []\n')[0]).toMatch(/^pb\.yaml:2:1: YAML 格式错误：同一层级里有重复的字段名/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) bomb.push(`${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(10).fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`).join(', ')}]`);
    expect(errorsOf(bomb.join('\n'))[0]).toMatch(/别名.*过多|YAML/);
  });

  it('reports a wrong cron expression at its line', () => {
    // The cron schema is shared by every scheduled block; exercised here through the real parser.
    const r = parsePlaybook(`${classPlaybook()}faq:\n  - q: 课表\n    keywords: [课表]\n    pattern: "([a-"\n    answer: 见群文件\n`, 'pb.yaml', 'pb');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map(formatError)).toEqual([expect.stringMatching(/^pb\.yaml:2\d:14: faq\[0\]\.pattern: 不是有效的正则表达式$/)]);
  });
});
