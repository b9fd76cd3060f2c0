/**
 * The core's view of chat traffic. Adapters translate their platform's events into
 * InboundMessage and OutboundMessage into SDK calls; nothing else in src/ knows a platform.
 */

export const PLATFORMS = ['console', 'lark', 'dingtalk', 'wechaty'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Role of a sender as the engine resolves it from the playbook's staff list. */
export type Role = 'parent' | 'staff' | 'student' | 'unknown';

/** A platform user: the id is the platform's own (open_id, staffId, wxid, console name). */
export interface MemberRef {
  id: string;
  name: string;
}

/** The special id that means "@all" in mentions. */
export const MENTION_ALL = 'all';

export type MessageElement =
  | { type: 'text'; text: string }
  | { type: 'mention'; id: string; name: string }
  | { type: 'image'; ref?: string }
  | { type: 'file'; name?: string; ref?: string }
  | { type: 'other'; kind: string };

export interface InboundMessage {
  platform: Platform;
  /** Platform message/event id; redeliveries carry the same id and are dropped. */
  eventId: string;
  chatType: 'group' | 'direct';
  /** Platform chat id of the group (Lark chat_id, DingTalk conversationId, wechaty room id). Null for direct chats. */
  groupId: string | null;
  groupName?: string;
  sender: MemberRef & { role?: Role };
  /** Plain text with the @mentions removed (they are in `mentions`) and whitespace trimmed. */
  text: string;
  /**
   * What the message quotes (a reply to an earlier message), as the platform shows it; context
   * only, never the sender's own words, which are `text` alone.
   */
  quoted?: string;
  elements: MessageElement[];
  /** Users mentioned (by platform id, never parsed from names); excludes the bot itself. */
  mentions: MemberRef[];
  /** True when the bot was @-mentioned or the message is a direct chat with the bot. */
  addressed: boolean;
  /** Epoch milliseconds at which the platform says it was sent. */
  timestamp: number;
  /** Platform-specific context an adapter needs for replying (e.g. a DingTalk session webhook). */
  replyContext?: Record<string, string | number>;
}

export type OutboundTarget =
  | { kind: 'group'; groupId: string }
  | { kind: 'direct'; memberId: string };

/** A button on a staff alert; pressing it runs `command` as if the staff member typed it. */
export interface OutboundAction {
  label: string;
  command: string;
}

/** A file the bot wrote on this machine, sent after the text where the platform takes files. */
export interface OutboundAttachment {
  /** Absolute path of the local file. */
  path: string;
  /** File name shown in the chat. */
  name: string;
  mime?: string;
}

export interface OutboundMessage {
  platform: Platform;
  target: OutboundTarget;
  text: string;
  format?: 'text' | 'markdown';
  mentions?: MemberRef[];
  mentionAll?: boolean;
  /** Platform message id this answers, where the platform can reply in thread. */
  replyTo?: string;
  /** Alert buttons; adapters without cards render them as text commands. */
  actions?: OutboundAction[];
  /** Sent after the text; only on platforms whose adapter declares `files`. */
  attachment?: OutboundAttachment;
  /**
   * People to reach beyond the chat (Lark's urgent_app, DingTalk's DING), on alerts the playbook
   * marks urgent; adapters without urgent delivery ignore it.
   */
  urgentTo?: MemberRef[];
  /**
   * Idempotency key of the bot's earlier message (a card) that this one replaces in place, on
   * adapters with `updatesMessages`: a follow-up's alert card showing who claimed or resolved it.
   */
  updates?: string;
  /** Filled by the outbox at send time: the platform ids of the message `updates` names. */
  updateOf?: string[];
  /** Stable key for exactly-once delivery; adapters pass it to the platform when it supports one (Lark uuid). */
  idempotencyKey: string;
  replyContext?: Record<string, string | number>;
}

export interface SendResult {
  platformMessageIds: string[];
}

/** Thrown by Adapter.send; the outbox retries when `retryable`, honouring `retryAfterMs`. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    /**
     * The platform refuses every send for a while (DingTalk's monthly call quota): the outbox holds
     * this platform's sends without spending attempts and tells the staff.
     */
    readonly blocked?: { reason: string; untilMs?: number },
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export interface AdapterCapabilities {
  mentions: boolean;
  mentionAll: boolean;
  directMessages: boolean;
  cards: boolean;
  markdown: boolean;
  /** Whether the adapter can send an attachment (a local file) after the text. */
  files: boolean;
  /** Whether the bot sees every group message or only those that @ it. */
  seesAllGroupMessages: boolean;
  /** Whether `readBy` can say who has read the bot's own messages. */
  readReceipts?: boolean;
  /** Whether the adapter can replace the content of its own earlier message (`updates`). */
  updatesMessages?: boolean;
}

/** A sliding-window budget: at most `max` sends per `windowMs`. */
export interface RateBudget {
  max: number;
  windowMs: number;
}

export interface RateLimits {
  perTarget: RateBudget;
  /** App-wide budgets, all of which a send must fit (Lark: 50 per second and 1,000 per minute). */
  global?: RateBudget[];
}

export type AdapterState = 'stopped' | 'starting' | 'connected' | 'reconnecting' | 'error';

export interface AdapterStatus {
  state: AdapterState;
  detail?: string;
  since: number;
}

export type InboundHandler = (msg: InboundMessage) => Promise<void> | void;

/** What a platform tells the bot that is not a message. */
export type PlatformEvent =
  /** The bot was added to a group, a group was renamed, or a listing showed it: bind it if a title-bound group is it. */
  | { kind: 'group-seen'; platform: Platform; groupId: string; groupName: string; at: number }
  /** People joined or left a group (for the reports' rates and the roster). */
  | { kind: 'membership'; platform: Platform; groupId: string; joined: MemberRef[]; left: MemberRef[]; at: number }
  /** A message was recalled by its sender; `eventId` is the InboundMessage's. */
  | { kind: 'recalled'; platform: Platform; groupId: string | null; eventId: string; at: number }
  /** The platform's group list may have grown (a late WeChat room list): look title-bound groups up again. */
  | { kind: 'groups-changed'; platform: Platform; at: number };

export type PlatformEventHandler = (event: PlatformEvent) => Promise<void> | void;

/** One bot message as the outbox recorded it, for read receipts. */
export interface SentRef {
  target: OutboundTarget;
  platformMessageId: string;
  sentAt: number;
}

/** How a playbook names a group: by chat id, or by title (exact `name`, or regular expression `match`). */
export interface GroupSpec {
  id?: string;
  name?: string;
  match?: string;
}

export interface Adapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  readonly rateLimits: RateLimits;
  /**
   * The platform takes a message as delivered on receipt, before the engine commits it (an ack
   * sent at once, or no ack at all): the engine then writes it ahead to the spool, so that a
   * crash before the commit does not lose it.
   */
  readonly acknowledgesOnReceipt?: boolean;
  /** `onEvent` receives what is not a message; adapters that see none ignore it. */
  start(onInbound: InboundHandler, onEvent?: PlatformEventHandler): Promise<void>;
  stop(): Promise<void>;
  status(): AdapterStatus;
  send(msg: OutboundMessage): Promise<SendResult>;
  /**
   * Whether sends can go out now. Defaults to status 'connected'; platforms that send over plain
   * HTTPS (Lark, DingTalk) can send while their event connection is down.
   */
  canSend?(): boolean;
  /**
   * Optional, for platforms whose groups are found by title: one chat id per spec, or null when
   * no chat or several match; logs which were found. Called after start; may wait for the
   * platform's login (WeChat: a QR scan), so do not block other adapters on it.
   */
  resolveGroups?(specs: GroupSpec[]): Promise<(string | null)[]>;
  /**
   * Platform ids of the members who have read one of the bot's messages (capability
   * `readReceipts`); throws SendError when the platform cannot say now.
   */
  readBy?(sent: SentRef): Promise<string[]>;
  /**
   * While the platform refuses sends (SendError `blocked`), whether this message can still go by a
   * road the block does not close (a DingTalk session webhook while the API quota is used up).
   */
  deliversWhileBlocked?(msg: OutboundMessage): boolean;
}
