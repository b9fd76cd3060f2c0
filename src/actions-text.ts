import type { OutboundAction, OutboundMessage } from './model.js';

/**
 * Alert buttons written out as commands to send back, for platforms without buttons (DingTalk
 * robots, WeChat): pressing a button and typing its command do the same thing.
 */
export function withActionsAsText(msg: Pick<OutboundMessage, 'text' | 'format'> & { actions?: OutboundAction[] }): string {
  if (!msg.actions?.length) return msg.text;
  // Markdown joins single line breaks, so each command gets a paragraph of its own there.
  const sep = msg.format === 'markdown' ? '\n\n' : '\n';
  return `${msg.text}\n\n${msg.actions.map((a) => `· ${a.label}：发送「${a.command}」`).join(sep)}`;
}
