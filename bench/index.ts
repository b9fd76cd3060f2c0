/**
 * classbot's benchmarks: `npm run bench [-- options]`. Each section runs in its own Node process
 * and reports its figures next to a baseline measured in the same run; the table is printed
 * (Markdown, as in the README) and a full run is written to bench/results.json.
 *
 *   --only ingest,detector   run only these sections (ingest detector reports scheduler startup peer)
 *   --quick                  small workloads, to try things out
 *   --peers                  install the peer framework (Koishi) into bench/peers/ if missing
 *   --n 20000                override a section's workload size
 *   --burst 200              ingest: messages delivered together
 *   --prof                   CPU profile of each section into bench/tmp/prof/ (node --cpu-prof), summarized
 *
 * Runs with the standard workloads update bench/results.json; --quick, --n, --burst and --prof
 * runs write bench/tmp/results-dev.json instead.
 */
import { fork } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Platform, RateLimits } from '../src/model.js';
import type { ChildMessage } from './lib/child.js';
import { BENCH_TMP } from './lib/measure.js';
import { summarizeProfile } from './lib/profile.js';
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

const PROFILES = `${BENCH_TMP}/prof`;
const profiles: { section: string; lines: string[] }[] = [];

/** The main thread's profile of a section's process: the largest of the files it wrote. */
function mainProfileOf(pid: number): string | undefined {
  return readdirSync(PROFILES)
    .filter((f) => f.includes(`.${pid}.`) && f.endsWith('.cpuprofile'))
    .map((f) => `${PROFILES}/${f}`)
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

/**
 * The Node flags of the bot's start script (package.json), so each section's process runs as the
 * real bot does. `--max-semi-space-size=2`: the per-message garbage is small and short-lived, and
 * V8's default 16 MB semi-spaces (48 MB of young generation) hold memory the bot never needs; at
 * 2 MB the ingest's peak RSS fell from 282–297 MB to 265 MB at the same throughput (100k messages).
 * `--heap-growing-percent=30`: V8 lets the old generation grow to up to 4× what survived the last
 * full collection before the next; the bot's live heap is small (50–90 MB for 40,000 members), so
 * 1.3× keeps the peak near what it needs (200k messages: 341 MB at the default, 231 MB at 1.5×;
 * the million: 310 MB at 1.5×, 285 MB at 1.3×, 3% slower). A factor, not a cap: a bigger
 * district only collects a little more often.
 */
const START_FLAGS = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(/\s+/)
  .filter((arg) => arg.startsWith('--'));

function runSection(name: string, ctx: Omit<SectionContext, 'progress'>): Promise<SectionResult> {
  const execArgv = ['--import', 'tsx', ...START_FLAGS];
  if (values.prof) {
    mkdirSync(PROFILES, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${PROFILES}`);
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
      const profile = values.prof && child.pid !== undefined ? mainProfileOf(child.pid) : undefined;
      if (profile) profiles.push({ section: name, lines: [profile, ...summarizeProfile(profile)] });
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
for (const p of profiles) process.stdout.write(`\nCPU profile of ${p.section}: ${p.lines.join('\n  ')}\n`);
const totalSeconds = (Date.now() - started) / 1000;
process.stdout.write(`\nTotal ${totalSeconds.toFixed(0)} s on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);

// Standard workloads update their sections of bench/results.json; quick, resized or profiled runs go to bench/tmp.
const standard = !values.quick && !values.n && !values.burst && !values.prof;
const file = standard ? RESULTS : `${BENCH_TMP}/results-dev.json`;
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
