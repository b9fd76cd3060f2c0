/** wechaty messages → the core's InboundMessage. */
import type { Contact, Message, Room, types } from 'wechaty';
import type { InboundMessage, MemberRef, MessageElement } from '../../src/model.js';
import { splitQuote } from './quote.js';

/** wechaty's enums, passed in because wechaty itself is imported only when WeChat is configured. */
export interface WechatyTypes {
  Message: typeof types.Message;
  Contact: typeof types.Contact;
}

/** The name people see in the room: the member's group nickname (群昵称), else their WeChat name. */
export async function displayName(contact: Contact, room?: Room): Promise<string> {
  return ((room && (await room.alias(contact))) || contact.name()).trim();
}

async function memberRef(contact: Contact, room?: Room): Promise<MemberRef> {
  return { id: contact.id, name: await displayName(contact, room) };
}

function elementsOf(msg: Message, T: WechatyTypes, text: string): MessageElement[] {
  const type = msg.type();
  switch (type) {
    case T.Message.Text:
      return text ? [{ type: 'text', text }] : [];
    case T.Message.Image:
      return [{ type: 'image', ref: msg.id }];
    case T.Message.Attachment: {
      const name = msg.payload?.filename;
      return [{ type: 'file', ref: msg.id, ...(name ? { name } : {}) }];
    }
    default:
      // Voice, video, stickers, links, mini programs…: features decide whether they count.
      return [{ type: 'other', kind: (T.Message[type] ?? 'unknown').toLowerCase() }];
  }
}

/**
 * Null for messages the core must not see: the bot's own (WeChat echoes them back) and
 * official-account pushes. Room messages carry the room's topic; mentions come from the
 * puppet's mention id list (wechaty's `mentionList()`), and the bot among them makes the
 * message addressed to the bot. A quoted reply's quote is `quoted`, not part of `text`.
 */
export async function toInboundMessage(msg: Message, T: WechatyTypes): Promise<InboundMessage | null> {
  if (msg.self()) return null;
  const talker = msg.talker();
  if (talker.type() === T.Contact.Official) return null;
  const room = msg.room();
  const base = {
    platform: 'wechaty' as const,
    eventId: msg.id,
    timestamp: msg.date().getTime(),
  };
  if (!room) {
    const { text, quoted } = splitQuote(msg.type() === T.Message.Text ? msg.text() : '');
    return {
      ...base,
      chatType: 'direct',
      groupId: null,
      sender: await memberRef(talker),
      text,
      ...(quoted !== undefined ? { quoted } : {}),
      elements: elementsOf(msg, T, text),
      mentions: [],
      addressed: true,
    };
  }
  const mentioned = await msg.mentionList();
  const { text, quoted } = splitQuote(msg.type() === T.Message.Text ? await msg.mentionText() : '');
  return {
    ...base,
    chatType: 'group',
    groupId: room.id,
    groupName: await room.topic(),
    sender: await memberRef(talker, room),
    text,
    ...(quoted !== undefined ? { quoted } : {}),
    elements: elementsOf(msg, T, text),
    mentions: await Promise.all(mentioned.filter((c) => !c.self()).map((c) => memberRef(c, room))),
    addressed: await msg.mentionSelf(),
  };
}
