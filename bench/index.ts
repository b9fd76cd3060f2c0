/**
 * classbot's benchmarks: `npm run bench [-- options]`. Each section runs in its own Node process
 * and reports its figures next to a baseline measured in the same run; the table is printed
 * (Markdown, as in the README) and a full run is written to bench/results.json.
 *
 *   --only ingest,detector   run only these sections (ingest detector reports scheduler startup peer)
 *   --quick                  small workloads, to try things out (results go to bench/tmp/)
 *   --peers                  install the peer framework (Koishi) into bench/peers/ if missing
 *   --n 20000                override a section's workload size
 *   --burst 200              ingest: messages delivered together
 *   --prof                   CPU profile of each section into bench/tmp/prof/ (node --cpu-prof)
 */
import { fork } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Platform, RateLimits } from '../src/model.js';
import type { ChildMessage } from './lib/child.js';
import { BENCH_TMP } from './lib/measure.js';
import { describeTarget, formatNumber, type SectionResult } from './lib/result.js';
import type { SectionContext } from './sections/context.js';

const SECTIONS = ['ingest', 'detector', 'reports', 'scheduler', 'startup', 'peer'] as const;
const TITLES: Record<string, string> = {
  ingest: '1 Ingest',
  detector: '2 Detector',
  reports: '3 Reports',
  scheduler: '4 Scheduler',
  startup: '5 Start-up',
  peer: '6 Peer (Koishi)',
};
const CHILD = fileURLToPath(new URL('./lib/child.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    peers: { type: 'boolean', default: false },
    n: { type: 'string' },
    burst: { type: 'string' },
    prof: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]!.replace(/^\/\*\*|^ \* ?/gm, '') + '\n');
  process.exit(0);
}

const selected = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
const unknown = selected.filter((s) => !SECTIONS.includes(s as never));
if (unknown.length) {
  process.stderr.write(`unknown section(s): ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}\n`);
  process.exit(2);
}

/** The real adapters' declared limits; loading their SDKs here keeps them out of the measured processes. */
async function adapterRateLimits(): Promise<Partial<Record<Platform, RateLimits>>> {
  const { silentLogger } = await import('../src/log.js');
  const { LarkAdapter } = await import('../adapters/lark/adapter.js');
  const { DingtalkAdapter } = await import('../adapters/dingtalk/adapter.js');
  const { WECHATY_RATE_LIMITS } = await import('../adapters/wechaty/adapter.js');
  const local = 'http://127.0.0.1:9';
  const lark = new LarkAdapter({ appId: 'cli_0123456789abcdef', appSecret: 'bench', domain: local, log: silentLogger });
  const dingtalk = new DingtalkAdapter({ clientId: 'bench', clientSecret: 'bench', robotCode: 'bench', apiBaseUrl: local, log: silentLogger });
  return { lark: lark.rateLimits, dingtalk: dingtalk.rateLimits, wechaty: WECHATY_RATE_LIMITS };
}

function runSection(name: string, ctx: Omit<SectionContext, 'progress'>): Promise<SectionResult> {
  const execArgv = ['--import', 'tsx'];
  if (values.prof) {
    const dir = `${BENCH_TMP}/prof`;
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  return new Promise((resolve) => {
    const child = fork(CHILD, [name, JSON.stringify(ctx)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: SectionResult | undefined;
    let lastProgress = 0;
    child.on('message', (m: ChildMessage) => {
      if ('progress' in m) {
        if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K  ${m.progress}`);
        else if (Date.now() - lastProgress > 15_000) {
          lastProgress = Date.now();
          process.stderr.write(`  ${m.progress}\n`);
        }
      } else if ('result' in m) result = m.result;
      else result = { section: name, title: name, params: {}, figures: [], notes: [], seconds: 0, error: m.error };
    });
    child.on('exit', (code) => {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      resolve(result ?? { section: name, title: name, params: {}, figures: [], notes: [], seconds: 0, error: `exited with code ${code} before reporting` });
    });
  });
}

/** The results as a Markdown table (the README's Performance section shows one). */
export function table(results: SectionResult[]): string {
  const rows: string[][] = [['Section', 'Figure', 'classbot', 'Baseline (same run)', 'Ratio', 'Target', 'Met']];
  for (const r of results) {
    if (r.skipped || r.error) {
      rows.push([r.title, r.skipped ? 'skipped' : 'FAILED', (r.skipped ?? r.error!.split('\n')[0]!).slice(0, 120), '', '', '', '']);
      continue;
    }
    r.figures.forEach((f, i) => {
      rows.push([
        i === 0 ? r.title : '',
        f.metric,
        `${formatNumber(f.value)} ${f.unit}`,
        f.baseline ? `${f.baseline.name}: ${formatNumber(f.baseline.value)} ${f.unit}` : '',
        f.ratio !== undefined ? `${formatNumber(f.ratio)}×` : '',
        f.target ? describeTarget(f.target, f.unit) : '',
        f.pass === undefined ? '' : f.pass ? 'yes' : '**no**',
      ]);
    });
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

const started = Date.now();
const rateLimits = selected.includes('scheduler') ? await adapterRateLimits() : {};
const ctx: Omit<SectionContext, 'progress'> = {
  quick: values.quick,
  peers: values.peers,
  rateLimits,
  ...(values.n ? { n: Number(values.n) } : {}),
  ...(values.burst ? { burst: Number(values.burst) } : {}),
};
const results: SectionResult[] = [];
for (const name of selected) {
  process.stderr.write(`▶ ${name}\n`);
  const r = { ...(await runSection(name, ctx)), title: TITLES[name]! };
  results.push(r);
  process.stderr.write(`  ${r.error ? 'FAILED' : r.skipped ? `skipped: ${r.skipped}` : `done in ${r.seconds.toFixed(1)} s`}\n`);
  if (r.error) process.stderr.write(`${r.error}\n`);
}

process.stdout.write(`\n${table(results)}\n\n`);
for (const r of results) for (const note of r.notes) process.stdout.write(`- ${r.title}: ${note}\n`);
const totalSeconds = (Date.now() - started) / 1000;
process.stdout.write(`\nTotal ${totalSeconds.toFixed(0)} s on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);

// A full run replaces bench/results.json; partial runs update their sections; quick runs stay in bench/tmp.
const file = values.quick ? `${BENCH_TMP}/results-quick.json` : RESULTS;
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { sections?: SectionResult[] }).sections ?? [] : [];
const ranAt = new Date(started).toISOString();
const merged = SECTIONS.map((s) => {
  const fresh = results.find((r) => r.section === s);
  return fresh ? { ...fresh, ranAt, options: ctx } : previous.find((r) => r.section === s);
}).filter(Boolean);
mkdirSync(BENCH_TMP, { recursive: true });
writeFileSync(
  file,
  `${JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version }, totalSeconds, sections: merged }, null, 2)}\n`,
);
process.stdout.write(`Results written to ${file}\n`);
