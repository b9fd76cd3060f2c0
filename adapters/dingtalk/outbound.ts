import { withActionsAsText } from '../../src/actions-text.js';
import type { MemberRef, OutboundMessage } from '../../src/model.js';
import type { RobotPayload } from './api.js';

/**
 * Ids DingTalk gives people outside the organisation (senderId / atUsers[].dingtalkId) look like
 * "$:LWCP_v1:$…"; staff ids do not. A session webhook @-s the first kind by atDingtalkIds.
 */
export function isDingtalkId(id: string): boolean {
  return id.startsWith('$:');
}


/** A markdown message needs a title (shown in notifications): its first line without markup. */
export function markdownTitle(text: string): string {
  const first = text.split('\n').map((l) => l.replace(/^[#>*\-\s]+/, '').replace(/[*_`]/g, '').trim()).find(Boolean);
  return (first ?? '消息').slice(0, 30);
}

/**
 * JSON for a session webhook. Staff are @-ed by atUserIds and, as DingTalk asks, named in the
 * text as "@staffId" (shown as their name); people outside the organisation by atDingtalkIds.
 */
export function sessionWebhookBody(msg: OutboundMessage): object {
  const mentions = msg.mentions ?? [];
  const atUserIds = mentions.filter((m) => !isDingtalkId(m.id)).map((m) => m.id);
  const atDingtalkIds = mentions.filter((m) => isDingtalkId(m.id)).map((m) => m.id);
  const prefix = atUserIds.map((id) => `@${id} `).join('');
  const text = prefix + withActionsAsText(msg);
  const at = {
    atUserIds,
    ...(atDingtalkIds.length ? { atDingtalkIds } : {}),
    isAtAll: msg.mentionAll === true,
  };
  return msg.format === 'markdown'
    ? { msgtype: 'markdown', markdown: { title: markdownTitle(msg.text), text }, at }
    : { msgtype: 'text', text: { content: text }, at };
}

/**
 * Payload for the robot send APIs, which cannot @ anyone: mentions become plain "@名字" text so
 * the message still reads right.
 */
export function robotPayload(msg: OutboundMessage): RobotPayload {
  const names: string[] = [
    ...(msg.mentionAll ? ['所有人'] : []),
    ...(msg.mentions ?? []).map((m: MemberRef) => m.name || m.id),
  ];
  const text = names.map((n) => `@${n} `).join('') + withActionsAsText(msg);
  return msg.format === 'markdown'
    ? { msgKey: 'sampleMarkdown', msgParam: { title: markdownTitle(msg.text), text } }
    : { msgKey: 'sampleText', msgParam: { content: text } };
}
