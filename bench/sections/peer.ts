/**
 * 6. Peer: the ingest workload (its first messages) through the framework a team would otherwise
 * pick, a Koishi 4 bot: its mock adapter, its SQLite database driver (minato's, which replaced
 * @koishijs/plugin-database-sqlite in Koishi 4.16), and one middleware doing
 * the same keyword check as classbot's FAQ and check-in triggers and storing one row per message.
 * classbot runs the same messages in the same run. Koishi is installed into bench/peers/
 * (git-ignored, never a project dependency) by `npm run bench -- --peers`, and loaded from there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import { loadPlaybookFile } from '../../src/playbook/load.js';
import { EXAMPLE_PLAYBOOK, writeDistrict } from '../lib/district.js';
import { Feed, type FedMessage } from '../lib/feed.js';
import { now, scratchDir } from '../lib/measure.js';
import { NullAdapter } from '../lib/null-adapter.js';
import { figure, skipped, type SectionResult } from '../lib/result.js';
import type { SectionContext } from './context.js';

const PEERS = fileURLToPath(new URL('../peers', import.meta.url));
const PACKAGES = ['koishi@4', '@koishijs/plugin-mock@2', '@minatojs/driver-sqlite@4'];
const BURST = 200;
/**
 * Koishi gets one message at a time: delivered in concurrent bursts it loses about 3% of them (its
 * first-message channel and user records race) and is no faster, its SQLite driver being synchronous.
 */
const KOISHI_BURST = 1;

/* The few Koishi shapes used here (its types live in bench/peers, outside the project's tsconfig). */
interface KoishiSession {
  id: number;
  content?: string;
  userId?: string;
  channelId?: string;
  messageId?: string;
  timestamp?: number;
  app: KoishiContext;
}
interface KoishiContext {
  plugin(plugin: unknown, config?: unknown): void;
  middleware(fn: (session: KoishiSession, next: () => Promise<unknown>) => Promise<unknown>): void;
  on(event: 'middleware', fn: (session: KoishiSession) => void): void;
  model: { extend(name: string, fields: Record<string, string>, config?: Record<string, unknown>): void };
  database: { create(table: string, row: Record<string, unknown>): Promise<unknown>; get(table: string, query: Record<string, unknown>): Promise<unknown[]> };
  mock: { receive(event: Record<string, unknown>): number };
  start(): Promise<void>;
  stop(): Promise<void>;
}
interface KoishiModule {
  Context: new (config?: Record<string, unknown>) => KoishiContext;
  h: { parse(content: string): unknown[] };
  Logger: { levels: { base: number } };
}

export async function run(ctx: SectionContext): Promise<SectionResult> {
  const started = now();
  if (!installed()) {
    if (!ctx.peers) return skipped('peer', 'Peer', 'Koishi is not installed: run `npm run bench -- --peers` once to install it into bench/peers/');
    const problem = install();
    if (problem) return skipped('peer', 'Peer', problem);
  }
  const n = ctx.n ?? (ctx.quick ? 2_000 : 20_000);
  const scratch = scratchDir('peer');
  try {
    const playbooks = writeDistrict(scratch.dir, { playbooks: 200, groupsPerPlaybook: 10, platform: () => 'lark' });
    const groups = playbooks.flatMap((p) => p.groups);
    const messages = new Feed({ groups, membersPerGroup: 20, seed: 1, startDate: '2026-11-23', perDay: 200_000 }).burst(n);

    const classbotMs = await runClassbot(scratch.dir, messages);
    ctx.progress('peer: classbot done, Koishi running');
    const { ms: koishiMs, stored } = await runKoishi(join(scratch.dir, 'koishi.db'), messages, ctx);

    const rate = (n / classbotMs) * 1000;
    const peerRate = (n / koishiMs) * 1000;
    const notes = [`absolute: classbot ${(classbotMs / 1000).toFixed(2)} s, Koishi ${(koishiMs / 1000).toFixed(1)} s for ${n.toLocaleString('en-US')} messages`];
    if (stored !== n) notes.push(`WARNING: Koishi stored ${stored} rows for ${n} messages`);
    return {
      section: 'peer',
      title: 'Peer',
      params: { messages: n, burst: BURST, packages: PACKAGES },
      figures: [
        figure({ metric: 'throughput', value: rate, unit: 'msg/s', baseline: { name: 'Koishi 4 + sqlite', value: peerRate }, target: { on: 'ratio', op: '>=', limit: 50 } }),
      ],
      notes,
      seconds: (now() - started) / 1000,
    };
  } finally {
    scratch.cleanup();
  }
}

function installed(): boolean {
  return existsSync(join(PEERS, 'node_modules', 'koishi', 'package.json'));
}

/** Installs Koishi into bench/peers/; returns why it could not. */
function install(): string | null {
  process.stderr.write(`  installing ${PACKAGES.join(' ')} into bench/peers/ …\n`);
  const r = spawnSync('npm', ['install', '--prefix', PEERS, '--no-audit', '--no-fund', ...PACKAGES], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status === 0 && installed()) return null;
  return `could not install ${PACKAGES.join(', ')} from the npm registry (npm exited with ${r.status ?? r.error?.message}); the peer section needs them`;
}

async function runClassbot(dir: string, messages: FedMessage[]): Promise<number> {
  const clock = new FakeClock(messages[0]!.msg.timestamp);
  const adapter = new NullAdapter('lark', { perTarget: { max: 1_000, windowMs: 1_000 } });
  const bot = await startBot({ playbookDir: dir, dbPath: join(dir, 'classbot.db'), adapters: [adapter], clock, watch: false, autoTick: false });
  let ms = 0;
  for (let i = 0; i < messages.length; i += BURST) {
    const items = messages.slice(i, i + BURST);
    clock.set(items[items.length - 1]!.msg.timestamp);
    const t0 = now();
    await Promise.all(items.map(({ msg }) => adapter.deliver(msg)));
    ms += now() - t0;
  }
  await bot.stop();
  return ms;
}

/** The keywords classbot's FAQ and check-in triggers look for in the example playbook. */
function exampleKeywords(): string[] {
  const loaded = loadPlaybookFile(EXAMPLE_PLAYBOOK);
  if (!loaded.ok) throw new Error(`the example playbook does not load: ${loaded.errors[0]?.message}`);
  const data = loaded.playbook.data;
  return [...data.faq.flatMap((f) => f.keywords), ...(data.checkin ?? []).flatMap((g) => g.trigger.keywords)];
}

async function runKoishi(dbPath: string, messages: FedMessage[], ctx: SectionContext): Promise<{ ms: number; stored: number }> {
  const require = createRequire(join(PEERS, 'package.json'));
  const koishi = require('koishi') as KoishiModule;
  const mock = require('@koishijs/plugin-mock') as { default: unknown };
  const sqlite = require('@minatojs/driver-sqlite') as { default: unknown };
  koishi.Logger.levels.base = 1;
  const keywords = exampleKeywords().map((k) => k.toLowerCase());

  const app = new koishi.Context();
  app.plugin(sqlite.default, { path: dbPath });
  app.plugin(mock.default);
  app.model.extend(
    'bench_message',
    { id: 'unsigned', eventId: 'string', channelId: 'string', userId: 'string', text: 'text', keyword: 'string', sentAt: 'double' },
    { autoInc: true },
  );
  app.middleware(async (session, next) => {
    const text = (session.content ?? '').toLowerCase();
    const keyword = keywords.find((k) => text.includes(k)) ?? '';
    await session.app.database.create('bench_message', {
      eventId: session.messageId,
      channelId: session.channelId,
      userId: session.userId,
      text: session.content,
      keyword,
      sentAt: session.timestamp ?? 0,
    });
    return next();
  });
  const done = new Map<number, () => void>();
  app.on('middleware', (session) => {
    done.get(session.id)?.();
    done.delete(session.id);
  });
  await app.start();

  let ms = 0;
  for (let i = 0; i < messages.length; i += KOISHI_BURST) {
    const items = messages.slice(i, i + KOISHI_BURST);
    const t0 = now();
    await Promise.all(
      items.map(
        ({ msg }) =>
          new Promise<void>((resolve) => {
            const id = app.mock.receive({
              type: 'message',
              platform: 'mock',
              selfId: '514',
              timestamp: msg.timestamp,
              user: { id: msg.sender.id, name: msg.sender.name },
              guild: { id: msg.groupId },
              channel: { id: msg.groupId, type: 0 },
              message: { id: msg.eventId, content: msg.text, elements: koishi.h.parse(msg.text) },
            });
            done.set(id, resolve);
          }),
      ),
    );
    ms += now() - t0;
    if (i % 1_000 === 0) ctx.progress(`peer: Koishi ${Math.min(messages.length, i + KOISHI_BURST).toLocaleString('en-US')}/${messages.length.toLocaleString('en-US')}`);
  }
  const stored = (await app.database.get('bench_message', {})).length;
  // Not stopped: the mock bot's dispose throws in this version, and the process ends right after.
  return { ms, stored };
}
