/**
 * `classbot preview`: what the bot would post to each group over the next days. It runs the real
 * bot (engine, scheduler, features, outbox) on a snapshot of the database, with a clock stepped
 * minute by minute and adapters that only record, so quiet hours, the calendar and claims already
 * made apply exactly as they would live.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { NoPlaybooksError, startBot } from '../bot.js';
import { FakeClock, type Clock } from '../clock.js';
import { silentLogger } from '../log.js';
import { PLATFORMS, type Adapter, type AdapterStatus, type GroupSpec, type OutboundMessage, type Platform, type SendResult } from '../model.js';
import { formatError, loadPlaybookDir, type PlaybookError } from '../playbook/load.js';
import { findStaff, type Playbook } from '../playbook/playbook.js';
import { DAY, formatDateZh, formatHHMM, localParts } from '../time.js';
import type { Command } from './command.js';
import { dbPathFrom, option, playbookDirFrom } from './options.js';

/** Chat ids the preview gives groups the bot has not learned yet. */
const UNBOUND_PREFIX = 'preview:';

interface Recorded {
  at: number;
  msg: OutboundMessage;
}

/** A chat the database has already bound to a playbook group. */
interface KnownChat {
  platform: string;
  chatId: string;
  name: string;
}

/** Records what the outbox sends, at the clock's time; finds every group it is asked about. */
class PreviewAdapter implements Adapter {
  readonly capabilities = { mentions: true, mentionAll: true, directMessages: true, cards: false, markdown: true, files: false, seesAllGroupMessages: true };
  readonly rateLimits = { perTarget: { max: 1000, windowMs: 1000 } };
  private sent = 0;

  constructor(
    readonly platform: Platform,
    private readonly clock: Clock,
    private readonly sink: Recorded[],
    private readonly known: KnownChat[],
  ) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): AdapterStatus {
    return { state: 'connected', since: 0 };
  }
  async send(msg: OutboundMessage): Promise<SendResult> {
    this.sink.push({ at: this.clock.now(), msg });
    return { platformMessageIds: [`preview-${++this.sent}`] };
  }
  /**
   * Groups the database knows keep their chat (and so their members and history); the others are
   * pretended found, so the preview shows what they will get once the bot knows them.
   */
  async resolveGroups(specs: GroupSpec[]): Promise<string[]> {
    const chats = this.known.filter((c) => c.platform === this.platform);
    return specs.map((s) => {
      const match = s.match ? new RegExp(s.match) : null;
      const found = chats.find((c) => c.name === s.name || (match?.test(c.name) ?? false));
      return found?.chatId ?? `${UNBOUND_PREFIX}${s.name ?? s.match}`;
    });
  }
}

/** One line of the preview, in a group's timeline. */
export interface PreviewItem {
  at: number;
  /** 'message': what was posted; otherwise the status of a scheduled fire that posted nothing then. */
  kind: 'message' | 'skipped' | 'held' | 'dropped' | 'no_target' | 'missed' | 'failed';
  text: string;
  /** The scheduled job, for fires. */
  job?: string;
  /** Held fires: when the message goes out. */
  until?: number;
}

export interface PreviewChat {
  name: string;
  kind: 'class' | 'staff' | 'direct';
  /** The bot does not know this group's chat id yet (it learns it from the first message there). */
  unbound: boolean;
  items: PreviewItem[];
}

export interface PreviewPlaybook {
  playbook: Playbook;
  chats: PreviewChat[];
}

export interface PreviewResult {
  playbooks: PreviewPlaybook[];
  /** Playbooks that did not load, and so are not in the preview. */
  errors: PlaybookError[];
}

export interface PreviewOptions {
  playbookDir: string;
  /** A database to start from (copied, never written), or null for an empty one. */
  dbPath: string | null;
  from: number;
  days: number;
}

/** Copies the database (consistently, even while a bot writes to it) into `dir`. */
function snapshot(dbPath: string, dir: string): string {
  const target = join(dir, 'preview.db');
  const source = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    source.prepare('VACUUM INTO ?').run(target);
  } finally {
    source.close();
  }
  return target;
}

/** The chats a database has bound to playbook groups (by title or from a message). */
function knownChats(dbPath: string): KnownChat[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT platform, chat_id AS chatId, name FROM groups WHERE playbook_id IS NOT NULL ORDER BY id DESC`).all() as KnownChat[];
  } finally {
    db.close();
  }
}

function mentionPrefix(msg: OutboundMessage): string {
  const names = [...(msg.mentionAll ? ['所有人'] : []), ...(msg.mentions ?? []).map((m) => m.name)];
  return names.map((n) => `@${n} `).join('');
}

/** Runs the bot from `from` for `days` days and returns each playbook's timeline per chat. */
export async function runPreview(opts: PreviewOptions): Promise<PreviewResult> {
  const work = mkdtempSync(join(tmpdir(), 'classbot-preview-'));
  try {
    const clock = new FakeClock(opts.from);
    const recorded: Recorded[] = [];
    const dbPath = opts.dbPath ? snapshot(opts.dbPath, work) : ':memory:';
    const known = opts.dbPath ? knownChats(dbPath) : [];
    const adapters = PLATFORMS.map((p) => new PreviewAdapter(p, clock, recorded, known));
    // Files the bot would write (weekly reports) go to the scratch directory, not the user's.
    const bot = await startBot({ playbookDir: opts.playbookDir, dbPath, adapters, clock, log: silentLogger, watch: false, autoTick: false, workDir: work });
    try {
      // A staff group bound by title is never looked up (a staff member's message binds it): pretend one spoke there.
      for (const p of PLATFORMS) {
        for (const r of bot.engine.router.unbound(p)) if (r.kind === 'staff') bot.engine.router.learn(r, `${UNBOUND_PREFIX}${r.group.name}`, r.group.name, clock.now());
      }
      const end = opts.from + opts.days * DAY;
      while (clock.now() < end) {
        clock.advance(Math.min(60_000, end - clock.now()));
        await bot.tick();
      }
      const fires = bot.store.sqlite
        .prepare(
          `SELECT playbook_id AS playbookId, job_id AS jobId, group_key AS groupKey, scheduled_at AS at, status, detail
           FROM schedule_fires WHERE claimed_at >= ? AND status <> 'sent' ORDER BY scheduled_at, id`,
        )
        .all(opts.from) as { playbookId: string; jobId: string; groupKey: string; at: number; status: PreviewItem['kind']; detail: string | null }[];
      const playbooks = bot.engine.playbooks.map((pb) => {
        const groups = [...pb.groups.map((g) => ({ g, kind: 'class' as const })), ...(pb.staffGroup ? [{ g: pb.staffGroup, kind: 'staff' as const }] : [])];
        const chats: PreviewChat[] = groups.map(({ g, kind }) => {
          const chatId = bot.engine.router.chatIdOf(pb, g);
          const items: PreviewItem[] = [
            ...recorded
              .filter((r) => r.msg.platform === g.platform && r.msg.target.kind === 'group' && r.msg.target.groupId === chatId)
              .map((r) => ({ at: r.at, kind: 'message' as const, text: `${mentionPrefix(r.msg)}${r.msg.text}` })),
            ...fires
              .filter((f) => f.playbookId === pb.id && f.groupKey === g.key)
              .map((f) => ({
                at: f.at,
                kind: f.status,
                job: f.jobId.replace(/^reminder:/, ''),
                text: f.status === 'held' ? '' : (f.detail ?? ''),
                ...(f.status === 'held' && f.detail ? { until: Date.parse(f.detail) } : {}),
              })),
          ];
          return { name: g.name, kind, unbound: chatId === null || chatId.startsWith(UNBOUND_PREFIX), items: items.sort((a, b) => a.at - b.at) };
        });
        const direct = recorded.filter((r) => r.msg.target.kind === 'direct' && findStaff(pb, r.msg.platform, r.msg.target.memberId));
        if (direct.length > 0) {
          chats.push({
            name: '私聊老师',
            kind: 'direct',
            unbound: false,
            items: direct.map((r) => ({ at: r.at, kind: 'message', text: `→ ${r.msg.target.kind === 'direct' ? r.msg.target.memberId : ''}：${r.msg.text}` })),
          });
        }
        return { playbook: pb, chats };
      });
      return { playbooks, errors: bot.startupErrors };
    } finally {
      await bot.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function when(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${formatDateZh(p.date)} ${formatHHMM(p.minuteOfDay)}`;
}

function itemText(item: PreviewItem, tz: string): string {
  const job = item.job ? `（${item.job}）` : '';
  switch (item.kind) {
    case 'message':
      return item.text;
    case 'skipped':
      return `⏸ 放假不发：${item.text}${job}`;
    case 'held':
      return `⏳ 免打扰时段，推迟到 ${item.until ? when(item.until, tz) : '结束后'} 发送${job}`;
    case 'dropped':
      return `🔕 免打扰时段，按配置不发送${job}`;
    case 'no_target':
      return `⚠️ 还不知道这个群的 ID，没有发出${job}`;
    case 'missed':
      return `⚠️ 机器人停机错过，已超过补发时限${job}`;
    case 'failed':
      return `❌ 出错：${item.text}${job}`;
  }
}

/** Columns a string takes in a terminal: CJK characters and emoji take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return w;
}

/** The preview as assistants read it: per playbook, per group, one entry per post or skipped fire. */
export function formatPreview(result: PreviewPlaybook[], from: number, days: number): string {
  const out: string[] = [];
  for (const { playbook: pb, chats } of result) {
    const tz = pb.timezone;
    const q = pb.data.quiet_hours;
    out.push(`== ${pb.name}（${pb.id}）· ${when(from, tz)} 起 ${days} 天 · ${tz}`);
    if (q) out.push(`   免打扰 ${q.start}–${q.end}：到期的提醒${q.policy === 'hold' ? '推迟到结束后发送' : '不发送'}`);
    for (const chat of chats) {
      out.push('', `[${chat.name}]${chat.unbound ? '（机器人还不知道这个群的 ID：要等群里有人发言后才能发送；以下按已知 ID 预览）' : ''}`);
      if (chat.items.length === 0) out.push('  （没有消息）');
      for (const item of chat.items) {
        const head = `  ${when(item.at, tz)}  `;
        const [first = '', ...rest] = itemText(item, tz).split('\n');
        out.push(`${head}${first}`, ...rest.map((l) => `${' '.repeat(displayWidth(head))}${l}`));
      }
    }
    out.push('');
  }
  return out.join('\n');
}

const USAGE = `classbot preview [配置文件或目录] [--days 7] [--now 2026-11-23T08:00+08:00] [--db 文件]
  按免打扰时段和校历，列出机器人接下来几天会在每个群里发的消息（提醒、排行榜等），
  以及因放假、免打扰而不发或推迟的提醒。用的是和正式运行相同的代码，在数据库的副本上运行，
  不会发送任何消息，也不会改动数据库。默认从现在开始、目录 playbooks/、数据库 data/classbot.db（不存在时从空库开始）。`;

export const previewCommand: Command = {
  name: 'preview',
  summary: '预览接下来几天机器人会在各群发的消息',
  usage: USAGE,
  async run(args, io) {
    const days = Number(option(args, 'days') ?? 7);
    if (!Number.isInteger(days) || days < 1 || days > 62) {
      io.stderr.write('--days 应为 1 到 62 之间的整数\n');
      return 2;
    }
    const nowArg = option(args, 'now') ?? io.env.CLASSBOT_NOW;
    const from = nowArg ? Date.parse(nowArg) : Date.now();
    if (Number.isNaN(from)) {
      io.stderr.write(`--now 的时间格式不对：${nowArg}（例如 2026-11-23T08:00+08:00）\n`);
      return 2;
    }
    const valued = new Set(['--days', '--now', '--db']);
    const named = args.find((a, i) => !a.startsWith('-') && !valued.has(args[i - 1] ?? ''));
    let target = resolve(io.cwd, named ?? playbookDirFrom(io.env));
    if (!existsSync(target) && named) {
      // Not a path: a playbook id in the playbook directory (classbot preview g3-class2).
      const byId = loadPlaybookDir(resolve(io.cwd, playbookDirFrom(io.env)), io.cwd).playbooks.find((pb) => pb.id === named);
      if (byId) target = resolve(io.cwd, byId.file);
    }
    if (!existsSync(target)) {
      io.stderr.write(`找不到 ${target}（可以写配置文件、目录，或配置的 id）\n`);
      return 1;
    }
    const dbPath = dbPathFrom(args, io.env, io.cwd);
    // One file is previewed alone: copied into an empty directory of its own.
    const single = statSync(target).isFile() ? mkdtempSync(join(tmpdir(), 'classbot-preview-pb-')) : null;
    try {
      if (single) copyFileSync(target, join(single, basename(target)));
      const result = await runPreview({ playbookDir: single ?? target, dbPath: dbPath !== ':memory:' && existsSync(dbPath) ? dbPath : null, from, days });
      for (const e of result.errors) io.stderr.write(`${formatError(e)}\n`);
      if (result.errors.length > 0) io.stderr.write(`以上 ${result.errors.length} 个问题所在的配置没有包含在预览里。\n`);
      io.stdout.write(formatPreview(result.playbooks, from, days));
      return 0;
    } catch (e) {
      if (e instanceof NoPlaybooksError) {
        io.stderr.write(`${e.message}\n`);
        return 1;
      }
      throw e;
    } finally {
      if (single) rmSync(single, { recursive: true, force: true });
    }
  },
};
