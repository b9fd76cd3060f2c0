/**
 * Rendering of the core's OutboundMessage as Lark message payloads: plain text with `<at>` tags,
 * markdown as a post with an `md` node, staff alerts with actions as a JSON 2.0 card whose
 * buttons call back over the long connection (card.action.trigger), and uploaded files.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { MENTION_ALL, type MemberRef, type OutboundMessage, type OutboundTarget } from '../../src/model.js';
import type { ButtonValue } from './inbound.js';

export type LarkMsgType = 'text' | 'post' | 'interactive' | 'file';

export interface LarkPayload {
  msg_type: LarkMsgType;
  /** JSON string, as the message endpoints take it. */
  content: string;
}

export interface ReceiveTarget {
  receive_id_type: 'chat_id' | 'open_id';
  receive_id: string;
}

/** Lark keeps one message per `uuid` for an hour; it accepts at most 50 characters. */
const UUID_MAX = 50;
/** Keys may carry names (a DM alert's key ends with the teacher's name): only plain ASCII goes as is. */
const UUID_SAFE = /^[\x21-\x7e]+$/;

export function larkUuid(idempotencyKey: string): string {
  if (idempotencyKey.length <= UUID_MAX && UUID_SAFE.test(idempotencyKey)) return idempotencyKey;
  return `h_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, UUID_MAX - 2)}`;
}

export function receiveTarget(target: OutboundTarget): ReceiveTarget {
  return target.kind === 'group'
    ? { receive_id_type: 'chat_id', receive_id: target.groupId }
    : { receive_id_type: 'open_id', receive_id: target.memberId };
}

/**
 * The message to answer with Lark's reply endpoint (a quoted reply in the chat, not a topic
 * thread that parents would have to open). Only real message ids qualify: the ids of card
 * presses (see inbound.ts) name no message.
 */
export function replyTarget(msg: OutboundMessage): string | undefined {
  return msg.replyTo?.startsWith('om_') ? msg.replyTo : undefined;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Mentions requested by the message, @all only where it means something (groups). */
function mentionList(msg: OutboundMessage): MemberRef[] {
  const list = (msg.mentions ?? []).filter((m) => m.id !== MENTION_ALL);
  if (msg.mentionAll && msg.target.kind === 'group') list.push({ id: MENTION_ALL, name: '所有人' });
  return list;
}

/** `<at user_id>` works in text and in post `md` nodes; Lark shows the member's current name. */
function textMentions(mentions: MemberRef[]): string {
  return mentions.map((m) => `<at user_id="${m.id}">${escapeXml(m.name)}</at>`).join(' ');
}

/** Card markdown has its own mention syntax. */
function cardMentions(mentions: MemberRef[]): string {
  return mentions.map((m) => `<at id=${m.id}></at>`).join(' ');
}

function withPrefix(prefix: string, text: string): string {
  return prefix ? `${prefix} ${text}` : text;
}

export function renderCard(msg: OutboundMessage): object {
  const chat: ButtonValue['chat'] = msg.target.kind === 'group' ? 'group' : 'direct';
  const buttons = (msg.actions ?? []).map((a, i) => ({
    tag: 'column',
    width: 'auto',
    elements: [
      {
        tag: 'button',
        text: { tag: 'plain_text', content: a.label },
        type: i === 0 ? 'primary' : 'default',
        behaviors: [{ type: 'callback', value: { command: a.command, chat } satisfies ButtonValue }],
      },
    ],
  }));
  const text = { tag: 'markdown', content: withPrefix(cardMentions(mentionList(msg)), msg.text) };
  return {
    schema: '2.0',
    // Shared cards: an update shows to everyone in the chat, not only to whoever pressed.
    config: { update_multi: true },
    // A closed case's card has no buttons left.
    body: { elements: buttons.length > 0 ? [text, { tag: 'column_set', flex_mode: 'flow', columns: buttons }] : [text] },
  };
}

/** The upload's `file_type`: Lark's kinds for Office and PDF files, `stream` for anything else (HTML too). */
export type LarkFileType = 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

const FILE_TYPES: Record<string, LarkFileType> = { pdf: 'pdf', doc: 'doc', docx: 'doc', xls: 'xls', xlsx: 'xls', ppt: 'ppt', pptx: 'ppt' };

export function larkFileType(name: string): LarkFileType {
  return FILE_TYPES[extname(name).slice(1).toLowerCase()] ?? 'stream';
}

/** The message that shows an uploaded file in the chat. */
export function fileMessage(fileKey: string): LarkPayload {
  return { msg_type: 'file', content: JSON.stringify({ file_key: fileKey }) };
}

export function renderMessage(msg: OutboundMessage): LarkPayload {
  if (msg.actions && msg.actions.length > 0) {
    return { msg_type: 'interactive', content: JSON.stringify(renderCard(msg)) };
  }
  const text = withPrefix(textMentions(mentionList(msg)), msg.text);
  if (msg.format === 'markdown') {
    return { msg_type: 'post', content: JSON.stringify({ zh_cn: { content: [[{ tag: 'md', text }]] } }) };
  }
  return { msg_type: 'text', content: JSON.stringify({ text }) };
}
