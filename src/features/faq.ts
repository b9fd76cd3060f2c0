import type { Feature, MessageContext } from '../engine/feature.js';
import { normalise } from '../detector/normalise.js';
import { oncePer } from '../memo.js';
import { text, type Playbook } from '../playbook/playbook.js';
import { FaqIndex, type FaqHit } from './faq/match.js';
import { isFollowedUp } from './followups/marks.js';
import { followupRepo } from './followups/repo.js';

const QUESTION = /[?？]|吗|呢|怎么|怎样|如何|哪|什么|啥|几点|几号|多少|能不能|可不可以|是不是|有没有|请问|求问|问一下|问下/;

/** Whether a message reads as a question (and not as chat that merely mentions a topic). */
export function looksLikeQuestion(text: string): boolean {
  return QUESTION.test(text) || QUESTION.test(normalise(text));
}

type Entry = Playbook['faq'][number];

const indexOf = oncePer((pb: Playbook) => new FaqIndex(pb.faq));

export interface FaqMatch extends FaqHit<Entry> {
  /** In the middle band: answered, and staff are asked to check the answer fits. */
  confirm: boolean;
}

/** The entry closest in meaning to `text` and how sure that is, whatever the playbook's thresholds. */
export function bestFaq(pb: Playbook, text: string): FaqHit<Entry> | null {
  const normalised = normalise(text);
  // A keyword the playbook names is the author's word that this entry answers it.
  const byKeyword = pb.faq.find((f) => f.keywords.some((k) => normalised.includes(k)));
  if (byKeyword) return { entry: byKeyword, score: 1 };
  return indexOf(pb).best(text, normalised, QUESTION.test(normalised));
}

/** The FAQ entry that answers `text`, if one is close enough (see the playbook's `faq_match`). */
export function faqMatch(pb: Playbook, text: string): FaqMatch | null {
  const hit = bestFaq(pb, text);
  const { answer_above, confirm_above } = pb.data.faq_match;
  if (!hit || hit.score <= confirm_above) return null;
  return { ...hit, confirm: hit.score <= answer_above };
}

/** Clauses of a message: a question mark stays with the clause it ends. */
const CLAUSES = /[^，,。.！!？?；;\s]+[？?]*/g;

/** The clauses of `text`, normalised. */
export function clausesOf(text: string): string[] {
  return normalise(text).match(CLAUSES) ?? [];
}

/**
 * The FAQ entry a worried message also asks, confidently, in one of its question clauses:
 * "回放在哪看？老师一直不回消息" asks where the replay is, "课表太乱了，孩子跟不上，好焦虑？" asks nothing.
 */
export function faqAmidWorry(pb: Playbook, text: string): FaqMatch | null {
  for (const clause of clausesOf(text)) {
    const hit = clauseAnswer(pb, clause);
    if (hit) return hit;
  }
  return null;
}

/** The entry a clause asks, when it reads as a question and the match is above the band where staff confirm. */
export function clauseAnswer(pb: Playbook, clause: string): FaqMatch | null {
  if (!looksLikeQuestion(clause)) return null;
  const hit = faqMatch(pb, clause);
  return hit && !hit.confirm ? hit : null;
}

/** The FAQ entry that answers `text`, if any. */
export function matchFaq(pb: Playbook, text: string): Entry | null {
  return faqMatch(pb, text)?.entry ?? null;
}

/** Whether the sender has a safety case open: then a person answers them, not the FAQ. */
function safetyOpen(ctx: MessageContext): boolean {
  return followupRepo(ctx.services.store).active(ctx.sender.memberId, ctx.playbook.id).some((f) => f.category === 'safety');
}

/**
 * Standard questions answered at once from the playbook, for parents in the class group
 * (when the message is a question or addressed to the bot) and in direct chats. A worried message
 * that became a follow-up gets an answer only for a question it clearly asks besides the worry
 * (and none while a safety case is open), never for a keyword it merely mentions. An answer the
 * matcher is unsure of still goes out, and staff get a note to check it (no follow-up: nothing
 * to claim, only to correct if wrong).
 */
export const faqFeature: Feature = {
  name: 'faq',
  onMessage(ctx) {
    if (ctx.where === 'staff' || ctx.sender.role === 'staff') return false;
    const worried = isFollowedUp(ctx);
    if (!worried && !ctx.msg.addressed && !looksLikeQuestion(ctx.msg.text)) return false;
    const hit = worried ? faqAmidWorry(ctx.playbook, ctx.msg.text) : faqMatch(ctx.playbook, ctx.msg.text);
    if (!hit || (worried && safetyOpen(ctx))) return false;
    ctx.reply(hit.entry.answer, { cause: 'faq', mentions: ctx.where === 'class' ? [{ id: ctx.sender.id, name: ctx.sender.name }] : [] });
    if (hit.confirm) {
      const where = ctx.group?.name ?? text(ctx.playbook, 'faq_confirm_direct');
      ctx.toStaff(text(ctx.playbook, 'faq_confirm', { name: ctx.sender.name, where, message: ctx.msg.text, q: hit.entry.q, answer: hit.entry.answer }), { cause: 'faq' });
    }
    return true;
  },
};
