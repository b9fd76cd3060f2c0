/**
 * 5. Start-up: `classbot run --console` with the example playbooks, from spawning the process to
 * the console's banner (the bot is loaded, validated, migrated, scheduled and listening), each
 * run on a fresh database. Baseline in the same run: a bare `node -e ''` process to its exit.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_DIR } from '../lib/district.js';
import { median, now, scratchDir } from '../lib/measure.js';
import { figure, type SectionResult } from '../lib/result.js';
import type { SectionContext } from './context.js';

const CLASSBOT = fileURLToPath(new URL('../../adapters/cli.js', import.meta.url));
const READY = 'classbot 控制台';
const RUNS = 5;

export async function run(ctx: SectionContext): Promise<SectionResult> {
  const started = now();
  const runs = ctx.n ?? RUNS;
  const scratch = scratchDir('startup');
  try {
    const times: number[] = [];
    const bare: number[] = [];
    // One untimed start first: the OS file cache, not classbot, would otherwise decide the first run.
    await untilReady(join(scratch.dir, 'warm.db'));
    for (let i = 0; i < runs; i++) {
      times.push(await untilReady(join(scratch.dir, `run${i}.db`)));
      bare.push(await bareNode());
      ctx.progress(`startup ${i + 1}/${runs}`);
    }
    return {
      section: 'startup',
      title: 'Start-up',
      params: { runs, playbooks: EXAMPLE_DIR },
      figures: [
        figure({ metric: `ready on the console (median of ${runs})`, value: median(times), unit: 'ms', baseline: { name: 'bare node process', value: median(bare) }, target: { on: 'value', op: '<', limit: 1000 } }),
      ],
      notes: [`runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms; bare node: ${bare.map((t) => t.toFixed(0)).join(', ')} ms`],
      seconds: (now() - started) / 1000,
    };
  } finally {
    scratch.cleanup();
  }
}

/** Milliseconds from spawn to the console's banner. */
function untilReady(db: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(process.execPath, [CLASSBOT, 'run', '--console', '--playbooks', EXAMPLE_DIR, '--db', db], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn', LARK_APP_ID: '', DINGTALK_CLIENT_ID: '', WECHATY_PUPPET: '' },
    });
    let out = '';
    let err = '';
    let ready: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (ready === undefined && out.includes(READY)) {
        ready = now() - t0;
        child.stdin.end('/quit\n');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('exit', (code) => (ready !== undefined ? resolve(ready) : reject(new Error(`classbot run exited with ${code} before it was ready:\n${out}${err}`))));
  });
}

function bareNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve(now() - t0) : reject(new Error(`node exited with ${code}`))));
  });
}
