import type { MemberRef, OutboundMessage } from '../../src/model.js';
import type { RobotPayload } from './api.js';

/**
 * Ids DingTalk gives people outside the organisation (senderId / atUsers[].dingtalkId) look like
 * "$:LWCP_v1:$…"; staff ids do not. A session webhook @-s the first kind by atDingtalkIds.
 */
export function isDingtalkId(id: string): boolean {
  return id.startsWith('$:');
}

/** Body text with alert buttons rendered as commands to send back (DingTalk robots have no command buttons). */
function bodyText(msg: OutboundMessage): string {
  if (!msg.actions?.length) return msg.text;
  const sep = msg.format === 'markdown' ? '\n\n' : '\n';
  return msg.text + '\n\n' + msg.actions.map((a) => `${a.label}：回复「${a.command}」`).join(sep);
}

/** A markdown message needs a title (shown in notifications): its first line without markup. */
function markdownTitle(text: string): string {
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
  const text = prefix + bodyText(msg);
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
  const text = names.map((n) => `@${n} `).join('') + bodyText(msg);
  return msg.format === 'markdown'
    ? { msgKey: 'sampleMarkdown', msgParam: { title: markdownTitle(msg.text), text } }
    : { msgKey: 'sampleText', msgParam: { content: text } };
}
