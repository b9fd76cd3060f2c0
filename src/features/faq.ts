import type { Feature } from '../engine/feature.js';
import type { Playbook } from '../playbook/playbook.js';
import { isFollowedUp } from './followups/marks.js';

const QUESTION = /[?？]|吗|呢|怎么|怎样|如何|哪|什么|啥|几点|几号|多少|能不能|可不可以|是不是|有没有|请问|求问|问一下|问下/;

/** Whether a message reads as a question (and not as chat that merely mentions a topic). */
export function looksLikeQuestion(text: string): boolean {
  return QUESTION.test(text);
}

/** The first FAQ entry whose keywords or pattern match `text`. */
export function matchFaq(pb: Playbook, text: string): Playbook['faq'][number] | null {
  const lower = text.toLowerCase();
  return pb.faq.find((f) => f.keywords.some((k) => lower.includes(k.toLowerCase())) || (f.regex?.test(text) ?? false)) ?? null;
}

/**
 * Standard questions answered at once from the playbook, for parents in the class group
 * (when the message is a question or addressed to the bot) and in direct chats. A worried message
 * that became a follow-up gets no canned answer, even when it contains a keyword.
 */
export const faqFeature: Feature = {
  name: 'faq',
  onMessage(ctx) {
    if (ctx.where === 'staff' || ctx.sender.role === 'staff' || isFollowedUp(ctx)) return false;
    if (!ctx.msg.addressed && !looksLikeQuestion(ctx.msg.text)) return false;
    const entry = matchFaq(ctx.playbook, ctx.msg.text);
    if (!entry) return false;
    ctx.reply(entry.answer, { cause: 'faq', mentions: ctx.where === 'class' ? [{ id: ctx.sender.id, name: ctx.sender.name }] : [] });
    return true;
  },
};
