/**
 * A bot on the real engine and store (':memory:' or a file), with a fake clock and a recording
 * console adapter: tests post messages as members, move time, and read what the bot sent.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot, type Bot, type BotOptions } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import type { Adapter, AdapterCapabilities, AdapterStatus, InboundHandler, InboundMessage, OutboundMessage, Platform, PlatformEventHandler, RateLimits, SendResult } from '../../src/model.js';

export class RecordingAdapter implements Adapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  rateLimits: RateLimits = { perTarget: { max: 1000, windowMs: 1000 } };
  readonly sent: OutboundMessage[] = [];
  handler: InboundHandler | null = null;
  /** What the bot gave start() for platform events: tests call it as an adapter would. */
  onEvent: PlatformEventHandler | null = null;
  /** Makes the next sends throw this (consumed one per send). */
  failures: Error[] = [];
  /** Set false to play a logged-out platform. */
  online = true;

  /** `files: false` plays a platform that cannot send files; `platform` a second platform beside the console. */
  constructor(opts: { files?: boolean; platform?: Platform; rateLimits?: RateLimits } = {}) {
    this.platform = opts.platform ?? 'console';
    if (opts.rateLimits) this.rateLimits = opts.rateLimits;
    this.capabilities = { mentions: true, mentionAll: true, directMessages: true, cards: false, markdown: true, files: opts.files ?? true, seesAllGroupMessages: true };
  }

  async start(h: InboundHandler, onEvent?: PlatformEventHandler) {
    this.handler = h;
    this.onEvent = onEvent ?? null;
  }
  async stop() {
    this.handler = null;
  }
  status(): AdapterStatus {
    return { state: !this.handler ? 'stopped' : this.online ? 'connected' : 'reconnecting', since: 0 };
  }
  async send(msg: OutboundMessage): Promise<SendResult> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(msg);
    return { platformMessageIds: [`rec-${this.sent.length}`] };
  }
  /** Texts sent to a chat id (group) or member id (direct). */
  textsTo(target: string): string[] {
    return this.sent.filter((m) => (m.target.kind === 'group' ? m.target.groupId : m.target.memberId) === target).map((m) => m.text);
  }
  clear() {
    this.sent.length = 0;
  }
}

/** Writes playbooks (file name → YAML) into a fresh temp directory. */
export function playbookDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'classbot-pb-'));
  for (const [name, yaml] of Object.entries(files)) writeFileSync(join(dir, name), yaml);
  return dir;
}

/** A minimal class playbook on the console platform; `extra` is appended YAML (feature blocks). */
export function classPlaybook(extra = '', opts: { id?: string; name?: string } = {}): string {
  return `id: ${opts.id ?? 'c1'}
name: ${opts.name ?? '三年级二班'}
timezone: Asia/Shanghai
groups:
  - key: class
    platform: console
    id: class-1
    name: 三年级二班家长群
staff_group:
  platform: console
  id: staff-1
  name: 老师群
staff:
  - { name: 李老师, role: assistant, ids: { console: li } }
  - { name: 王老师, role: head_teacher, ids: { console: wang } }
  - { name: 张主任, role: coordinator, ids: { console: zhang } }
${extra}`;
}

/** A one-entry FAQ block to append to classPlaybook(): 课表 questions get a known answer. */
export const FAQ_BLOCK = `faq:
  - q: 课表
    keywords: [课表]
    answer: 课表在群文件里。
`;

export interface TestBot {
  bot: Bot;
  clock: FakeClock;
  adapter: RecordingAdapter;
  /** Posts a group message as `sender` (id = name unless given) and waits for the bot's reaction. */
  say(sender: string | { id: string; name: string }, text: string, opts?: Partial<InboundMessage>): Promise<InboundMessage>;
  /** Moves the clock forward minute by minute, ticking the bot at each step. */
  advance(ms: number): Promise<void>;
  stop(): Promise<void>;
}

let seq = 0;

export async function testBot(
  files: Record<string, string> | string,
  opts: { now?: string | number; dbPath?: string; adapter?: RecordingAdapter } & Partial<Omit<BotOptions, 'clock' | 'adapters' | 'playbookDir' | 'dbPath'>> = {},
): Promise<TestBot> {
  const dir = typeof files === 'string' ? files : playbookDir(files);
  const clock = new FakeClock(typeof opts.now === 'number' ? opts.now : Date.parse(opts.now ?? '2026-11-23T08:00:00+08:00'));
  const { now: _now, adapter: given, dbPath, ...botOpts } = opts;
  const adapter = given ?? new RecordingAdapter();
  const bot = await startBot({ watch: false, autoTick: false, ...botOpts, playbookDir: dir, dbPath: dbPath ?? ':memory:', adapters: [adapter], clock });
  return {
    bot,
    clock,
    adapter,
    async say(sender, text, extra = {}) {
      const who = typeof sender === 'string' ? { id: sender, name: sender } : sender;
      const msg: InboundMessage = {
        platform: 'console',
        eventId: `t-${++seq}`,
        chatType: 'group',
        groupId: 'class-1',
        groupName: '三年级二班家长群',
        sender: who,
        text,
        elements: [{ type: 'text', text }],
        mentions: [],
        addressed: false,
        timestamp: clock.now(),
        ...extra,
      };
      await adapter.handler!(msg);
      return msg;
    },
    async advance(ms) {
      const end = clock.now() + ms;
      while (clock.now() < end) {
        clock.advance(Math.min(60_000, end - clock.now()));
        await bot.tick();
      }
    },
    stop: () => bot.stop(),
  };
}
