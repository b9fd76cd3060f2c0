import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatError, loadPlaybookDir } from '../playbook/load.js';
import { buildReport } from '../reports/model.js';
import { pseudonymSecret } from '../reports/pseudonym.js';
import { dateRange, lastCompleteWeek, weekRange, type ReportRange } from '../reports/range.js';
import { FORMATS, reportBaseName, writeReport, type ReportFormat } from '../reports/write.js';
import { openStore } from '../store/db.js';
import type { CliIO, Command } from './command.js';
import { dbPathFrom, flag, option, playbookDirFrom } from './options.js';

const USAGE = `classbot report [--week 2026-W47 | --from 2026-11-01 --to 2026-11-30] [--playbook ID[,ID…]]
                [--format xlsx,csv,html,md] [--out 目录] [--pseudonymize] [--db 文件] [--playbooks 目录]
  按班级群和全部群汇总一周（或一段日期）的活动：成员与消息、打卡、提醒、关注消息与跟进、需要关怀的成员。
  默认：上一个完整的周（按班级配置的时区）、全部班级、全部格式，写入 reports/。
  --week        ISO 周，例如 2026-W47（周一至周日）
  --from --to   日期范围（含首尾），例如 --from 2026-11-01 --to 2026-11-30
  --playbook    只统计这些班级配置（id，逗号分隔）
  --format      xlsx（每个表一页）、csv（每个表一个文件）、html（含图表，可打印）、md（可直接贴到群里的摘要）
  --out         输出目录，默认 reports/
  --pseudonymize  成员姓名替换为固定的化名（同一人每周相同），用于校外分享`;

/**
 * Reports a run's progress on a terminal's stderr once it has lasted a second, at most twice a
 * second; a pipe or log file gets none (it would only add lines that depend on the machine's speed).
 */
function progressLine(io: CliIO) {
  const started = Date.now();
  const tty = Boolean((io.stderr as NodeJS.WriteStream).isTTY);
  let last = 0;
  let shown = false;
  return {
    update(text: string) {
      const now = Date.now();
      if (!tty || now - started < 1000 || now - last < 500) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[K${text}`);
    },
    done() {
      if (shown) io.stderr.write('\n');
    },
  };
}

function parseRange(args: string[], now: number, tz: string): ReportRange | string {
  const week = option(args, 'week');
  const from = option(args, 'from');
  const to = option(args, 'to');
  if (week && (from || to)) return '--week 和 --from/--to 只能用一种';
  if (week) return weekRange(week) ?? `--week 的格式不对：${week}（例如 2026-W47）`;
  if (from || to) {
    if (!from || !to) return '--from 和 --to 要一起用，例如 --from 2026-11-01 --to 2026-11-30';
    return dateRange(from, to);
  }
  return lastCompleteWeek(now, tz);
}

function parseFormats(value: string | undefined): ReportFormat[] | string {
  if (!value) return [...FORMATS];
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (bad.length || list.length === 0) return `不支持的格式：${bad.join('、') || value}（可选：${FORMATS.join('、')}）`;
  return [...new Set(list)] as ReportFormat[];
}

export const reportCommand: Command = {
  name: 'report',
  summary: '生成活动周报（xlsx / csv / html / md）',
  usage: USAGE,
  async run(args, io) {
    const fail = (message: string, code = 2) => {
      io.stderr.write(`${message}\n`);
      return code;
    };
    const nowArg = option(args, 'now') ?? io.env.CLASSBOT_NOW;
    const now = nowArg ? Date.parse(nowArg) : Date.now();
    if (Number.isNaN(now)) return fail(`--now 的时间格式不对：${nowArg}（例如 2026-11-23T09:00+08:00）`);
    const formats = parseFormats(option(args, 'format'));
    if (typeof formats === 'string') return fail(formats);

    const dir = resolve(io.cwd, option(args, 'playbooks') ?? playbookDirFrom(io.env));
    const { playbooks: loaded, errors } = loadPlaybookDir(dir, io.cwd);
    // A broken file does not stop the report on the others; it is named so nobody misses it.
    for (const e of errors) io.stderr.write(`注意：${formatError(e)}\n`);
    const wanted = option(args, 'playbook')?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = wanted?.filter((id) => !loaded.some((pb) => pb.id === id)) ?? [];
    if (unknown.length) return fail(`没有找到班级配置：${unknown.join('、')}（可选：${loaded.map((pb) => pb.id).join('、') || '无'}）`, 1);
    const playbooks = wanted ? loaded.filter((pb) => wanted.includes(pb.id)) : loaded;
    if (playbooks.length === 0) return fail(`${dir} 里没有可用的班级配置。`, 1);

    const range = parseRange(args, now, playbooks[0]!.timezone);
    if (typeof range === 'string') return fail(range);

    const dbPath = dbPathFrom(args, io.env, io.cwd);
    if (dbPath !== ':memory:' && !existsSync(dbPath)) return fail(`找不到数据库 ${dbPath}（用 --db 指定，或先运行机器人）。`, 1);
    const store = openStore(dbPath);
    try {
      const progress = progressLine(io);
      const model = buildReport(store, playbooks, range, {
        now,
        ...(flag(args, 'pseudonymize') ? { pseudonymSecret: pseudonymSecret(store) } : {}),
        onProgress: (done, total, group) => progress.update(`正在统计 ${done}/${total}：${group}`),
      });
      const out = resolve(io.cwd, option(args, 'out') ?? 'reports');
      const written = await writeReport(model, formats, out, reportBaseName(model, !wanted), (f) => progress.update(`正在生成 ${f}…`));
      progress.done();
      io.stdout.write(`${range.from} 至 ${range.to}，${model.groups.length} 个群：\n`);
      for (const path of written) io.stdout.write(`  ${relative(io.cwd, path) || path}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
