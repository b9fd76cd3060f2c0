import { randomUUID } from 'node:crypto';
import type { Adapter, AdapterStatus, InboundHandler, InboundMessage, OutboundMessage, SendResult } from '../../src/model.js';

export const BOT_NAME = 'classbot';

/**
 * A local stand-in for a chat platform: what the bot sends is printed as chat lines, and what the
 * user types is posted as messages. Mentions are names here, since names are the console's user ids.
 */
export class ConsoleAdapter implements Adapter {
  readonly platform = 'console' as const;
  readonly capabilities = {
    mentions: true,
    mentionAll: true,
    directMessages: true,
    cards: false,
    markdown: true,
    // The file is on this machine already: the console names it.
    files: true,
    seesAllGroupMessages: true,
  };
  readonly rateLimits = { perTarget: { max: 100, windowMs: 1000 } };
  private handler: InboundHandler | null = null;
  private state: AdapterStatus = { state: 'stopped', since: Date.now() };
  private sent = 0;

  constructor(
    private readonly print: (line: string) => void,
    /** Chat id → display name, for the group label of each printed line. */
    private readonly groupNames: Map<string, string>,
  ) {}

  async start(onInbound: InboundHandler): Promise<void> {
    this.handler = onInbound;
    this.state = { state: 'connected', since: Date.now() };
  }

  async stop(): Promise<void> {
    this.handler = null;
    this.state = { state: 'stopped', since: Date.now() };
  }

  status(): AdapterStatus {
    return this.state;
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    const label = msg.target.kind === 'group' ? `[${this.groupNames.get(msg.target.groupId) ?? msg.target.groupId}]` : `[私聊 → ${msg.target.memberId}]`;
    const mentions = [...(msg.mentionAll ? ['@所有人'] : []), ...(msg.mentions ?? []).map((m) => `@${m.name}`)];
    const lines = [
      mentions.length ? `${mentions.join(' ')} ${msg.text}` : msg.text,
      ...(msg.actions ?? []).map((a) => `▸ ${a.label}：${a.command}`),
      ...(msg.attachment ? [`📎 文件：${msg.attachment.name}`] : []),
    ]
      .join('\n')
      .split('\n');
    this.print(`${label} 🤖 ${BOT_NAME}: ${lines[0]}`);
    for (const line of lines.slice(1)) this.print(`    ${line}`);
    return { platformMessageIds: [`console-${++this.sent}`] };
  }

  /** Posts a message as if a user typed it on the platform. */
  async post(input: Omit<InboundMessage, 'platform' | 'eventId' | 'timestamp'> & { eventId?: string; timestamp: number }): Promise<InboundMessage> {
    const msg: InboundMessage = { platform: 'console', eventId: input.eventId ?? randomUUID(), ...input };
    await this.handler?.(msg);
    return msg;
  }
}
