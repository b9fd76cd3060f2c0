import type { Feature } from '../engine/feature.js';
import { faqFeature } from './faq.js';
import { followupsFeature, unansweredQuestionsFeature } from './followups/index.js';

/**
 * Features in the order they see a message; the first that consumes it stops the rest.
 * followups first (a worried message is a follow-up even with an FAQ keyword in it);
 * unansweredQuestions last (a question to the bot nobody else answered becomes a follow-up).
 */
export function defaultFeatures(): Feature[] {
  return [followupsFeature, faqFeature, unansweredQuestionsFeature];
}
