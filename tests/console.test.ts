import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const db = () => join(mkdtempSync(join(tmpdir(), 'classbot-console-')), 'bot.db');

describe('console session (stdin not a TTY)', () => {
  it('plays a scripted session in the example class group and exits at end of input', () => {
    const script = ['/as 王妈妈', '你好', '请问课表在哪里看？', '@classbot 回放在哪', '/again', '/in 三年级二班老师群', '/as 李老师', '/帮助', '/time 19:00'].join('\n');
    const r = runCli(['run', '--console', '--db', db(), '--now', '2026-11-23T18:00:00+08:00'], `${script}\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.lines;
    expect(lines[0]).toBe('classbot 控制台 · 11月23日 周一 18:00 · 当前群 三年级二班家长群 · 身份 家长（/help 查看控制台指令）');
    const faq = lines.filter((l) => l.includes('🤖'));
    expect(faq[0]).toBe('18:00 [三年级二班家长群] 🤖 classbot: @王妈妈 本学期课表在群文件“三年级二班课表.pdf”，有调整会在群里通知哦～');
    expect(faq[1]).toMatch(/^18:00 \[三年级二班家长群\] 🤖 classbot: @王妈妈 直播结束后 30 分钟内会生成回放/);
    // The redelivered message changed nothing: one answer for the replay question.
    expect(lines.filter((l) => l.includes('看回放'))).toHaveLength(1);
    expect(lines).toContain('18:00 [三年级二班老师群] 李老师: /帮助');
    expect(lines.at(-1)).toBe('⏰ 现在是 11月23日 周一 19:00');
  });

  it('keeps state in its database between runs', () => {
    const path = db();
    runCli(['run', '--console', '--db', path, '--now', '2026-11-23T18:00:00+08:00'], '/as 王妈妈\n课表在哪？\n');
    const again = runCli(['run', '--console', '--db', path, '--now', '2026-11-23T18:05:00+08:00'], '/as 王妈妈\n课表在哪？\n');
    expect(again.status).toBe(0);
    expect(again.lines.filter((l) => l.includes('🤖'))).toHaveLength(1);
  });
});
