import { z } from 'zod';
import type { InboundMessage, MemberRef, MessageElement, OutboundTarget } from '../../src/model.js';
import { targetKey } from './session-webhooks.js';

/** Epoch ms as DingTalk sends them: a number, or the same digits as a string. */
const epochMs = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

/** The part of a robot callback (topic /v1.0/im/bot/messages/get) that classbot reads. */
const robotMessageSchema = z.object({
  msgId: z.string().min(1),
  msgtype: z.string(),
  conversationId: z.string().min(1),
  /** '1' one-to-one, '2' group. */
  conversationType: z.enum(['1', '2']),
  conversationTitle: z.string().optional(),
  senderId: z.string().min(1),
  senderNick: z.string().default(''),
  /** Empty for people outside the organisation (many parents): then senderId is their only id. */
  senderStaffId: z.string().optional(),
  chatbotUserId: z.string().optional(),
  isInAtList: z.boolean().optional(),
  atUsers: z.array(z.object({ dingtalkId: z.string(), staffId: z.string().optional() })).default([]),
  createAt: epochMs,
  sessionWebhook: z.string().optional(),
  sessionWebhookExpiredTime: epochMs.optional(),
  text: z.object({ content: z.string() }).optional(),
  content: z.unknown().optional(),
});

export type RobotMessage = z.infer<typeof robotMessageSchema>;

/** Parses the JSON `data` of a robot callback frame; throws an Error naming what is wrong. */
export function parseRobotMessage(data: string): RobotMessage {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new Error('robot callback data is not JSON');
  }
  const parsed = robotMessageSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`unexpected robot callback: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export interface TranslateOptions {
  /**
   * Robot display name (configured, or learned by robotNameIn); a literal "@name" left in the
   * text is removed (DingTalk strips it from text messages itself, not from rich text).
   */
  robotName?: string;
}

/** Whitespace DingTalk puts after an "@name" (a four-per-em space, often). */
const AFTER_MENTION = /[\s\u2005\u00a0]/;

/**
 * The robot's display name, from a rich-text message that @-s the robot and nobody else: its
 * "@name" is then the first text run's leading "@…" word (other people's @ look the same).
 */
export function robotNameIn(m: RobotMessage): string | undefined {
  if (m.msgtype !== 'richText' || m.isInAtList !== true) return undefined;
  if (m.atUsers.some((u) => u.dingtalkId !== m.chatbotUserId)) return undefined;
  const rich = richTextSchema.safeParse(m.content);
  const runs = rich.success ? rich.data.richText.filter((p) => p.text?.trim()) : [];
  const text = runs[0]?.text?.trim() ?? '';
  if (!text.startsWith('@')) return undefined;
  const end = text.search(AFTER_MENTION);
  // "@班级助手明天请假" alone in one run: where the name ends cannot be told.
  if (end < 0 && runs.length === 1) return undefined;
  return (end < 0 ? text.slice(1) : text.slice(1, end)) || undefined;
}

/** Translates a DingTalk robot message into the core's InboundMessage. */
export function robotMessageToInbound(m: RobotMessage, opts: TranslateOptions = {}): InboundMessage {
  const isGroup = m.conversationType === '2';
  const body = bodyOf(m);
  const text = (opts.robotName ? body.text.split(`@${opts.robotName}`).join('') : body.text).trim();
  // The robot appears in atUsers under its own chatbotUserId; everyone else is a real mention.
  // DingTalk gives ids only, no names: the id stands in until the engine knows the member.
  const mentions: MemberRef[] = m.atUsers
    .filter((u) => u.dingtalkId !== m.chatbotUserId)
    .map((u) => {
      const id = u.staffId || u.dingtalkId;
      return { id, name: id };
    });
  const elements: MessageElement[] = [
    ...(text ? [{ type: 'text' as const, text }] : []),
    ...body.elements,
    ...mentions.map((u) => ({ type: 'mention' as const, id: u.id, name: u.name })),
  ];
  const senderId = m.senderStaffId || m.senderId;
  // Marks replies (the adapter keeps the conversation's session webhook itself: it must not be stored with them).
  const replyContext = { replyTarget: targetKey(conversationOf(m)) };
  return {
    platform: 'dingtalk',
    eventId: m.msgId,
    chatType: isGroup ? 'group' : 'direct',
    groupId: isGroup ? m.conversationId : null,
    ...(isGroup && m.conversationTitle ? { groupName: m.conversationTitle } : {}),
    sender: { id: senderId, name: m.senderNick },
    text,
    elements,
    mentions,
    addressed: !isGroup || m.isInAtList === true,
    timestamp: m.createAt,
    replyContext,
  };
}

/** The conversation a robot message came from, as an outbound target. */
export function conversationOf(m: RobotMessage): OutboundTarget {
  return m.conversationType === '2' ? { kind: 'group', groupId: m.conversationId } : { kind: 'direct', memberId: m.senderStaffId || m.senderId };
}

interface Body {
  text: string;
  elements: MessageElement[];
}

const richTextSchema = z.object({
  richText: z.array(
    z.object({ text: z.string().optional(), type: z.string().optional(), downloadCode: z.string().optional() }),
  ),
});
const audioSchema = z.object({ recognition: z.string().optional(), downloadCode: z.string().optional() });
const fileSchema = z.object({ downloadCode: z.string().optional(), fileName: z.string().optional() });

/** Text and non-text elements of the message body, by msgtype. */
function bodyOf(m: RobotMessage): Body {
  switch (m.msgtype) {
    case 'text':
      return { text: m.text?.content ?? '', elements: [] };
    case 'richText': {
      const rich = richTextSchema.safeParse(m.content);
      if (!rich.success) return { text: '', elements: [{ type: 'other', kind: 'richText' }] };
      const parts = rich.data.richText;
      return {
        text: parts.map((p) => p.text ?? '').join(''),
        elements: parts
          .filter((p) => p.type === 'picture')
          .map((p) => ({ type: 'image' as const, ...(p.downloadCode ? { ref: p.downloadCode } : {}) })),
      };
    }
    case 'audio': {
      // DingTalk sends its speech recognition with the voice message.
      const audio = audioSchema.safeParse(m.content);
      const text = audio.success ? (audio.data.recognition ?? '') : '';
      return { text, elements: [{ type: 'other', kind: 'audio' }] };
    }
    case 'picture': {
      const pic = fileSchema.safeParse(m.content);
      const ref = pic.success ? pic.data.downloadCode : undefined;
      return { text: '', elements: [{ type: 'image', ...(ref ? { ref } : {}) }] };
    }
    case 'file': {
      const file = fileSchema.safeParse(m.content);
      const name = file.success ? file.data.fileName : undefined;
      const ref = file.success ? file.data.downloadCode : undefined;
      return { text: '', elements: [{ type: 'file', ...(name ? { name } : {}), ...(ref ? { ref } : {}) }] };
    }
    default:
      return { text: '', elements: [{ type: 'other', kind: m.msgtype }] };
  }
}
