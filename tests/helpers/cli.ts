import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Runs the real `classbot` executable with `input` piped to stdin (not a TTY), in `cwd` (default the repository). */
export function runCli(args: string[], input = '', env: NodeJS.ProcessEnv = {}, cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'adapters/cli.js'), ...args], {
    cwd,
    input,
    encoding: 'utf8',
    timeout: 60_000,
    // No platform credentials: the console is what runs.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}
