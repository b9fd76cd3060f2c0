/**
 * `npm test` on a fresh machine: its pretest step finds the system programs some tests drive, or
 * installs them, or fails saying exactly what to install. No test is skipped for want of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const SCRIPT = 'scripts/test-tools.mjs';
const run = (path: string) => spawnSync(process.execPath, [join(ROOT, SCRIPT)], { cwd: ROOT, encoding: 'utf8', env: { PATH: path } });

describe('npm test: system programs', () => {
  it('runs the check before the tests', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).toBe(`node ${SCRIPT}`);
  });

  it('passes quietly where chromium and tmux are installed', () => {
    const r = run(process.env.PATH!);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('fails, naming the packages to install, where they are missing and apt-get cannot run', () => {
    // A machine with only a shell and node: no chromium, no tmux, no apt-get.
    const bin = mkdtempSync(join(tmpdir(), 'classbot-bare-'));
    for (const tool of ['sh', 'node']) symlinkSync(tool === 'node' ? process.execPath : '/bin/sh', join(bin, tool));
    const r = run(bin);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('chromium: tests/reports-html.test.ts');
    expect(r.stderr).toContain('tmux: tests/console-terminal.test.ts');
    expect(r.stderr).toContain('sudo apt-get install -y chromium tmux');
  });
});
