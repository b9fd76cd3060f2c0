/**
 * Translation of Lark events (as the SDK's EventDispatcher hands them over: header fields and
 * event fields merged into one object) into the core's InboundMessage. Mentions come from
 * `message.mentions` by key, never from names in the text. Names of senders and groups are not
 * in the events: the adapter fills them in from its directory.
 */
import { MENTION_ALL, type InboundMessage, type MemberRef, type MessageElement } from '../../src/model.js';

export interface LarkUserId {
  open_id?: string;
  user_id?: string;
  union_id?: string;
}

export interface LarkMention {
  key?: string;
  id?: LarkUserId;
  name?: string;
}

/** `im.message.receive_v1`. */
export interface MessageReceiveEvent {
  event_id?: string;
  sender?: { sender_id?: LarkUserId; sender_type?: string };
  message?: {
    message_id?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    create_time?: string;
    mentions?: LarkMention[];
  };
}

/** `card.action.trigger`, the callback of a card button. */
export interface CardActionEvent {
  event_id?: string;
  create_time?: string;
  operator?: LarkUserId;
  action?: { tag?: string; value?: unknown };
  context?: { open_message_id?: string; open_chat_id?: string };
}

/** What our card buttons carry in their callback value (see outbound.ts). */
export interface ButtonValue {
  command: string;
  chat: 'group' | 'direct';
}

/** What a card callback answers to show the presser at once (Lark shows it as a toast). */
export interface CardToast {
  toast: { type: 'info' | 'success' | 'warning' | 'error'; content: string };
}

/** Prefix of the eventIds of card presses, keeping them apart from message ids. */
const CARD_EVENT_PREFIX = 'card:';

export class MalformedEvent extends Error {
  override name = 'MalformedEvent';
}

/** Display text of an @all mention; Lark shows 所有人 too. */
const ALL_NAME = '所有人';
const ALL_KEY = '@_all';

/** Mention resolution for one message: keys like `@_user_1` to users, with the bot singled out. */
class Mentions {
  private readonly byKey = new Map<string, MemberRef>();
  botMentioned = false;
  readonly users: MemberRef[] = [];

  constructor(list: LarkMention[], private readonly botOpenId: string) {
    for (const m of list) {
      const id = m.id?.open_id;
      if (m.key && id) this.byKey.set(m.key, { id, name: m.name ?? '' });
    }
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** The element for a key (or for an open_id in post `at` nodes), or null for the bot itself. */
  resolve(keyOrId: string, fallbackName = ''): MessageElement | null {
    if (keyOrId === ALL_KEY || keyOrId === MENTION_ALL) return { type: 'mention', id: MENTION_ALL, name: ALL_NAME };
    const ref = this.byKey.get(keyOrId) ?? (keyOrId.startsWith('ou_') ? { id: keyOrId, name: fallbackName } : undefined);
    if (!ref) return { type: 'text', text: keyOrId };
    if (ref.id === this.botOpenId) {
      this.botMentioned = true;
      return null;
    }
    if (!this.users.some((u) => u.id === ref.id)) this.users.push(ref);
    return { type: 'mention', id: ref.id, name: ref.name };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function textElements(text: string, mentions: Mentions): MessageElement[] {
  const keys = [...mentions.keys(), ALL_KEY].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const out: MessageElement[] = [];
  let last = 0;
  for (const m of text.matchAll(new RegExp(keys.join('|'), 'g'))) {
    if (m.index > last) out.push({ type: 'text', text: text.slice(last, m.index) });
    const el = mentions.resolve(m[0]);
    if (el) out.push(el);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

interface PostNode {
  tag?: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  image_key?: string;
  file_key?: string;
  file_name?: string;
  emoji_type?: string;
}

interface PostBody {
  title?: string;
  content?: PostNode[][];
}

/** Received posts are `{title, content}`; posts as sent are keyed by locale. Accept both. */
function postBody(content: Record<string, unknown>): PostBody {
  if (Array.isArray(content.content)) return content as PostBody;
  const localised = Object.values(content).find((v): v is PostBody => !!v && typeof v === 'object' && Array.isArray((v as PostBody).content));
  return localised ?? {};
}

function postElements(content: Record<string, unknown>, mentions: Mentions): MessageElement[] {
  const body = postBody(content);
  const out: MessageElement[] = [];
  if (body.title) out.push({ type: 'text', text: `${body.title}\n` });
  (body.content ?? []).forEach((line, i) => {
    if (i > 0) out.push({ type: 'text', text: '\n' });
    for (const node of line) {
      switch (node.tag) {
        case 'text':
        case 'a':
        case 'code_block':
        case 'md':
          if (node.text) out.push({ type: 'text', text: node.text });
          break;
        case 'at': {
          const el = node.user_id ? mentions.resolve(node.user_id, node.user_name) : null;
          if (el) out.push(el);
          break;
        }
        case 'img':
          out.push({ type: 'image', ref: node.image_key });
          break;
        case 'media':
          out.push({ type: 'file', name: node.file_name, ref: node.file_key });
          break;
        case 'emotion':
          if (node.emoji_type) out.push({ type: 'text', text: `[${node.emoji_type}]` });
          break;
        default:
          break;
      }
    }
  });
  return out;
}

function contentElements(type: string, content: Record<string, unknown>, mentions: Mentions): MessageElement[] {
  const str = (k: string) => (typeof content[k] === 'string' ? (content[k] as string) : undefined);
  switch (type) {
    case 'text':
      return textElements(str('text') ?? '', mentions);
    case 'post':
      return postElements(content, mentions);
    case 'image':
      return [{ type: 'image', ref: str('image_key') }];
    case 'file':
      return [{ type: 'file', name: str('file_name'), ref: str('file_key') }];
    default:
      return [{ type: 'other', kind: type }];
  }
}

/** Text as the core sees it: the words only (mentions are in `mentions`), spaces tidied. */
function plainText(elements: MessageElement[]): string {
  return elements
    .map((e) => (e.type === 'text' ? e.text : ''))
    .join('')
    .replace(/[ \t\u00a0]{2,}/g, ' ')
    .replace(/[ \t]*\n[ \t]*/g, '\n')
    .trim();
}

/** Lark sends milliseconds; some callbacks carry microseconds, some fields seconds. */
export function epochMs(value: string | undefined, fallback: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return fallback;
  if (n > 1e14) return Math.floor(n / 1000);
  return n < 1e11 ? n * 1000 : n;
}

function parseContent(raw: string | undefined, messageId: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(raw ?? '');
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new MalformedEvent(`message ${messageId}: content is not a JSON object`);
}

/**
 * The event as an InboundMessage, or null for messages the bot must not treat as traffic
 * (its own, and other bots': answering them could loop). `eventId` is the message_id: redeliveries and the same message seen twice share it.
 * `sender.name` and `groupName` are left for the caller to fill.
 */
export function translateMessage(ev: MessageReceiveEvent, botOpenId: string, receivedAt: number): InboundMessage | null {
  // Other bots' messages carry no user open_id: not malformed, just not for us.
  if (ev.sender?.sender_type === 'app') return null;
  const m = ev.message;
  const messageId = m?.message_id;
  const senderId = ev.sender?.sender_id?.open_id;
  if (!m || !messageId || !m.chat_id || !senderId) {
    throw new MalformedEvent(`im.message.receive_v1 ${ev.event_id ?? '?'}: missing message_id, chat_id or sender open_id`);
  }
  if (senderId === botOpenId) return null;
  const direct = m.chat_type === 'p2p';
  const mentions = new Mentions(m.mentions ?? [], botOpenId);
  const elements = contentElements(m.message_type ?? 'unknown', parseContent(m.content, messageId), mentions);
  return {
    platform: 'lark',
    eventId: messageId,
    chatType: direct ? 'direct' : 'group',
    groupId: direct ? null : m.chat_id,
    sender: { id: senderId, name: '' },
    text: plainText(elements),
    elements,
    mentions: mentions.users,
    addressed: direct || mentions.botMentioned,
    timestamp: epochMs(m.create_time, receivedAt),
  };
}

function buttonValue(value: unknown): ButtonValue | null {
  const v = value as Partial<ButtonValue> | null | undefined;
  if (!v || typeof v.command !== 'string' || (v.chat !== 'group' && v.chat !== 'direct')) return null;
  return { command: v.command, chat: v.chat };
}

/**
 * A press on one of our card buttons as the staff member typing its command where the card is.
 * Null for callbacks that are not from our buttons. Each press has its own event_id.
 */
export function translateCardAction(ev: CardActionEvent, receivedAt: number): InboundMessage | null {
  const button = buttonValue(ev.action?.value);
  if (!button) return null;
  const operator = ev.operator?.open_id;
  const chatId = ev.context?.open_chat_id;
  if (!ev.event_id || !operator || (button.chat === 'group' && !chatId)) {
    throw new MalformedEvent(`card.action.trigger ${ev.event_id ?? '?'}: missing event_id, operator or chat`);
  }
  return {
    platform: 'lark',
    eventId: `${CARD_EVENT_PREFIX}${ev.event_id}`,
    chatType: button.chat,
    groupId: button.chat === 'group' ? (chatId ?? null) : null,
    sender: { id: operator, name: '' },
    text: button.command,
    elements: [{ type: 'text', text: button.command }],
    mentions: [],
    addressed: true,
    timestamp: epochMs(ev.create_time, receivedAt),
  };
}

/**
 * The toast for a press of our button: the command is taken, what it did comes as the card's
 * update and the bot's reply.
 */
export function pressToast(command: string): CardToast {
  return { toast: { type: 'info', content: `已提交：${command.replace(/^\//, '')}` } };
}
