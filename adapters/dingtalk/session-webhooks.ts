import type { OutboundTarget } from '../../src/model.js';

/** Do not start a send on a webhook that expires within this margin; the API is the safer road then. */
const EXPIRY_MARGIN_MS = 60_000;

export interface SessionWebhook {
  url: string;
  expiresAt: number;
}

/** Names a conversation; InboundMessage.replyContext carries it as `replyTarget`. */
export function targetKey(target: OutboundTarget): string {
  return target.kind === 'group' ? `group:${target.groupId}` : `direct:${target.memberId}`;
}

/**
 * The freshest session webhook per conversation, so a reply uses one while it is still valid, and
 * the webhooks DingTalk refused, so a redelivered callback that carries one does not bring it back.
 * In memory only: a webhook is a bearer URL (whoever has it can post into the chat), so it is never
 * stored; after a restart, replies go through the robot API until the chat speaks again.
 */
export class SessionWebhooks {
  private readonly latest = new Map<string, SessionWebhook>();
  /** Refused url → its expiry, after which it is forgotten. */
  private readonly refused = new Map<string, number>();

  remember(target: OutboundTarget, hook: SessionWebhook): void {
    const known = this.latest.get(targetKey(target));
    if (!known || known.expiresAt < hook.expiresAt) this.latest.set(targetKey(target), hook);
  }

  forget(target: OutboundTarget, hook: SessionWebhook): void {
    this.refused.set(hook.url, hook.expiresAt);
    if (this.latest.get(targetKey(target))?.url === hook.url) this.latest.delete(targetKey(target));
  }

  /** The conversation's webhook, if it is still valid (with a margin) at `now` and was not refused. */
  usable(target: OutboundTarget, now: number): SessionWebhook | undefined {
    const known = this.latest.get(targetKey(target));
    if (known && known.expiresAt <= now) this.latest.delete(targetKey(target));
    for (const [url, expiresAt] of this.refused) if (expiresAt <= now) this.refused.delete(url);
    return known && known.expiresAt - EXPIRY_MARGIN_MS > now && !this.refused.has(known.url) ? known : undefined;
  }
}
