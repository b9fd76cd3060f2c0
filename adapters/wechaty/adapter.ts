/**
 * The WeChat adapter: one wechaty instance, one bot account, its rooms and contacts.
 * wechaty (about 350 packages, about a second to load) is imported only in start(), so a bot
 * without WeChat configured never pays for it; this module needs it only for types.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Contact, Message, Room, Wechaty, WechatyOptions } from 'wechaty';
import { systemClock, type Clock } from '../../src/clock.js';
import type { Logger } from '../../src/log.js';
import {
  SendError,
  type Adapter,
  type AdapterCapabilities,
  type AdapterState,
  type AdapterStatus,
  type GroupSpec,
  type InboundHandler,
  type MemberRef,
  type OutboundMessage,
  type PlatformEvent,
  type PlatformEventHandler,
  type RateLimits,
  type SendResult,
} from '../../src/model.js';
import { retitle, type RoomInfo } from '../../src/engine/group-match.js';
import { resolveGroups } from './groups.js';
import { displayName, toInboundMessage, type WechatyTypes } from './inbound.js';
import { sendOutbound } from './outbound.js';
import { printLoginQr } from './qr.js';
import { realTimers, Rescans, type Timers } from './rescans.js';
import { routeWechatyLog } from './sdk-logger.js';

type PuppetInstance = Exclude<NonNullable<WechatyOptions['puppet']>, string>;
type PuppetName = Extract<NonNullable<WechatyOptions['puppet']>, string>;

export interface WechatyAdapterOptions {
  /** A puppet instance (tests pass a PuppetMock), or the npm name of one for wechaty to load. */
  puppet: PuppetInstance | string;
  /** For a puppet given by name: its token and, for a self-hosted gateway, its endpoint. */
  token?: string;
  endpoint?: string;
  /** wechaty memory card (login session) file name; none keeps the session in memory only. */
  sessionName?: string;
  log: Logger;
  /** Where the login QR code is drawn; standard error by default (standard output is the console's). */
  qrOutput?: NodeJS.WritableStream;
  clock?: Clock;
  /** For the room list's look-ups after login; real timers by default. */
  timers?: Timers;
}

/**
 * WeChat publishes no sending limits. Bursts get "发送消息过于频繁" and, repeated, a temporary
 * ban on sending (reported for about 100 rooms in a loop, and for 20 contacts × 5 messages);
 * the usual advice is seconds between sends. So: one message per room every 3 s, and at most
 * 10 per 30 s across rooms (20 a minute: a reminder to 50 class groups takes about 2.5 minutes).
 */
export const WECHATY_RATE_LIMITS: RateLimits = {
  perTarget: { max: 1, windowMs: 3_000 },
  global: [{ max: 10, windowMs: 30_000 }],
};

export class WechatyAdapter implements Adapter {
  readonly platform = 'wechaty' as const;
  /** WeChat has no acknowledgement and never delivers a message twice: once the puppet emits it, only we hold it. */
  readonly acknowledgesOnReceipt = true;
  readonly capabilities: AdapterCapabilities = {
    mentions: true,
    // A real @all only where the bot account is the group's owner or an admin; elsewhere "@所有人" as plain text.
    mentionAll: true,
    directMessages: true,
    cards: false,
    markdown: false,
    files: true,
    seesAllGroupMessages: true,
  };
  readonly rateLimits = WECHATY_RATE_LIMITS;

  private bot: Wechaty | undefined;
  private types: WechatyTypes | undefined;
  private current: AdapterStatus;
  private everLoggedIn = false;
  private stopping = false;
  private loginWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** Messages and room events reach the core one at a time, in the order wechaty emitted them. */
  private inbox: Promise<void> = Promise.resolve();
  private onEvent: PlatformEventHandler | undefined;
  /** Rooms known to be the account's: listed, renamed, or seen in a message. */
  private readonly rooms = new Map<string, RoomInfo>();
  /** resolveGroups calls not yet answered. */
  private readonly lookUps = new Set<Promise<unknown>>();
  private readonly rescans: Rescans;
  private readonly log: Logger;
  private readonly clock: Clock;

  constructor(private readonly opts: WechatyAdapterOptions) {
    this.log = opts.log;
    this.clock = opts.clock ?? systemClock;
    this.current = { state: 'stopped', since: this.clock.now() };
    this.rescans = new Rescans(opts.timers ?? realTimers, () => this.groupsChanged('rescan'));
  }

  /** The running wechaty instance (after start), for plugins and diagnostics. */
  get wechaty(): Wechaty | undefined {
    return this.bot;
  }

  status(): AdapterStatus {
    return this.current;
  }

  private setStatus(state: AdapterState, detail?: string): void {
    this.current = { state, since: this.clock.now(), ...(detail ? { detail } : {}) };
  }

  private puppetLabel(): string {
    return typeof this.opts.puppet === 'string' ? this.opts.puppet : this.opts.puppet.name();
  }

  async start(onInbound: InboundHandler, onEvent?: PlatformEventHandler): Promise<void> {
    if (this.bot) throw new Error('WeChat adapter already started');
    this.stopping = false;
    this.onEvent = onEvent;
    this.setStatus('starting', `starting ${this.puppetLabel()}`);
    const sdk = await import('wechaty');
    this.types = { Message: sdk.types.Message, Contact: sdk.types.Contact };
    const { puppet, token, endpoint, sessionName } = this.opts;
    // Before the puppet exists: at WECHATY_LOG=verbose its constructor logs its options, token included.
    routeWechatyLog(sdk.log, this.log, token ? [token] : []);
    if (sessionName) await mkdir(dirname(resolve(sessionName)), { recursive: true });
    const bot = sdk.WechatyBuilder.build(
      typeof puppet === 'string'
        ? {
          ...(sessionName ? { name: sessionName } : {}),
          // wechaty accepts any puppet package name at run time; its type lists only the official ones.
          puppet: puppet as PuppetName,
          puppetOptions: { ...(token ? { token } : {}), ...(endpoint ? { endpoint } : {}) },
        }
        : { ...(sessionName ? { name: sessionName } : {}), puppet },
    );

    bot.on('scan', (qrcode, status) => {
      const waiting = status === sdk.ScanStatus.Waiting || status === sdk.ScanStatus.Timeout;
      const state = this.everLoggedIn ? 'reconnecting' : 'starting';
      if (waiting && qrcode) {
        this.setStatus(state, 'waiting for the login QR code to be scanned');
        this.log.info({ status: sdk.ScanStatus[status] }, 'WeChat login: scan the QR code with the bot account');
        printLoginQr(qrcode, this.opts.qrOutput ?? process.stderr).catch((e: unknown) =>
          this.log.warn({ err: e, qrcode }, 'WeChat login QR code could not be drawn; render this value as a QR code'));
      } else if (status === sdk.ScanStatus.Scanned) {
        this.setStatus(state, 'QR code scanned; confirm the login on the phone');
        this.log.info('WeChat login: QR code scanned, waiting for confirmation on the phone');
      }
    });
    bot.on('login', (user) => {
      const again = this.everLoggedIn;
      this.everLoggedIn = true;
      this.setStatus('connected', `logged in as ${user.name()}`);
      this.log.info({ user: user.name(), userId: user.id }, again ? 'WeChat logged in again' : 'WeChat logged in');
      for (const w of this.loginWaiters.splice(0)) w.resolve();
      this.rescans.start();
    });
    // The puppet has synced its contacts and rooms: the list is as complete as it gets.
    bot.on('ready', () => this.groupsChanged('ready'));
    bot.on('logout', (user, reason) => {
      this.rescans.stop();
      if (this.stopping) return;
      this.setStatus('reconnecting', `logged out${reason ? ` (${reason})` : ''}; waiting for a new login`);
      this.log.warn({ user: user.name(), userId: user.id, reason }, 'WeChat logged out; sends wait until the account logs in again');
    });
    bot.on('error', (err) => {
      this.log.warn({ err }, 'wechaty reported an error');
    });
    bot.on('message', (msg) => this.enqueue('message', () => this.deliver(msg, onInbound)));
    bot.on('room-topic', (room, topic, oldTopic) => this.enqueue('room-topic', () => this.renamed(room, topic, oldTopic)));
    bot.on('room-join', (room, invitees) => this.enqueue('room-join', () => this.joined(room, invitees)));
    bot.on('room-leave', (room, leavers) => this.enqueue('room-leave', () => this.left(room, leavers)));

    this.bot = bot;
    try {
      await bot.start();
    } catch (e) {
      this.bot = undefined;
      const reason = e instanceof Error ? e.message : String(e);
      this.setStatus('error', reason);
      const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && typeof puppet === 'string';
      throw new Error(missing
        ? `微信 puppet ${puppet} 未安装：请先运行 npm install ${puppet}`
        : `微信（wechaty，${this.puppetLabel()}）启动失败：${reason}`, { cause: e });
    }
    this.log.info({ puppet: this.puppetLabel() }, 'WeChat adapter started');
    // Until the puppet reports a QR code or a login, say what the adapter waits for (a restored session logs in by itself).
    if (!bot.isLoggedIn && this.current.state === 'starting' && !this.current.detail?.includes('QR')) {
      this.setStatus('starting', 'waiting for the bot account to log in; the QR code to scan is shown when the puppet asks for one');
      this.log.info('WeChat: waiting for the bot account to log in (a QR code to scan is shown when the puppet asks for one)');
    }
  }

  /** In line behind earlier messages and events; one that fails is logged and skipped, never a crash. */
  private enqueue(what: string, work: () => Promise<void>): void {
    this.inbox = this.inbox.then(work).catch((e: unknown) => this.log.error({ err: e, event: what }, 'WeChat event skipped: it could not be translated or handled'));
  }

  private async emit(event: PlatformEvent): Promise<void> {
    await this.onEvent?.(event);
  }

  private groupsChanged(why: 'ready' | 'rescan'): void {
    this.log.debug({ why }, 'WeChat: asking for the room list to be looked up again');
    this.enqueue(why, () => this.emit({ kind: 'groups-changed', platform: 'wechaty', at: this.clock.now() }));
  }

  /**
   * A room the adapter has not known before (the puppet's list lacked it) is shown to the core
   * before its message, which then waits for the look-up that binds it: otherwise the first
   * message of a title-bound class room would be dropped as from an unknown room.
   */
  private async deliver(msg: Message, onInbound: InboundHandler): Promise<void> {
    try {
      const room = msg.room();
      if (room && !msg.self() && !this.rooms.has(room.id)) {
        await this.roomSeen(room, await room.topic());
        await this.lookUpsDone();
      }
      const inbound = await toInboundMessage(msg, this.types!);
      if (inbound) await onInbound(inbound);
    } catch (e) {
      this.log.error({ err: e, messageId: msg.id }, 'WeChat message skipped: it could not be translated or handled');
    }
  }

  /** Seen in a message, renamed, or the bot was added: the core binds it by title or keeps its binding by id. */
  private async roomSeen(room: Room, topic: string): Promise<void> {
    retitle(this.rooms, room.id, topic);
    await this.emit({ kind: 'group-seen', platform: 'wechaty', groupId: room.id, groupName: topic, at: this.clock.now() });
  }

  /** Until the core's look-ups (which the group-seen may have started) have answered and it has taken the ids in. */
  private async lookUpsDone(): Promise<void> {
    while (this.lookUps.size > 0) await Promise.allSettled([...this.lookUps]);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** The old title too, for a room not known yet: later look-ups find it by the title the playbook has. */
  private async renamed(room: Room, topic: string, oldTopic: string): Promise<void> {
    if (!this.rooms.has(room.id) && oldTopic) retitle(this.rooms, room.id, oldTopic);
    await this.roomSeen(room, topic);
  }

  private async joined(room: Room, invitees: Contact[]): Promise<void> {
    if (invitees.some((c) => c.self())) await this.roomSeen(room, await room.topic());
    const others = invitees.filter((c) => !c.self());
    if (others.length === 0) return;
    const joined = await Promise.all(others.map(async (c): Promise<MemberRef> => ({ id: c.id, name: await displayName(c, room) })));
    await this.emit({ kind: 'membership', platform: 'wechaty', groupId: room.id, joined, left: [], at: this.clock.now() });
  }

  private async left(room: Room, leavers: Contact[]): Promise<void> {
    // The bot account removed: no longer one of its rooms.
    if (leavers.some((c) => c.self())) this.rooms.delete(room.id);
    // Gone from the room, so no group nickname: their WeChat name.
    const left = leavers.filter((c) => !c.self()).map((c): MemberRef => ({ id: c.id, name: c.name().trim() }));
    if (left.length === 0) return;
    await this.emit({ kind: 'membership', platform: 'wechaty', groupId: room.id, joined: [], left, at: this.clock.now() });
  }

  async stop(): Promise<void> {
    const bot = this.bot;
    if (!bot) return;
    this.stopping = true;
    this.rescans.stop();
    for (const w of this.loginWaiters.splice(0)) w.reject(new Error('WeChat adapter stopped'));
    await bot.stop();
    await this.inbox;
    this.bot = undefined;
    this.setStatus('stopped');
  }

  /** Resolves once the account is logged in, which may wait for a QR scan. */
  private loggedIn(): Promise<void> {
    if (!this.bot) return Promise.reject(new Error('WeChat adapter not started'));
    if (this.bot.isLoggedIn) return Promise.resolve();
    return new Promise((resolve, reject) => this.loginWaiters.push({ resolve, reject }));
  }

  /** Rooms are known only after login, so this waits for it (a QR scan, on a first run). */
  resolveGroups(specs: GroupSpec[]): Promise<(string | null)[]> {
    const answer = this.loggedIn().then(() => resolveGroups(this.bot!, specs, this.log, this.rooms));
    // Registered at once, before the first await: a message waiting for this look-up must see it.
    this.lookUps.add(answer);
    void answer.finally(() => this.lookUps.delete(answer)).catch(() => {});
    return answer;
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    if (!this.bot) throw new SendError('WeChat adapter not started', true);
    return sendOutbound(this.bot, msg, this.log);
  }
}
