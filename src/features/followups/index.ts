/**
 * Follow-ups (issue 6): every worried or unanswered parent becomes a tracked follow-up with an
 * owner and deadlines, worked by staff from their chat (see README.md, "Follow-ups").
 *
 * Two features, because they sit at both ends of the message pipeline:
 * - `followupsFeature` comes first: ratings, staff responses, and the worry detector, so a worried
 *   message becomes a follow-up even when it contains an FAQ keyword (it is marked, not consumed:
 *   the FAQ leaves it alone, other features such as check-ins still see it);
 * - `unansweredQuestionsFeature` comes last: a question or request to the bot that nothing else
 *   (the FAQ included) answered becomes a follow-up.
 */
import type { Feature, MessageContext } from '../../engine/feature.js';
import { findStaff, text } from '../../playbook/playbook.js';
import { DAY } from '../../time.js';
import { looksLikeQuestion, matchFaq } from '../faq.js';
import { announceOverdue, escalateDue, isLowRating, noteRecall, openFollowup, rate, responded, SYSTEM } from './actions.js';
import { isCalmFaqQuestion } from './calm-question.js';
import { looksLikeRequest } from './request.js';
import { followupCommands } from './commands.js';
import { detectorFor } from './detect.js';
import { digestJobs } from './digest.js';
import { isFollowedUp, markFollowedUp } from './marks.js';
import { alertContext, historyOf, recentOf } from './history.js';
import { followupRepo, forgetFollowupCaches, type Followup } from './repo.js';
import { severityRank, type Category } from './schema.js';
import { followupSettings } from './settings.js';

/** How long after being asked a parent's rating is still taken. */
const RATING_WINDOW = 3 * DAY;

/** '4' or '４' → 4; anything else → null. */
export function parseRating(s: string): number | null {
  const m = /^([1-5１-５])$/.exec(s.trim());
  if (!m) return null;
  const c = m[1]!.charCodeAt(0);
  return (c > 0xff ? c - 0xfee0 : c) - 48;
}

/** The follow-up a 1–5 reply rates: in a direct chat the latest asked; in a group, only right after the ask there. */
function ratedFollowup(ctx: MessageContext): Followup | null {
  const repo = followupRepo(ctx.services.store);
  const asked = repo.awaitingRatingOf(ctx.sender.memberId, ctx.now - RATING_WINDOW);
  if (ctx.groupRowId === null) return asked[0] ?? null;
  const here = asked.find((f) => f.groupId === ctx.groupRowId);
  return here && !repo.spokeSince(ctx.sender.memberId, ctx.groupRowId, here.ratingAskedAt!, ctx.messageId) ? here : null;
}

/** What a follow-up opened by a parent's message takes from that message. */
function fromMessage(ctx: MessageContext, recent: Parameters<typeof alertContext>[0]) {
  return {
    pb: ctx.playbook,
    platform: ctx.msg.platform,
    groupRowId: ctx.groupRowId,
    member: { memberId: ctx.sender.memberId, userId: ctx.sender.id, name: ctx.sender.name },
    messageId: ctx.messageId,
    message: ctx.msg.text,
    actor: SYSTEM,
    context: alertContext(recent, ctx.now),
    now: ctx.now,
  };
}

/** Acknowledges in the chat the message came from, unless the playbook turned it off for the category. */
function acknowledge(ctx: MessageContext, f: Followup, key = `followup_ack_${f.category}`): void {
  const settings = followupSettings(ctx.playbook);
  if (!settings.categories[f.category as Category].reply) return;
  ctx.reply(text(ctx.playbook, key, { name: ctx.sender.name, assistant: f.assignee ?? ctx.playbook.assistantName }), {
    cause: 'followup',
    mentions: ctx.where === 'class' ? [{ id: ctx.sender.id, name: ctx.sender.name }] : [],
  });
}

/** Staff @-mentioning a parent in the class group is the first visible response to their follow-ups. */
function trackResponses(ctx: MessageContext): void {
  const repo = followupRepo(ctx.services.store);
  const actor = ctx.sender.staff!;
  for (const m of ctx.msg.mentions) {
    const member = repo.member(ctx.msg.platform, m.id);
    if (!member || findStaff(ctx.playbook, ctx.msg.platform, m.id)) continue;
    for (const f of repo.active(member.id, ctx.playbook.id)) {
      if (f.firstResponseAt === null) responded(ctx.services, f, actor, ctx.now);
    }
  }
}

export const followupsFeature: Feature = {
  name: 'followups',
  commands: followupCommands,
  jobs: digestJobs,
  onRecalled: ({ services, playbook, messageId, now }) => noteRecall(services, playbook, messageId, now),
  onPlaybooks(playbooks) {
    // Compiling a lexicon takes a tenth of a second: at load, not on the first parent's message.
    for (const pb of playbooks) detectorFor(pb);
  },
  onMessage(ctx) {
    if (ctx.sender.role === 'staff') {
      if (ctx.where === 'class' && ctx.msg.mentions.length > 0) trackResponses(ctx);
      return false;
    }
    if (ctx.where === 'staff') return false;
    const rating = parseRating(ctx.msg.text);
    if (rating !== null) {
      const f = ratedFollowup(ctx);
      if (f) {
        const r = rate(ctx.services, ctx.playbook, f, rating, ctx.now);
        const key = isLowRating(rating) ? 'followup_rating_sorry' : 'followup_rating_thanks';
        ctx.reply(text(ctx.playbook, key, { name: ctx.sender.name, assistant: r.assignee ?? ctx.playbook.assistantName }), { cause: 'followup' });
        return true;
      }
    }
    if (!ctx.msg.text) return false;
    // Reading the history costs queries: only when the detector asks for it, or an alert quotes it.
    const verdict = detectorFor(ctx.playbook).detect(ctx.msg.text, () => {
      const history = historyOf(ctx);
      return { recent: history.unanswered, now: ctx.now, unansweredSinceMs: history.unansweredSinceMs };
    });
    if (verdict.label === 'none' || isCalmFaqQuestion(ctx.playbook, ctx.msg.text, verdict)) return false;
    ctx.setWorry(verdict.label, verdict.severity);
    // A possible danger (safety, high) is never left out by min_severity: it was urgent before severity followed the evidence.
    if (verdict.label !== 'safety' && severityRank(verdict.severity) < followupSettings(ctx.playbook).minSeverity) return false;
    const { f, created } = openFollowup(ctx.services, {
      ...fromMessage(ctx, recentOf(ctx)),
      category: verdict.label,
      severity: verdict.severity,
      source: 'detector',
      score: verdict.score,
      reasons: verdict.reasons,
    });
    if (created) acknowledge(ctx, f);
    markFollowedUp(ctx);
    return false;
  },
  onTick(ctx) {
    escalateDue(ctx.services, ctx.playbook, ctx.now);
    announceOverdue(ctx.services, ctx.playbook, ctx.now);
  },
  forgetCaches: forgetFollowupCaches,
};

/**
 * Opens a question follow-up for a message no feature could answer, and acknowledges it (a
 * request as a request). False when the playbook does not follow up unanswered questions.
 */
export function followUpUnanswered(ctx: MessageContext, asks: 'question' | 'request'): boolean {
  if (!followupSettings(ctx.playbook).unansweredQuestions) return false;
  const { f } = openFollowup(ctx.services, {
    ...fromMessage(ctx, recentOf(ctx)),
    category: 'question',
    severity: 'low',
    source: 'question',
  });
  acknowledge(ctx, f, asks === 'request' ? 'followup_ack_request' : undefined);
  return true;
}

export const unansweredQuestionsFeature: Feature = {
  name: 'followups:unanswered',
  onMessage(ctx) {
    if (ctx.sender.role === 'staff' || ctx.where === 'staff' || !ctx.msg.addressed || isFollowedUp(ctx)) return false;
    const question = looksLikeQuestion(ctx.msg.text);
    if (!(question || looksLikeRequest(ctx.msg.text)) || matchFaq(ctx.playbook, ctx.msg.text)) return false;
    return followUpUnanswered(ctx, question ? 'question' : 'request');
  },
};
