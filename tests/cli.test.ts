import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

describe('classbot check', () => {
  it('passes the example playbooks', () => {
    const r = runCli(['check', 'playbooks/']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/全部 \d+ 个配置检查通过/);
  });

  it('fails a broken copy with located messages', () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-check-'));
    cpSync(join(ROOT, 'playbooks'), dir, { recursive: true });
    const file = join(dir, 'g3-class2.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const tzLine = lines.findIndex((l) => l.startsWith('timezone:'));
    lines[tzLine] = 'timezone: Asia/Beijing';
    writeFileSync(file, lines.join('\n'));
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`g3-class2.yaml:${tzLine + 1}:11: timezone: 不认识的时区，例如 Asia/Shanghai`);
    expect(r.stderr).toContain('发现 1 个问题');
  });

  it('explains a malformed platform setting without a stack trace', () => {
    const r = runCli(['run'], '', { LARK_APP_ID: 'abc', LARK_APP_SECRET: 'x' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^配置有误：LARK_APP_ID 格式不对/);
    expect(r.stderr).not.toContain('    at ');
  });

  it('prints usage in Chinese and rejects unknown commands', () => {
    expect(runCli(['--help']).stdout).toContain('用法：classbot <指令>');
    const r = runCli(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('不认识的指令：frobnicate');
  });
});
