/**
 * Mistakes that used to pass silently, and the policy lint: `classbot check` reports them
 * (errors fail, warnings pass with exit 0), and the running bot logs warnings on (re)load.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, startCli } from './helpers/cli.js';

interface Rule {
  id: string;
  title: string;
  sources: string[];
}
const RULES = parse(readFileSync(join(ROOT, 'data/policy/rules.yaml'), 'utf8')) as Rule[];

/** A copy of the example playbooks with g3-class2.yaml's text passed through `edit`. */
function withG3(edit: (text: string) => string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'classbot-warn-'));
  cpSync(join(ROOT, 'playbooks'), dir, { recursive: true });
  const file = join(dir, 'g3-class2.yaml');
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error('edit changed nothing');
  writeFileSync(file, after);
  return { dir, file };
}

const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
const noAck = (t: string) => t.replace(/^policy_ack: .*$/m, '');

describe('classbot check: mistakes that passed silently', () => {
  it('{homework} without a homework block is an error', () => {
    const { dir, file } = withG3((t) => t.replace(/^homework:\n(?: {2}.*\n)+/m, ''));
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`g3-class2.yaml:${lineOf(file, '📚 {date}') - 1}:14: reminders[0].message: 用到了 {homework}，但这个配置没有 homework（每天的作业）`);
  });

  it('a reversed date range is an error, in both spellings', () => {
    const { dir, file } = withG3((t) => t.replace('2027-01-25..2027-02-20', '2027-02-20..2027-01-25').replace('from: 2026-12-31, to: 2027-01-03', 'from: 2027-01-03, to: 2026-12-31'));
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`g3-class2.yaml:${lineOf(file, '2027-02-20..2027-01-25')}:7: calendar.skip[1]: 日期范围反了：结束日期 2027-01-25 早于开始日期 2027-02-20`);
    expect(r.stderr).toContain(`g3-class2.yaml:${lineOf(file, 'from: 2027-01-03')}:`);
    expect(r.stderr).toContain('calendar.skip[0].to: 结束日期早于开始日期');
  });

  it('a staff group without an id on a platform that learns chats from messages is a warning', () => {
    const { dir, file } = withG3((t) => t.replace('staff_group:\n  platform: console\n  id: g3-class2-staff\n', 'staff_group:\n  platform: lark\n'));
    const r = runCli(['check', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`g3-class2.yaml:${lineOf(file, 'platform: lark')}:3: staff_group: 提醒：staff_group 没有写 id。机器人要等有人在老师群里发过言才认识这个群，在那之前跟进提醒会私聊发给每位老师`);
    expect(r.stdout).toContain('全部 2 个配置检查通过，另有 1 条提醒（见上）');
  });
});

describe('classbot check: policy lint', () => {
  it('warns, with the rule and its sources, where the example chose to keep discouraged settings, and passes', () => {
    const { dir, file } = withG3(noAck);
    const r = runCli(['check', dir]);
    expect(r.status).toBe(0);
    const warnings = r.stderr.split('\n').filter(Boolean);
    const naming = RULES.find((x) => x.id === 'public-naming')!;
    const at = (rule: string) => warnings.filter((w) => w.includes(`[${rule}]`));
    expect(at('public-naming')[0]).toContain(`g3-class2.yaml:${lineOf(file, 'mention: not_checked_in')}:14: reminders[1].mention: 政策提醒 [public-naming] ${naming.title}`);
    for (const source of naming.sources) expect(at('public-naming')[0]).toContain(source);
    expect(at('public-naming')[0]).toContain('确认保留请在配置里写 policy_ack: [public-naming]');
    expect(at('public-ranking')[0]).toContain(`g3-class2.yaml:${lineOf(file, 'leaderboard: { cron')}:18: checkin[0].leaderboard:`);
    expect(at('parent-tasks')[0]).toContain('提醒“reading-nudge”要家长“打卡”');
    expect(warnings).toHaveLength(3);
    expect(r.stdout).toContain('另有 3 条提醒');
  });

  it('policy_ack silences exactly the acknowledged rules; the examples acknowledge theirs', () => {
    const examples = runCli(['check', 'playbooks/']);
    expect(examples.status).toBe(0);
    expect(examples.stderr).toBe('');
    const partly = withG3((t) => t.replace(/^policy_ack: .*$/m, 'policy_ack: [public-ranking]'));
    const r = runCli(['check', partly.dir]);
    expect(r.stderr).not.toContain('[public-ranking]');
    expect(r.stderr).toContain('[public-naming]');
  });

  it('has a check for every rule in the data file: late posts, parent tasks, holiday check-ins…', () => {
    const { dir } = withG3((t) =>
      noAck(t)
        .replace('cron: "30 20 * * 1-5"', 'cron: "30 21 * * 1-5"')
        .replace('周五: 周末阅读 30 分钟，填写阅读记录卡', '周五: 周末阅读 30 分钟，请家长批改并签字')
        .replace('    days: [周一, 周二, 周三, 周四, 周五]\n', '    days: 周一至周六\n    calendar: false\n'),
    );
    const r = runCli(['check', dir]);
    expect(r.status).toBe(0);
    for (const rule of RULES) expect(r.stderr).toContain(`政策提醒 [${rule.id}] ${rule.title}`);
    expect(r.stderr).toContain('提醒“reading-nudge”在 21:30 发到家长群');
    expect(r.stderr).toContain('周五 的作业要家长“批改”');
    expect(r.stderr).toContain('“晨读”放假也照常打卡（calendar: false）');
    expect(r.stderr).toContain('“晨读”周末也打卡');
  });

  it('refuses an acknowledgement of a rule that does not exist', () => {
    const { dir, file } = withG3((t) => t.replace(/^policy_ack: .*$/m, 'policy_ack: [public-rankings]'));
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`g3-class2.yaml:${lineOf(file, 'policy_ack:')}:14: policy_ack[0]: 取值无效，可选：${RULES.map((x) => x.id).join(' / ')}`);
  });
});

describe('the running bot and playbook warnings', () => {
  it('logs them when a playbook loads and when an edit is reloaded, and never posts them', async () => {
    const { dir, file } = withG3(noAck);
    const bot = startCli(['run', '--console', '--playbooks', dir, '--db', ':memory:', '--now', '2026-11-23T18:00:00+08:00'], { LOG_FORMAT: 'json' });
    const logged = () => bot.output.stderr.split('\n').filter((l) => l.includes('playbook loaded with warnings')).map((l) => JSON.parse(l) as { level: number; warnings: string[] });
    while (logged().length === 0 || !bot.output.stdout.includes('classbot 控制台')) await new Promise((r) => setTimeout(r, 50));
    expect(logged()[0]!.level).toBe(40);
    expect(logged()[0]!.warnings.some((w) => w.includes('[public-naming]'))).toBe(true);
    writeFileSync(file, readFileSync(file, 'utf8').replace('cron: "30 20 * * 1-5"', 'cron: "45 21 * * 1-5"'));
    while (!logged().some((l) => l.warnings.some((w) => w.includes('[late-post]')))) await new Promise((r) => setTimeout(r, 50));
    bot.child.stdin!.end('/in 三年级二班老师群\n/as 李老师\n你好\n');
    expect(await bot.exited).toBe(0);
    expect(bot.output.stdout).not.toContain('政策提醒');
  });
});
