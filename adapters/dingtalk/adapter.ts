import { systemClock, type Clock } from '../../src/clock.js';
import { MAX_NAME } from '../../src/engine/inbound.js';
import type { Logger } from '../../src/log.js';
import {
  SendError,
  type Adapter,
  type AdapterCapabilities,
  type AdapterState,
  type AdapterStatus,
  type InboundHandler,
  type InboundMessage,
  type OutboundMessage,
  type RateLimits,
  type SendResult,
} from '../../src/model.js';
import { DingtalkApi } from './api.js';
import { DEFAULT_API_BASE, gatewayUrlFor } from './config.js';
import { conversationOf, parseRobotMessage, robotMessageToInbound, type RobotMessage } from './inbound.js';
import { isDingtalkId, robotPayload, sessionWebhookBody } from './outbound.js';
import { SessionWebhooks } from './session-webhooks.js';
import { DingtalkStreamClient } from './stream-client.js';

export interface DingtalkAdapterOptions {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  /** Open API base; default https://api.dingtalk.com. */
  apiBaseUrl?: string;
  /** Stream gateway "open connection" URL; default derived from apiBaseUrl. */
  gatewayUrl?: string;
  /** The robot's display name, removed from texts where DingTalk leaves "@name" in. */
  robotName?: string;
  log: Logger;
  clock?: Clock;
  /** Websocket keep-alive pings (default on). */
  keepAlive?: boolean;
}

/**
 * DingTalk robot in Stream mode: callbacks arrive over the SDK's websocket (no public URL
 * needed); replies, and messages that @ someone, go through the conversation's session webhook
 * while one is valid, everything else through the robot send APIs (which cannot @). Translation
 * only: dedupe, pacing and retries are the engine's.
 */
export class DingtalkAdapter implements Adapter {
  readonly platform = 'dingtalk' as const;
  /** A robot callback is acked before the engine commits it; the engine writes it to the spool first (see stream-client.ts). */
  readonly acknowledgesOnReceipt = true;
  readonly capabilities: AdapterCapabilities = {
    mentions: true,
    mentionAll: true,
    directMessages: true,
    cards: false,
    markdown: true,
    // Robot file messages (sampleFile) take only xlsx, pdf, zip, rar, doc and docx; the weekly
    // report file is HTML, so DingTalk gets the Markdown with the file's place on the server.
    files: false,
    // A group robot receives only the messages that @ it.
    seesAllGroupMessages: false,
  };
  /** DingTalk allows a robot 20 messages a minute per group and blocks it for 10 minutes beyond that. */
  readonly rateLimits: RateLimits = { perTarget: { max: 20, windowMs: 60_000 } };

  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly api: DingtalkApi;
  private readonly webhooks = new SessionWebhooks();
  private readonly seenGroups = new Set<string>();
  private client?: DingtalkStreamClient;
  private current: AdapterStatus;

  constructor(private readonly opts: DingtalkAdapterOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log;
    this.current = { state: 'stopped', since: this.clock.now() };
    this.api = new DingtalkApi({
      baseUrl: opts.apiBaseUrl ?? DEFAULT_API_BASE,
      appKey: opts.clientId,
      appSecret: opts.clientSecret,
      robotCode: opts.robotCode,
      clock: this.clock,
    });
  }

  /** Resolves after the first connection attempt; later attempts show in status() and the log. */
  async start(onInbound: InboundHandler): Promise<void> {
    if (this.client) throw new Error('dingtalk adapter already started');
    this.setState('starting');
    this.client = new DingtalkStreamClient({
      clientId: this.opts.clientId,
      clientSecret: this.opts.clientSecret,
      gatewayUrl: this.opts.gatewayUrl ?? gatewayUrlFor(this.opts.apiBaseUrl ?? DEFAULT_API_BASE),
      keepAlive: this.opts.keepAlive ?? true,
      log: this.log,
      onState: (state, detail) => this.setState(state, detail),
      onRobotMessage: (data) => this.receive(data, onInbound),
    });
    await this.client.connect();
  }

  async stop(): Promise<void> {
    this.client?.shutdown();
    this.client = undefined;
    this.setState('stopped');
  }

  /** Sends are plain HTTPS: they go out while the event connection reconnects. */
  canSend(): boolean {
    return this.current.state !== 'stopped';
  }

  status(): AdapterStatus {
    return { ...this.current };
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    const { target } = msg;
    // Replies, and messages that @ someone (the robot API cannot), take the conversation's webhook while one is valid.
    if (msg.replyContext !== undefined || msg.replyTo !== undefined || msg.mentions?.length || msg.mentionAll) {
      if (await this.replyByWebhook(msg)) return this.sent(msg, 'session webhook', []);
    }
    const payload = robotPayload(msg);
    if (target.kind === 'group') {
      return this.sent(msg, 'group send API', await this.api.sendToGroup(target.groupId, payload));
    }
    if (isDingtalkId(target.memberId)) {
      // The one-to-one API takes staff ids only; people outside the organisation can get replies only.
      throw new SendError(`dingtalk: cannot message ${target.memberId} outside a reply (not a staff id)`, false);
    }
    return this.sent(msg, 'one-to-one API', await this.api.sendToUser(target.memberId, payload));
  }

  /** Which road a message took, for whoever traces a missing @ (only webhooks can @). */
  private sent(msg: OutboundMessage, road: string, platformMessageIds: string[]): SendResult {
    this.log.debug({ key: msg.idempotencyKey, target: msg.target, road }, 'dingtalk: sent');
    return { platformMessageIds };
  }

  /** True when sent; false when no valid webhook exists or DingTalk refused it for good (the API then takes over). */
  private async replyByWebhook(msg: OutboundMessage): Promise<boolean> {
    const hook = this.webhooks.usable(msg.target, this.clock.now());
    if (!hook) return false;
    try {
      await this.api.postSessionWebhook(hook.url, sessionWebhookBody(msg));
      return true;
    } catch (err) {
      if (!(err instanceof SendError) || err.retryable) throw err;
      this.webhooks.forget(msg.target, hook);
      this.log.warn({ reason: err.message }, 'dingtalk: session webhook refused; sending through the robot API');
      return false;
    }
  }

  private receive(data: string, onInbound: InboundHandler): void {
    let robot: RobotMessage;
    let inbound: InboundMessage;
    try {
      robot = parseRobotMessage(data);
      inbound = robotMessageToInbound(robot, this.opts.robotName ? { robotName: this.opts.robotName } : {});
    } catch (err) {
      this.log.warn({ err }, 'dingtalk: robot callback skipped');
      return;
    }
    this.noteConversation(robot, inbound);
    // Called in this turn: the engine spools the message before the stream client acks it.
    const failed = (err: unknown) => this.log.error({ err, eventId: inbound.eventId }, 'dingtalk: inbound handler failed');
    try {
      Promise.resolve(onInbound(inbound)).catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  /** Remembers the reply webhook (in memory only) and logs each group's openConversationId the first time it is seen. */
  private noteConversation(robot: RobotMessage, inbound: InboundMessage): void {
    if (robot.sessionWebhook && robot.sessionWebhookExpiredTime !== undefined) {
      this.webhooks.remember(conversationOf(robot), { url: robot.sessionWebhook, expiresAt: robot.sessionWebhookExpiredTime });
    }
    if (inbound.groupId && !this.seenGroups.has(inbound.groupId)) {
      this.seenGroups.add(inbound.groupId);
      this.log.info(
        // The title as the engine will keep it (capped), not a flood of it.
        { openConversationId: inbound.groupId, title: inbound.groupName?.slice(0, MAX_NAME) },
        'dingtalk: group seen; bind it in a playbook by this id or by its title',
      );
    }
  }

  private setState(state: AdapterState, detail?: string): void {
    this.current = { state, since: this.clock.now(), ...(detail ? { detail } : {}) };
    const fields = { platform: 'dingtalk', state, ...(detail ? { detail } : {}) };
    if (state === 'error') this.log.error(fields, 'dingtalk: connection state');
    else if (state === 'reconnecting') this.log.warn(fields, 'dingtalk: connection state');
    else this.log.info(fields, 'dingtalk: connection state');
  }
}
