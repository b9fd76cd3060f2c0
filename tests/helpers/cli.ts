import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    maxBuffer: 64 * 1024 * 1024, // room for tests that echo megabyte-long messages
    // No platform credentials: the console is what runs.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}

/** The Node flags of the start script (`node <flags> adapters/cli.js run`), so spawned bots run as `npm start` does. */
export function startScriptFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  return start.slice(1, start.indexOf('adapters/cli.js'));
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything written so far. */
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/** Starts `classbot <args>` as a long-running process, with only `env` (plus PATH and HOME) in its environment. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): RunningCli {
  const child = spawn(process.execPath, [...startScriptFlags(), join(ROOT, 'adapters/cli.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (output.stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output.stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}
