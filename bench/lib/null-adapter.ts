import type { Adapter, AdapterStatus, InboundHandler, InboundMessage, OutboundMessage, Platform, RateLimits, SendResult } from '../../src/model.js';

/**
 * An adapter that talks to no platform: the bench delivers inbound messages through it, and it
 * accepts every send at once, so what is measured is the bot, not a network. It declares the
 * rate limits it is given (the real adapters' in the scheduler section).
 */
export class NullAdapter implements Adapter {
  readonly capabilities = { mentions: true, mentionAll: true, directMessages: true, cards: true, markdown: true, files: false, seesAllGroupMessages: true };
  sent = 0;
  /** As the real platform adapters do: each message is written ahead to the spool. */
  readonly acknowledgesOnReceipt = true;
  private handler: InboundHandler | null = null;

  constructor(
    readonly platform: Platform,
    readonly rateLimits: RateLimits,
    /** Sees every send (the scheduler section checks limits and duplicates with it). */
    private readonly onSend?: (msg: OutboundMessage) => void,
  ) {}

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = null;
  }

  status(): AdapterStatus {
    return { state: this.handler ? 'connected' : 'stopped', since: 0 };
  }

  /** Hands a message to the bot the way a platform adapter does; resolves when it is handled. */
  deliver(msg: InboundMessage): Promise<void> | void {
    if (!this.handler) throw new Error('adapter not started');
    return this.handler(msg);
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    this.sent++;
    this.onSend?.(msg);
    return { platformMessageIds: [`null-${this.sent}`] };
  }
}
