/**
 * Translation of the Lark events that are not messages (the bot added to a chat, a chat renamed,
 * people joining or leaving, a recalled message) into the core's PlatformEvent. The SDK's EventDispatcher hands
 * them over with the header's fields (create_time) merged in.
 */
import type { MemberRef, PlatformEvent } from '../../src/model.js';
import { epochMs, MalformedEvent, type LarkUserId } from './inbound.js';

/** `im.chat.member.bot.added_v1`: the chat's id and its name as it is now. */
export interface BotAddedEvent {
  event_id?: string;
  create_time?: string;
  chat_id?: string;
  name?: string;
}

/** `im.chat.updated_v1`: the chat's settings changed; only a new name matters here. */
export interface ChatUpdatedEvent {
  event_id?: string;
  create_time?: string;
  chat_id?: string;
  after_change?: { name?: string };
}

/** `im.message.recalled_v1`. */
export interface MessageRecalledEvent {
  event_id?: string;
  create_time?: string;
  message_id?: string;
  chat_id?: string;
  recall_time?: string;
}

/** `im.chat.member.user.added_v1` and `im.chat.member.user.deleted_v1`: the users who joined or left. */
export interface MembersChangedEvent {
  event_id?: string;
  create_time?: string;
  chat_id?: string;
  users?: { name?: string; user_id?: LarkUserId }[];
}

export type GroupSeenEvent = Extract<PlatformEvent, { kind: 'group-seen' }>;
export type MembershipEvent = Extract<PlatformEvent, { kind: 'membership' }>;

/** `groupName` is empty when the event leaves it out. */
export function translateBotAdded(ev: BotAddedEvent, receivedAt: number): GroupSeenEvent {
  if (!ev.chat_id) throw new MalformedEvent(`im.chat.member.bot.added_v1 ${ev.event_id ?? '?'}: missing chat_id`);
  return { kind: 'group-seen', platform: 'lark', groupId: ev.chat_id, groupName: ev.name ?? '', at: epochMs(ev.create_time, receivedAt) };
}

/** A group-seen for a renamed chat; null when the change left the name alone. */
export function translateChatUpdated(ev: ChatUpdatedEvent, receivedAt: number): GroupSeenEvent | null {
  if (!ev.chat_id) throw new MalformedEvent(`im.chat.updated_v1 ${ev.event_id ?? '?'}: missing chat_id`);
  const name = ev.after_change?.name;
  return name ? { kind: 'group-seen', platform: 'lark', groupId: ev.chat_id, groupName: name, at: epochMs(ev.create_time, receivedAt) } : null;
}

/** `eventId` is the message_id, as translateMessage gives the InboundMessage of that message. */
export function translateRecalled(ev: MessageRecalledEvent, receivedAt: number): PlatformEvent {
  if (!ev.message_id) throw new MalformedEvent(`im.message.recalled_v1 ${ev.event_id ?? '?'}: missing message_id`);
  return {
    kind: 'recalled',
    platform: 'lark',
    groupId: ev.chat_id ?? null,
    eventId: ev.message_id,
    at: epochMs(ev.recall_time ?? ev.create_time, receivedAt),
  };
}

export function translateMembers(ev: MembersChangedEvent, joined: boolean, receivedAt: number): MembershipEvent {
  const users: MemberRef[] = [];
  for (const u of ev.users ?? []) if (u.user_id?.open_id) users.push({ id: u.user_id.open_id, name: u.name ?? '' });
  if (!ev.chat_id || users.length === 0) throw new MalformedEvent(`chat member event ${ev.event_id ?? '?'}: missing chat_id or users`);
  return {
    kind: 'membership',
    platform: 'lark',
    groupId: ev.chat_id,
    joined: joined ? users : [],
    left: joined ? [] : users,
    at: epochMs(ev.create_time, receivedAt),
  };
}
