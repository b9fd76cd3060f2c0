import { systemClock, type Clock } from '../../src/clock.js';
import { MAX_NAME } from '../../src/engine/inbound.js';
import type { Logger } from '../../src/log.js';
import {
  SendError,
  type Adapter,
  type AdapterCapabilities,
  type AdapterState,
  type AdapterStatus,
  type GroupSpec,
  type InboundHandler,
  type InboundMessage,
  type OutboundMessage,
  type PlatformEventHandler,
  type RateLimits,
  type SendResult,
  type SentRef,
} from '../../src/model.js';
import { DingtalkApi } from './api.js';
import { cardParams, cardPressToInbound, isCardId, outTrackIdFor } from './cards.js';
import { DEFAULT_API_BASE, gatewayUrlFor } from './config.js';
import { resolveDingtalkGroups, type Wait } from './groups.js';
import { conversationOf, parseRobotMessage, robotMessageToInbound, robotNameIn, type RobotMessage } from './inbound.js';
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
  /**
   * The robot's display name, removed from texts where DingTalk leaves "@name" in; without it
   * the name is learned from the first rich text that @-s the robot alone.
   */
  robotName?: string;
  /** Interactive card template for alerts with buttons; without it buttons become commands to send. */
  cardTemplateId?: string;
  log: Logger;
  clock?: Clock;
  /** Websocket keep-alive pings (default on). */
  keepAlive?: boolean;
  /** How a throttled group lookup waits before trying again (default: real time). */
  wait?: Wait;
}

/**
 * DingTalk robot in Stream mode: callbacks arrive over the SDK's websocket (no public URL
 * needed); replies, and messages that @ someone, go through the conversation's session webhook
 * while one is valid, everything else through the robot send APIs (which cannot @). Alerts with
 * buttons to a group are interactive cards when a card template is configured (they do @). A
 * session webhook is no OpenAPI call: when the monthly quota is used up, it still works.
 * Translation only: dedupe, pacing and retries are the engine's.
 */
export class DingtalkAdapter implements Adapter {
  readonly platform = 'dingtalk' as const;
  /** A robot callback is acked before the engine commits it; the engine writes it to the spool first (see stream-client.ts). */
  readonly acknowledgesOnReceipt = true;
  readonly capabilities: AdapterCapabilities;
  /**
   * DingTalk allows a robot 20 messages a minute per group (and blocks it there for 10 minutes
   * beyond that), and an app about 20 OpenAPI calls a second on a standard organisation.
   */
  readonly rateLimits: RateLimits = { perTarget: { max: 20, windowMs: 60_000 }, global: [{ max: 20, windowMs: 1000 }] };

  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly api: DingtalkApi;
  private readonly webhooks = new SessionWebhooks();
  /** openConversationId → title, from callbacks and group listings. */
  private readonly groupTitles = new Map<string, string>();
  private readonly loggedGroups = new Set<string>();
  private robotName?: string;
  private warnedNoCardTemplate = false;
  private client?: DingtalkStreamClient;
  private current: AdapterStatus;

  constructor(private readonly opts: DingtalkAdapterOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log;
    this.current = { state: 'stopped', since: this.clock.now() };
    this.robotName = opts.robotName;
    this.capabilities = {
      mentions: true,
      mentionAll: true,
      directMessages: true,
      cards: opts.cardTemplateId !== undefined,
      markdown: true,
      // Robot file messages (sampleFile) take only xlsx, pdf, zip, rar, doc and docx; the weekly
      // report file is HTML, so DingTalk gets the Markdown with the file's place on the server.
      files: false,
      // A group robot receives only the messages that @ it.
      seesAllGroupMessages: false,
      readReceipts: true,
      // Only cards can be changed after sending.
      updatesMessages: opts.cardTemplateId !== undefined,
    };
    this.api = new DingtalkApi({
      baseUrl: opts.apiBaseUrl ?? DEFAULT_API_BASE,
      appKey: opts.clientId,
      appSecret: opts.clientSecret,
      robotCode: opts.robotCode,
      clock: this.clock,
    });
  }

  /** Resolves after the first connection attempt; later attempts show in status() and the log. */
  async start(onInbound: InboundHandler, onEvent?: PlatformEventHandler): Promise<void> {
    if (this.client) throw new Error('dingtalk adapter already started');
    this.setState('starting');
    this.client = new DingtalkStreamClient({
      clientId: this.opts.clientId,
      clientSecret: this.opts.clientSecret,
      gatewayUrl: this.opts.gatewayUrl ?? gatewayUrlFor(this.opts.apiBaseUrl ?? DEFAULT_API_BASE),
      keepAlive: this.opts.keepAlive ?? true,
      log: this.log,
      onState: (state, detail) => this.setState(state, detail),
      onRobotMessage: (data) => this.receive(data, onInbound, onEvent),
      onCardCallback: (data, frameId) => this.receivePress(data, frameId, onInbound),
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
    const cards = (msg.updateOf ?? []).filter(isCardId);
    if (cards.length > 0) {
      for (const outTrackId of cards) await this.api.updateCard(outTrackId, cardParams(msg));
      return this.sent(msg, 'card update', msg.updateOf ?? []);
    }
    const result = await this.deliver(msg);
    if (msg.urgentTo?.length) await this.ding(msg);
    return result;
  }

  /** By the processQueryKey a group send returned; webhook sends return no id, cards have no receipts. */
  async readBy(sent: SentRef): Promise<string[]> {
    if (sent.target.kind !== 'group' || isCardId(sent.platformMessageId)) {
      throw new SendError('dingtalk: read receipts exist for group messages sent through the robot API only', false);
    }
    return this.api.readUserIds(sent.target.groupId, sent.platformMessageId);
  }

  /** The monthly quota covers the OpenAPI only: a conversation's live session webhook still takes messages. */
  deliversWhileBlocked(msg: OutboundMessage): boolean {
    return !msg.updateOf?.length && this.webhooks.usable(msg.target, this.clock.now()) !== undefined;
  }

  async resolveGroups(specs: GroupSpec[]): Promise<(string | null)[]> {
    const wait = this.opts.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    return resolveDingtalkGroups(this.api, specs, this.groupTitles, this.log, wait);
  }

  private async deliver(msg: OutboundMessage): Promise<SendResult> {
    const card = this.asCard(msg);
    // Replies, and messages that @ someone (the robot API cannot), take the conversation's webhook while one is valid.
    if (!card && (msg.replyContext !== undefined || msg.replyTo !== undefined || msg.mentions?.length || msg.mentionAll)) {
      if (await this.replyByWebhook(msg)) return this.sent(msg, 'session webhook', []);
    }
    try {
      return await this.viaApi(msg, card);
    } catch (err) {
      if (err instanceof SendError && err.blocked && (await this.replyByWebhook(msg))) {
        return this.sent(msg, 'session webhook (OpenAPI quota used up)', []);
      }
      throw err;
    }
  }

  private async viaApi(msg: OutboundMessage, card: string | undefined): Promise<SendResult> {
    const { target } = msg;
    if (target.kind === 'group' && card) {
      const outTrackId = outTrackIdFor(msg.idempotencyKey);
      const atUsers = Object.fromEntries((msg.mentions ?? []).filter((m) => !isDingtalkId(m.id)).map((m) => [m.id, m.name || m.id]));
      await this.api.deliverGroupCard({ templateId: card, outTrackId, openConversationId: target.groupId, params: cardParams(msg), atUsers });
      return this.sent(msg, 'interactive card', [outTrackId]);
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

  /** The card template to send `msg` with: alerts with buttons to a group, when one is configured. */
  private asCard(msg: OutboundMessage): string | undefined {
    if (msg.target.kind !== 'group' || !msg.actions?.length) return undefined;
    if (!this.opts.cardTemplateId && !this.warnedNoCardTemplate) {
      this.warnedNoCardTemplate = true;
      this.log.info('dingtalk: no DINGTALK_CARD_TEMPLATE_ID; alert buttons are sent as commands to type, and @ work only while a session webhook is valid');
    }
    return this.opts.cardTemplateId;
  }

  /** A DING (app reminder) to the staff among `urgentTo`; the message is out already, so a failed DING is only logged. */
  private async ding(msg: OutboundMessage): Promise<void> {
    const staff = (msg.urgentTo ?? []).filter((m) => !isDingtalkId(m.id)).map((m) => m.id);
    if (staff.length < (msg.urgentTo ?? []).length) {
      this.log.warn({ key: msg.idempotencyKey }, 'dingtalk: DING reaches staff ids only; someone outside the organisation was left out');
    }
    if (staff.length === 0) return;
    try {
      await this.api.ding(staff, msg.text);
      this.log.info({ key: msg.idempotencyKey, to: staff }, 'dingtalk: DING sent');
    } catch (err) {
      this.log.warn({ key: msg.idempotencyKey, to: staff, reason: (err as Error).message }, 'dingtalk: DING failed; the message itself was sent');
    }
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

  private receive(data: string, onInbound: InboundHandler, onEvent: PlatformEventHandler | undefined): void {
    let robot: RobotMessage;
    let inbound: InboundMessage;
    try {
      robot = parseRobotMessage(data);
      this.learnRobotName(robot);
      inbound = robotMessageToInbound(robot, this.robotName ? { robotName: this.robotName } : {});
    } catch (err) {
      this.log.warn({ err }, 'dingtalk: robot callback skipped');
      return;
    }
    this.noteConversation(robot, inbound, onEvent);
    this.handOver(inbound, onInbound);
  }

  /** A card button press: the staff member's command, acked like a robot callback. */
  private receivePress(data: string, frameId: string, onInbound: InboundHandler): void {
    let inbound: InboundMessage | null;
    try {
      inbound = cardPressToInbound(data, frameId, this.clock.now());
    } catch (err) {
      this.log.warn({ err }, 'dingtalk: card callback skipped');
      return;
    }
    if (inbound) this.handOver(inbound, onInbound);
  }

  /** Called in this turn: the engine spools the message before the stream client acks it. */
  private handOver(inbound: InboundMessage, onInbound: InboundHandler): void {
    const failed = (err: unknown) => this.log.error({ err, eventId: inbound.eventId }, 'dingtalk: inbound handler failed');
    try {
      Promise.resolve(onInbound(inbound)).catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  private learnRobotName(robot: RobotMessage): void {
    if (this.robotName) return;
    this.robotName = robotNameIn(robot);
    if (this.robotName) this.log.info({ robotName: this.robotName }, 'dingtalk: robot name learned; "@name" is removed from rich texts');
  }

  /**
   * Remembers the reply webhook (in memory only); a group first seen, or seen under a new
   * title, is logged and reported as group-seen (the router binds a title-bound group by it).
   */
  private noteConversation(robot: RobotMessage, inbound: InboundMessage, onEvent: PlatformEventHandler | undefined): void {
    if (robot.sessionWebhook && robot.sessionWebhookExpiredTime !== undefined) {
      this.webhooks.remember(conversationOf(robot), { url: robot.sessionWebhook, expiresAt: robot.sessionWebhookExpiredTime });
    }
    const groupId = inbound.groupId;
    if (!groupId) return;
    // The title as the engine will keep it (capped), not a flood of it.
    const title = inbound.groupName?.slice(0, MAX_NAME);
    const known = this.groupTitles.get(groupId);
    if (!this.loggedGroups.has(groupId)) {
      this.loggedGroups.add(groupId);
      this.log.info({ openConversationId: groupId, title }, 'dingtalk: group seen; bind it in a playbook by this id or by its title');
    }
    if (title === undefined || known === title) return;
    this.groupTitles.set(groupId, title);
    if (!onEvent) return;
    const failed = (err: unknown) => this.log.error({ err, groupId }, 'dingtalk: group-seen handler failed');
    try {
      Promise.resolve(onEvent({ kind: 'group-seen', platform: 'dingtalk', groupId, groupName: title, at: this.clock.now() })).catch(failed);
    } catch (err) {
      failed(err);
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
