import type { MessageContext } from '../../engine/feature.js';

const followedUp = new WeakSet<MessageContext>();

/**
 * A message that opened or joined a follow-up still reaches later features (a worried check-in
 * still counts), but nothing answers it as a routine question: a human will.
 */
export function markFollowedUp(ctx: MessageContext): void {
  followedUp.add(ctx);
}

export function isFollowedUp(ctx: MessageContext): boolean {
  return followedUp.has(ctx);
}
