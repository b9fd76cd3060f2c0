/**
 * Playbook regular expressions run in linear time (issue 16): a check-in pattern, an FAQ pattern and
 * a group's `match` that backtrack catastrophically under JavaScript's RegExp (seconds at 28
 * digits, four times longer for every two more) are matched at once, and what a linear-time
 * engine cannot run is refused by `classbot check` with a located Chinese message.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, ROOT } from './helpers/cli.js';
import { RecordingAdapter, classPlaybook, testBot, FAQ_BLOCK } from './helpers/harness.js';

/** Forty digits: about 4 s × 4^6 (hours) for a backtracking engine; the test timeout is the guard. */
const DIGITS = '1'.repeat(40);

function playbookDir(edit: (source: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'classbot-patterns-'));
  writeFileSync(join(dir, 'class.yaml'), edit(readFileSync(join(ROOT, 'playbooks/g3-class2.yaml'), 'utf8')));
  return dir;
}

describe('playbook patterns on the console', () => {
  it('a check-in pattern and an FAQ pattern that backtrack catastrophically answer the pathological message and the next ones', () => {
    const dir = playbookDir((s) =>
      s
        .replace('      keywords: [打卡, "#晨读"]', '      keywords: ["#晨读"]\n      pattern: "^打卡(\\\\d+\\\\s*)+分钟"')
        .replace('    keywords: [课表, 课程表]\n', '    keywords: [课程表]\n    pattern: "^(\\\\d+\\\\s*)+分钟|课表"\n'),
    );
    const input = ['/as 王妈妈', `打卡${DIGITS}分`, `${DIGITS}分？`, '/as 李爸爸', '打卡30分钟', '课表在哪？'];
    const r = runCli(['run', '--console', '--playbooks', dir, '--db', join(dir, 'bot.db'), '--now', '2026-11-23T07:30:00+08:00'], `${input.join('\n')}\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const bot = r.lines.filter((l) => l.includes('🤖 classbot:')).map((l) => l.replace(/^\d\d:\d\d \[三年级二班家长群\] 🤖 classbot: /, ''));
    // Neither pathological message matches its pattern; the messages after them are handled as usual.
    expect(bot.some((l) => l.startsWith('@王妈妈 ✅'))).toBe(false);
    expect(bot).toContain('@李爸爸 ✅ 晨读打卡成功（30分钟）！今天全班已有 1 人打卡，你已连续打卡 1 天。');
    expect(bot).toContain('@李爸爸 本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～');
  });

  it('\\s is JavaScript\'s: the ideographic space a Chinese input method types matches it', () => {
    const dir = playbookDir((s) => s.replace('      keywords: [打卡, "#晨读"]', '      keywords: ["#晨读"]\n      pattern: "^打卡\\\\s*\\\\d+"'));
    const r = runCli(['run', '--console', '--playbooks', dir, '--db', join(dir, 'bot.db'), '--now', '2026-11-23T07:30:00+08:00'], '/as 张妈妈\n打卡　20　分钟\n');
    expect(r.lines).toContain('07:30 [三年级二班家长群] 🤖 classbot: @张妈妈 ✅ 晨读打卡成功（20分钟）！今天全班已有 1 人打卡，你已连续打卡 1 天。');
  });
});

describe('group match', () => {
  it('a title that backtracks catastrophically binds nothing, and the next chat with a matching title is bound', async () => {
    const pb = classPlaybook(FAQ_BLOCK).replace('    id: class-1\n', '    match: "^三年级(\\\\d+\\\\s*)+班"\n');
    const adapter = new RecordingAdapter();
    const t = await testBot({ 'c1.yaml': pb }, { adapter });
    await t.say('王妈妈', '课表在哪？', { groupId: 'chat-evil', groupName: `三年级${DIGITS}级` });
    expect(adapter.sent).toEqual([]);
    await t.say('王妈妈', '课表在哪？', { groupId: 'chat-2', groupName: '三年级2班家长群' });
    expect(adapter.sent.map((m) => [m.target, m.text])).toEqual([[{ kind: 'group', groupId: 'chat-2' }, '课表在群文件里。']]);
    await t.stop();
  });
});

describe('classbot check', () => {
  it('refuses lookaround and backreferences with file:line:col and a Chinese message naming the construct', () => {
    const dir = playbookDir((s) =>
      s
        .replace('      keywords: [打卡, "#晨读"]', '      keywords: [打卡]\n      pattern: "(?<=#)晨读"')
        .replace('    pattern: "(没赶上|错过).*(课|直播)"', '    pattern: "(没赶上|错过)\\\\1(?!课)"')
        .replace('    name: 三年级二班家长群\n', '    name: 三年级二班家长群\n    match: "(?<n>二班)\\\\k<n>"\n'),
    );
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    const lines = readFileSync(join(dir, 'class.yaml'), 'utf8').split('\n');
    const at = (needle: string) => {
      const line = lines.findIndex((l) => l.includes(needle));
      return `class.yaml:${line + 1}:${lines[line]!.indexOf('"') + 1}`;
    };
    const out = r.stdout + r.stderr;
    expect(out).toMatch(new RegExp(`${at('(?<n>')}: groups\\[0\\]\\.match: 正则表达式第 9 个字符起的「\\\\k<n>」是反向引用，不支持`));
    expect(out).toMatch(new RegExp(`${at('(?<=#)')}: checkin\\[0\\]\\.trigger\\.pattern: 正则表达式第 1 个字符起的「\\(\\?<=」是后行断言，不支持`));
    expect(out).toMatch(new RegExp(`${at('(没赶上|错过)')}: faq\\[1\\]\\.pattern: 正则表达式第 9 个字符起的「\\\\1」是反向引用，不支持`));
    expect(out).toContain('请改写');
  });
});
