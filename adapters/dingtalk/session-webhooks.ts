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
 * The webhook a replyContext carries, only if it belongs to `target`'s conversation: a context
 * passed along by mistake must never post into another chat.
 */
export function webhookFromContext(
  ctx: Record<string, string | number> | undefined,
  target: OutboundTarget,
): SessionWebhook | undefined {
  const url = ctx?.sessionWebhook;
  const expiresAt = ctx?.sessionWebhookExpiredTime;
  if (ctx?.replyTarget !== targetKey(target)) return undefined;
  return typeof url === 'string' && typeof expiresAt === 'number' ? { url, expiresAt } : undefined;
}

/**
 * The freshest session webhook per conversation, so a reply uses one while it is still valid, and
 * the webhooks DingTalk refused, so a retried reply that still carries one does not try it again.
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

  /** The one valid longest among the given one and the remembered one, if any is valid at `now`. */
  usable(target: OutboundTarget, given: SessionWebhook | undefined, now: number): SessionWebhook | undefined {
    const known = this.latest.get(targetKey(target));
    if (known && known.expiresAt <= now) this.latest.delete(targetKey(target));
    for (const [url, expiresAt] of this.refused) if (expiresAt <= now) this.refused.delete(url);
    return [given, known]
      .filter((h): h is SessionWebhook => h !== undefined && h.expiresAt - EXPIRY_MARGIN_MS > now && !this.refused.has(h.url))
      .sort((a, b) => b.expiresAt - a.expiresAt)[0];
  }
}
