import type { Feature } from '../engine/feature.js';
import { checkinFeature } from './checkin/index.js';
import { faqFeature } from './faq.js';
import { helloFeature } from './hello.js';
import { leaveFeature } from './leave/index.js';
import { followupsFeature, unansweredQuestionsFeature } from './followups/index.js';
import { remindersFeature } from './reminders/index.js';
import { retentionFeature } from '../privacy/retention.js';
import { reportsFeature } from '../reports/feature.js';

/**
 * Features in the order they see a message; the first that consumes it stops the rest.
 * checkin first (a check-in counts whatever else it says; one carrying a note goes on to the others);
 * then followups (a worried message is a follow-up even with an FAQ keyword in it);
 * then leave (a leave request is recorded, not answered with the FAQ's leave policy);
 * unansweredQuestions last (a question to the bot nobody else answered becomes a follow-up).
 */
export function defaultFeatures(): Feature[] {
  return [checkinFeature, followupsFeature, leaveFeature, helloFeature, faqFeature, remindersFeature, retentionFeature(), reportsFeature, unansweredQuestionsFeature];
}
