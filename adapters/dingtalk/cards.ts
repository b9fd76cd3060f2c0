import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboundMessage, OutboundMessage } from '../../src/model.js';
import { markdownTitle } from './outbound.js';

/** Marks the outTrackIds of our cards: a send() result that is one can be updated in place. */
const CARD_ID_PREFIX = 'classbot-card-';
/** Press events get ids of their own, apart from DingTalk's msgIds. */
const CARD_EVENT_PREFIX = 'card:';

/** A stable outTrackId per message: a retried send delivers the same card, never a second one. */
export function outTrackIdFor(idempotencyKey: string): string {
  return CARD_ID_PREFIX + createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
}

export function isCardId(platformMessageId: string): boolean {
  return platformMessageId.startsWith(CARD_ID_PREFIX);
}

/**
 * The card template's variables (cardParamMap takes strings only): `title`, `content` (Markdown,
 * with the @-ed names written in as on the group send API) and `buttons`, a JSON list of
 * {label, command} whose press sends back `params.command`.
 */
export function cardParams(msg: OutboundMessage): Record<string, string> {
  const names = (msg.mentions ?? []).map((m) => `@${m.name || m.id} `).join('');
  return {
    title: markdownTitle(msg.text),
    content: names + msg.text,
    buttons: JSON.stringify((msg.actions ?? []).map((a) => ({ label: a.label, command: a.command }))),
  };
}

const cardCallbackSchema = z.object({
  outTrackId: z.string(),
  userId: z.string().min(1),
  spaceType: z.string().optional(),
  spaceId: z.string().optional(),
  /** JSON text: {cardPrivateData: {actionIds, params}}. */
  content: z.string(),
});

const pressSchema = z.object({
  cardPrivateData: z.object({ params: z.object({ command: z.string().min(1) }).passthrough() }),
});

/**
 * A press on one of our card's buttons (topic /v1.0/card/instances/callback) as the staff member
 * typing its command in the group the card is in, as on Lark. Null for presses on cards that are
 * not ours or carry no command; throws an Error naming what is wrong in a malformed one.
 */
export function cardPressToInbound(data: string, frameId: string, receivedAt: number): InboundMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new Error('card callback data is not JSON');
  }
  const parsed = cardCallbackSchema.safeParse(json);
  if (!parsed.success) throw new Error(`unexpected card callback: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const ev = parsed.data;
  if (!isCardId(ev.outTrackId)) return null;
  let content: unknown;
  try {
    content = JSON.parse(ev.content);
  } catch {
    throw new Error(`card callback ${ev.outTrackId}: content is not JSON`);
  }
  const press = pressSchema.safeParse(content);
  if (!press.success) return null;
  // Our cards go to groups only (staff alerts); spaceId is then the group's openConversationId.
  if (ev.spaceType !== 'IM_GROUP' || !ev.spaceId) throw new Error(`card callback ${ev.outTrackId}: not from a group`);
  const command = press.data.cardPrivateData.params.command;
  return {
    platform: 'dingtalk',
    eventId: CARD_EVENT_PREFIX + frameId,
    chatType: 'group',
    groupId: ev.spaceId,
    sender: { id: ev.userId, name: '' },
    text: command,
    elements: [{ type: 'text', text: command }],
    mentions: [],
    addressed: true,
    timestamp: receivedAt,
  };
}
