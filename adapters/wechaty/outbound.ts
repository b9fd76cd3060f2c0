import { withActionsAsText } from '../../src/actions-text.js';
/** The core's OutboundMessage → wechaty sends: room texts with real mentions, direct messages, files after the text. */
import { readFile } from 'node:fs/promises';
import type { FileBoxInterface } from 'file-box';
import type { Contact, Room, Wechaty } from 'wechaty';
import {
  MENTION_ALL,
  SendError,
  type OutboundAttachment,
  type OutboundMessage,
  type OutboundTarget,
  type SendResult,
} from '../../src/model.js';
import type { Logger } from '../../src/log.js';
import { displayName } from './inbound.js';

/** The mention id that puppet gateways which support it (e.g. juzibot's WeCom gateway) send as @所有人. */
const AT_ALL_ID = '@all';
/** WeChat separates consecutive @names with U+2005; wechaty's room.say does the same. */
const AT_SEPARATOR = '\u2005';
const NOT_LOGGED_IN_RETRY_MS = 30_000;
/** 发送消息过于频繁 blocks an account for a while; waiting a minute before the next try is the common advice. */
const RATE_LIMITED_RETRY_MS = 60_000;


/** The puppet's words, kept; rate-limit answers get a longer wait, everything else may be transient. */
export function toSendError(e: unknown): SendError {
  if (e instanceof SendError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/频繁|too (frequent|often|fast)|rate limit/i.test(message)) return new SendError(`WeChat rate limit: ${message}`, true, RATE_LIMITED_RETRY_MS);
  return new SendError(message, true);
}

/** Only the owner and admins may @所有人 in a WeChat group. */
function mayMentionAll(room: Room, selfId: string): boolean {
  return room.payload?.ownerId === selfId || (room.payload?.adminIdList ?? []).includes(selfId);
}

async function findMentioned(bot: Wechaty, msg: OutboundMessage, log: Logger): Promise<Contact[]> {
  const contacts: Contact[] = [];
  for (const m of msg.mentions ?? []) {
    if (m.id === MENTION_ALL) continue;
    const c = await bot.Contact.find({ id: m.id });
    // A missing @ is better than a lost message.
    if (c) contacts.push(c);
    else log.warn({ memberId: m.id, name: m.name }, 'WeChat contact to mention not found; sending without that mention');
  }
  return contacts;
}

async function sendToRoom(bot: Wechaty, roomId: string, text: string, msg: OutboundMessage, log: Logger): Promise<string | undefined> {
  const room = await bot.Room.find({ id: roomId });
  if (!room) throw new SendError(`WeChat room ${roomId} not found (the bot account is not in it?)`, false);
  const contacts = await findMentioned(bot, msg, log);
  const wantsAll = msg.mentionAll === true || (msg.mentions ?? []).some((m) => m.id === MENTION_ALL);
  if (wantsAll) {
    if (mayMentionAll(room, bot.currentUser.id)) {
      // wechaty 1.x has no @all API: send through the puppet with the gateway's @all mention id.
      const names = await Promise.all(contacts.map((c) => displayName(c, room)));
      const head = ['@所有人', ...names.map((n) => `@${n}`)].join(AT_SEPARATOR);
      return (await bot.puppet.messageSendText(room.id, `${head} ${text}`, [AT_ALL_ID, ...contacts.map((c) => c.id)])) ?? undefined;
    }
    // Not owner or admin: WeChat would refuse a real @all, so it stays visible as plain text.
    log.warn({ roomId }, 'WeChat: only the group owner or an admin may @所有人; sending it as plain text');
    return (await room.say(`@所有人 ${text}`, ...contacts))?.id;
  }
  // room.say puts "@name " (the member's group nickname) before the text and passes the ids on.
  return (await room.say(text, ...contacts))?.id;
}

async function sendDirect(bot: Wechaty, memberId: string, text: string): Promise<string | undefined> {
  const contact = await bot.Contact.find({ id: memberId });
  if (!contact) throw new SendError(`WeChat contact ${memberId} not found`, false);
  if (contact.friend() === false) {
    throw new SendError(`WeChat contact ${memberId} is not a friend of the bot account; WeChat only delivers direct messages between friends`, false);
  }
  return (await contact.say(text))?.id;
}

/**
 * A local file as a FileBox (file-box is wechaty's own file type, loaded when first needed). Read
 * into base64 rather than FileBox.fromFile: puppets that serialise a box (the mock among them)
 * cannot serialise a file box, and the files the bot sends are small.
 */
async function fileBox(file: OutboundAttachment): Promise<FileBoxInterface> {
  let content: Buffer;
  try {
    content = await readFile(file.path);
  } catch (e) {
    // Deleted or unreadable since it was written: no retry brings it back.
    throw new SendError(`attachment ${file.path} cannot be read: ${(e as Error).message}`, false);
  }
  const { FileBox } = await import('file-box');
  return FileBox.fromBase64(content.toString('base64'), file.name);
}

/** The attachment after the text, to the same room or contact (found again: the text found it). */
async function sendFile(bot: Wechaty, target: OutboundTarget, file: OutboundAttachment): Promise<string | undefined> {
  const box = await fileBox(file);
  const to = target.kind === 'group' ? await bot.Room.find({ id: target.groupId }) : await bot.Contact.find({ id: target.memberId });
  if (!to) throw new SendError(`WeChat ${target.kind === 'group' ? 'room' : 'contact'} for the attachment not found`, false);
  return (await to.say(box))?.id;
}

export async function sendOutbound(bot: Wechaty, msg: OutboundMessage, log: Logger): Promise<SendResult> {
  if (!bot.isLoggedIn) throw new SendError('WeChat account not logged in', true, NOT_LOGGED_IN_RETRY_MS);
  const text = withActionsAsText(msg);
  try {
    const id = msg.target.kind === 'group'
      ? await sendToRoom(bot, msg.target.groupId, text, msg, log)
      : await sendDirect(bot, msg.target.memberId, text);
    // WeChat has no idempotency key: if the file fails, the retry says the text again.
    const fileId = msg.attachment ? await sendFile(bot, msg.target, msg.attachment) : undefined;
    // Most puppets answer with the sent message; some (and the mock) with nothing.
    return { platformMessageIds: [id, fileId].filter((x): x is string => x !== undefined) };
  } catch (e) {
    throw toSendError(e);
  }
}
