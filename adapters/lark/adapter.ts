/**
 * The Lark (Feishu) adapter: events over the SDK's long connection (WSClient, no public URL),
 * sends through the SDK's Client. It translates only: deduplication, rate limiting and retries
 * belong to the engine and its outbox, which read `rateLimits` and SendError from here.
 */
import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Client, DefaultCache, EventDispatcher, LoggerLevel, WSClient } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../src/log.js';
import {
  SendError,
  type Adapter,
  type AdapterCapabilities,
  type AdapterState,
  type AdapterStatus,
  type InboundHandler,
  type InboundMessage,
  type MemberRef,
  type OutboundAttachment,
  type OutboundMessage,
  type PlatformEvent,
  type PlatformEventHandler,
  type RateLimits,
  type SendResult,
  type SentRef,
} from '../../src/model.js';
import { checkAppId } from './config.js';
import { Directory } from './directory.js';
import { bodyFailure, thrownFailure, type LarkFailure } from './errors.js';
import { MalformedEvent, pressToast, translateCardAction, translateMessage, type CardActionEvent, type MessageReceiveEvent } from './inbound.js';
import { fileMessage, larkFileType, larkUuid, receiveTarget, renderCard, renderMessage, replyTarget, type LarkPayload } from './outbound.js';
import { allPages, LarkListError } from './pages.js';
import {
  translateBotAdded,
  translateChatUpdated,
  translateMembers,
  translateRecalled,
  type BotAddedEvent,
  type ChatUpdatedEvent,
  type MembersChangedEvent,
  type MembershipEvent,
  type MessageRecalledEvent,
} from './platform-events.js';
import { sdkLogger } from './sdk-logger.js';

export interface LarkAdapterOptions {
  appId: string;
  appSecret: string;
  /** Base URL of the open platform (https://open.feishu.cn, https://open.larksuite.com, a private one, a test fake). */
  domain: string;
  log: Logger;
  /** Token cache for the SDK's token manager; the SDK's default is shared by the whole process. */
  tokenCache?: DefaultCache;
  /** Whether the app holds "read all group messages"; without it the bot only sees messages that @ it. */
  seesAllGroupMessages?: boolean;
  /**
   * Seconds without any frame after a ping before the connection counts as dead and is replaced.
   * The SDK re-arms this watchdog at every ping, so it must stay below Lark's ping interval (120 s).
   */
  pingTimeoutSec?: number;
  /** First and longest wait between attempts to reach Lark while starting. */
  startRetryMs?: { first: number; max: number };
}

export type StatusListener = (status: AdapterStatus) => void;

const DEFAULT_PING_TIMEOUT_SEC = 30;
/** The largest page read_users gives. */
const READ_USERS_PAGE_SIZE = 100;

/** The SDK's token manager throws a plain Error when Lark answers the token request with a non-zero code. */
function isTokenRefusal(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('failed to get tenant_access_token');
}
const HANDSHAKE_TIMEOUT_MS = 15_000;

export class LarkAdapter implements Adapter {
  readonly platform = 'lark' as const;
  /** Events are acked on receipt (Lark wants an answer within about 3 s), before the engine commits them. */
  readonly acknowledgesOnReceipt = true;
  readonly capabilities: AdapterCapabilities;
  /** Lark: 5 messages/s per chat (shared by the chat's bots) and per user; 50/s and 1,000/min per app. */
  readonly rateLimits: RateLimits = {
    perTarget: { max: 5, windowMs: 1000 },
    global: [
      { max: 50, windowMs: 1000 },
      { max: 1000, windowMs: 60_000 },
    ],
  };

  private readonly client: Client;
  private readonly tokenCache: DefaultCache;
  private readonly directory: Directory;
  private readonly listeners = new Set<StatusListener>();
  /** Each group's name as last told to the core, so a new group or a new name is told once. */
  private readonly groupNames = new Map<string, string>();
  private current: AdapterStatus = { state: 'stopped', since: Date.now() };
  private ws: WSClient | undefined;
  private botOpenId: string | undefined;
  private onInbound: InboundHandler | undefined;
  private onEvent: PlatformEventHandler | undefined;
  /** Events are acknowledged at once and processed here, one at a time, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private starting: Promise<void> | undefined;
  private stopped = true;
  private wakeStartRetry: (() => void) | undefined;

  constructor(private readonly opts: LarkAdapterOptions) {
    checkAppId(opts.appId);
    if (!opts.appSecret) throw new Error('Lark adapter needs an app secret');
    this.capabilities = {
      mentions: true,
      mentionAll: true,
      directMessages: true,
      cards: true,
      markdown: true,
      files: true,
      seesAllGroupMessages: opts.seesAllGroupMessages ?? false,
      readReceipts: true,
      updatesMessages: true,
    };
    this.tokenCache = opts.tokenCache ?? new DefaultCache();
    this.client = new Client({
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: opts.domain,
      cache: this.tokenCache,
      logger: sdkLogger(opts.log),
      loggerLevel: this.sdkLevel(),
    });
    this.directory = new Directory(this.client, opts.log);
  }

  /** Sends are plain HTTPS: they go out while the event connection reconnects. */
  canSend(): boolean {
    return this.current.state !== 'stopped';
  }

  status(): AdapterStatus {
    return this.current;
  }

  /** Follows status changes (the engine's health output, tests); returns the unsubscribe. */
  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once the connection is being set up; it never fails for network trouble: the
   * adapter keeps trying and `status()` says how it goes.
   */
  async start(onInbound: InboundHandler, onEvent?: PlatformEventHandler): Promise<void> {
    if (!this.stopped) throw new Error('Lark adapter already started');
    this.stopped = false;
    this.onInbound = onInbound;
    this.onEvent = onEvent;
    this.setStatus('starting');
    this.starting = this.connect().catch((err: unknown) => this.setStatus('error', (err as Error).message));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeStartRetry?.();
    await this.starting;
    this.ws?.close({ force: true });
    this.ws = undefined;
    // Hand over what was already acknowledged before saying we are done.
    await this.queue;
    this.setStatus('stopped');
  }

  /**
   * The text, then any attachment: uploaded, then sent as a file message. Each message carries its
   * own uuid, so a retry after a failed upload does not post the text twice. Urgent recipients are
   * reached once everything is posted. An update (`updateOf`) replaces the earlier card instead.
   */
  async send(msg: OutboundMessage): Promise<SendResult> {
    const [cardId] = msg.updateOf ?? [];
    if (cardId) {
      await this.updateCard(msg, cardId);
      return { platformMessageIds: msg.updateOf ?? [] };
    }
    const ids = [await this.post(msg, renderMessage(msg), larkUuid(msg.idempotencyKey))];
    if (msg.attachment) {
      const fileKey = await this.upload(msg, msg.attachment);
      ids.push(await this.post(msg, fileMessage(fileKey), larkUuid(`${msg.idempotencyKey}:file`)));
    }
    if (msg.urgentTo?.length) await this.urge(msg, ids[0] ?? '', msg.urgentTo);
    return { platformMessageIds: ids };
  }

  /**
   * Open_ids of who has read one of the bot's own messages (GET …/messages/:id/read_users,
   * needs im:message:readonly or im:message; Lark answers for the bot's messages of the last 7 days).
   */
  async readBy(sent: SentRef): Promise<string[]> {
    try {
      const readers = await allPages((pageToken) =>
        this.client.im.v1.message.readUsers({
          path: { message_id: sent.platformMessageId },
          params: { user_id_type: 'open_id', page_size: READ_USERS_PAGE_SIZE, page_token: pageToken },
        }),
      );
      return readers.map((r) => r.user_id);
    } catch (err) {
      const f = err instanceof LarkListError ? bodyFailure(err.body) : thrownFailure(err);
      if (f.tokenInvalid) this.tokenCache.values.clear();
      throw f.error;
    }
  }

  /** PATCH /open-apis/im/v1/messages/:message_id: the card shows the new content to the whole chat. */
  private async updateCard(msg: OutboundMessage, messageId: string): Promise<void> {
    let res: { code?: number; msg?: string };
    try {
      res = await this.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(renderCard(msg)) } });
    } catch (err) {
      throw this.failed(thrownFailure(err), msg);
    }
    if (res.code !== 0) throw this.failed(bodyFailure(res), msg);
  }

  /**
   * Lark's in-app urgent notice (PATCH …/messages/:id/urgent_app, needs im:message.urgent). The
   * message itself is in the chat already: a refusal here is logged, never a failed send.
   */
  private async urge(msg: OutboundMessage, messageId: string, to: MemberRef[]): Promise<void> {
    const ids = to.map((m) => m.id);
    let problem: string | undefined;
    try {
      const res = await this.client.im.v1.message.urgentApp({
        path: { message_id: messageId },
        params: { user_id_type: 'open_id' },
        data: { user_id_list: ids },
      });
      if (res.code !== 0) problem = bodyFailure(res).error.message;
      const invalid = res.data?.invalid_user_id_list ?? [];
      if (invalid.length > 0) this.opts.log.warn({ key: msg.idempotencyKey, messageId, invalid }, 'lark: urgent notice not sent to some recipients');
    } catch (err) {
      problem = thrownFailure(err).error.message;
    }
    if (problem) this.opts.log.warn({ key: msg.idempotencyKey, messageId, to: ids }, `lark: urgent notice failed (it needs the im:message.urgent permission): ${problem}`);
  }

  private async post(msg: OutboundMessage, payload: LarkPayload, uuid: string): Promise<string> {
    const replyTo = replyTarget(msg);
    const to = receiveTarget(msg.target);
    let res: { code?: number; msg?: string; data?: { message_id?: string } };
    try {
      res = replyTo
        ? await this.client.im.v1.message.reply({ path: { message_id: replyTo }, data: { ...payload, uuid } })
        : await this.client.im.v1.message.create({
            params: { receive_id_type: to.receive_id_type },
            data: { receive_id: to.receive_id, ...payload, uuid },
          });
    } catch (err) {
      throw this.failed(thrownFailure(err), msg);
    }
    if (res.code !== 0) throw this.failed(bodyFailure(res), msg);
    const id = res.data?.message_id;
    if (!id) throw new SendError('Lark accepted the message but returned no message_id', false);
    return id;
  }

  /** Uploads a local file (multipart, POST /open-apis/im/v1/files) and returns its file_key. */
  private async upload(msg: OutboundMessage, file: OutboundAttachment): Promise<string> {
    try {
      await access(file.path, constants.R_OK);
    } catch {
      // Deleted or unreadable since it was written: no retry brings it back.
      throw new SendError(`attachment ${file.path} cannot be read`, false);
    }
    let res: { file_key?: string } | null;
    try {
      // A stream, so the upload names the file as its own part (a plain Buffer goes without a file name).
      res = await this.client.im.v1.file.create({ data: { file_type: larkFileType(file.name), file_name: file.name, file: createReadStream(file.path) } });
    } catch (err) {
      throw this.failed(thrownFailure(err), msg);
    }
    // The SDK answers only the body's `data`: a refusal without an HTTP error shows as nothing.
    if (!res?.file_key) throw new SendError('Lark answered the file upload without a file_key', true);
    return res.file_key;
  }

  private failed(f: LarkFailure, msg: OutboundMessage): SendError {
    // The SDK only refreshes a token when its cache says it expired; drop a token Lark rejected.
    if (f.tokenInvalid) this.tokenCache.values.clear();
    this.opts.log.warn({ key: msg.idempotencyKey, retryable: f.error.retryable, retryAfterMs: f.error.retryAfterMs }, `lark: send failed: ${f.error.message}`);
    return f.error;
  }

  /** Learns the bot's own open_id (to tell its mentions apart), then opens the long connection. */
  private async connect(): Promise<void> {
    const retry = this.opts.startRetryMs ?? { first: 1000, max: 60_000 };
    let wait = retry.first;
    while (!this.stopped && !this.botOpenId) {
      try {
        this.botOpenId = await this.fetchBotOpenId();
      } catch (err) {
        // Keep trying either way, but a refusal (bad credentials, missing bot ability) is an error
        // for whoever watches the status, not a wait.
        const answer = (err as { response?: unknown }).response ? thrownFailure(err).error : undefined;
        const refused = (answer && !answer.retryable) || isTokenRefusal(err);
        const detail = `bot info: ${answer?.message ?? (err as Error).message}`;
        this.setStatus(refused ? 'error' : 'starting', detail);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wakeStartRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wait = Math.min(wait * 2, retry.max);
      }
    }
    if (this.stopped) return;
    const dispatcher = new EventDispatcher({ logger: sdkLogger(this.opts.log), loggerLevel: this.sdkLevel() }).register({
      // Returning at once acknowledges the event; Lark pushes it again when the ack takes over ~3 s.
      'im.message.receive_v1': (ev: MessageReceiveEvent) => {
        this.enqueue(() => this.handleMessage(ev));
      },
      // The answer (a toast) must come within Lark's 3 s: the press itself is handled afterwards.
      'card.action.trigger': (ev: CardActionEvent) => {
        const msg = this.translated(() => translateCardAction(ev, Date.now()));
        if (!msg) return undefined;
        this.enqueue(() => this.deliver(msg));
        return pressToast(msg.text);
      },
      'im.chat.member.bot.added_v1': (ev: BotAddedEvent) => {
        this.enqueue(() => this.botAdded(ev));
      },
      'im.chat.updated_v1': (ev: ChatUpdatedEvent) => {
        this.enqueue(() => this.chatUpdated(ev));
      },
      'im.message.recalled_v1': (ev: MessageRecalledEvent) => {
        this.enqueue(() => this.emit(translateRecalled(ev, Date.now())));
      },
      'im.chat.member.user.added_v1': (ev: MembersChangedEvent) => {
        this.enqueue(() => this.membersChanged(translateMembers(ev, true, Date.now())));
      },
      'im.chat.member.user.deleted_v1': (ev: MembersChangedEvent) => {
        this.enqueue(() => this.membersChanged(translateMembers(ev, false, Date.now())));
      },
    });
    this.ws = new WSClient({
      appId: this.opts.appId,
      appSecret: this.opts.appSecret,
      domain: this.opts.domain,
      logger: sdkLogger(this.opts.log),
      loggerLevel: this.sdkLevel(),
      autoReconnect: true,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      wsConfig: { pingTimeout: this.opts.pingTimeoutSec ?? DEFAULT_PING_TIMEOUT_SEC },
      onReady: () => this.setStatus('connected'),
      onReconnecting: () => this.setStatus('reconnecting', 'connection lost'),
      onReconnected: () => this.setStatus('connected'),
      onError: (err) => this.setStatus('error', err.message),
    });
    // Returns at once; onReady / onError report how the first connection went.
    await this.ws.start({ eventDispatcher: dispatcher });
  }

  private async fetchBotOpenId(): Promise<string> {
    const res = (await this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as {
      code?: number;
      msg?: string;
      bot?: { open_id?: string };
    };
    const id = res.bot?.open_id;
    if (res.code !== 0 || !id) throw new Error(`code ${res.code ?? '?'}: ${res.msg ?? 'no bot open_id'}`);
    return id;
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: unknown) => this.eventFailed(err));
  }

  /** A translation done at once (to answer the event), with a malformed event logged and skipped. */
  private translated<T>(translate: () => T): T | undefined {
    try {
      return translate();
    } catch (err) {
      this.eventFailed(err);
      return undefined;
    }
  }

  private eventFailed(err: unknown): void {
    if (err instanceof MalformedEvent) this.opts.log.warn(`lark: skipped malformed event: ${err.message}`);
    else this.opts.log.error({ err }, 'lark: inbound event failed');
  }

  /** A platform event for the core; its failure is logged and never keeps a message from the core. */
  private async emit(event: PlatformEvent): Promise<void> {
    try {
      await this.onEvent?.(event);
    } catch (err) {
      this.opts.log.error({ err, kind: event.kind }, 'lark: platform event failed');
    }
  }

  /** The bot joined a chat: the core learns its chat_id now, not at its first message. */
  private async botAdded(ev: BotAddedEvent): Promise<void> {
    const event = translateBotAdded(ev, Date.now());
    await this.groupSeen(event.groupId, event.groupName || (await this.directory.chatName(event.groupId)), event.at);
  }

  /** A chat renamed: the core re-binds title-bound groups by the new name; the directory forgets the old one. */
  private async chatUpdated(ev: ChatUpdatedEvent): Promise<void> {
    const event = translateChatUpdated(ev, Date.now());
    if (!event) return;
    this.directory.chatRenamed(event.groupId, event.groupName);
    await this.groupSeen(event.groupId, event.groupName, event.at);
  }

  private async membersChanged(event: MembershipEvent): Promise<void> {
    if (event.joined.length > 0) this.directory.membersChanged(event.groupId);
    await this.emit(event);
  }

  /**
   * Tells the core about a group it may not know by this name yet. Playbooks bind groups by
   * chat_id, which Lark shows nowhere in its apps: the log says it once.
   */
  private async groupSeen(groupId: string, name: string | undefined, at: number): Promise<void> {
    if (!name || this.groupNames.get(groupId) === name) return;
    this.groupNames.set(groupId, name);
    this.opts.log.info({ groupId, groupName: name }, 'lark: group seen');
    await this.emit({ kind: 'group-seen', platform: 'lark', groupId, groupName: name, at });
  }

  private async handleMessage(ev: MessageReceiveEvent): Promise<void> {
    const msg = translateMessage(ev, this.botOpenId ?? '', Date.now());
    if (msg) await this.deliver(msg);
  }

  private async deliver(msg: InboundMessage): Promise<void> {
    msg.sender.name = (await this.directory.userName(msg.sender.id, msg.groupId ?? undefined)) ?? '';
    if (msg.groupId) {
      msg.groupName = await this.directory.chatName(msg.groupId);
      await this.groupSeen(msg.groupId, msg.groupName, msg.timestamp);
    }
    await this.onInbound?.(msg);
  }

  private setStatus(state: AdapterState, detail?: string): void {
    this.current = { state, ...(detail ? { detail } : {}), since: Date.now() };
    const line = `lark: ${state}${detail ? ` (${detail})` : ''}`;
    if (state === 'error') this.opts.log.error(line);
    else if (state === 'reconnecting') this.opts.log.warn(line);
    else this.opts.log.info(line);
    for (const l of this.listeners) l(this.current);
  }

  private sdkLevel(): LoggerLevel {
    return this.opts.log.isLevelEnabled('debug') ? LoggerLevel.debug : LoggerLevel.warn;
  }
}
