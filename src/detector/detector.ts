/**
 * The detector: normalise, one automaton pass, evidence per label, then a decision with
 * severity. Compile once with createDetector and reuse it for every message.
 */
import { compileLexicon } from './compile.js';
import { normalise } from './normalise.js';
import { Scorer, type Worried } from './score.js';
import { conversationSignals, isRequest } from './conversation.js';
import { predict, shippedModel } from './model.js';
import { LABEL_TAG } from './score.js';
import {
  LABEL_PRIORITY, SEVERITY_ORDER, WORRY_LABELS,
  type Detection, type Detector, type DetectorContext, type DetectorOptions, type Sensitivity, type Severity,
} from './types.js';

/** Evidence a label needs, by sensitivity. Safety never goes below 1: its weak signs must combine. */
export const THRESHOLDS: Record<Sensitivity, number> = { cautious: 0.7, balanced: 1, quiet: 1.5 };
const SAFETY_FLOOR = 1;

/** How long an earlier question may wait before writing again counts as a nudge. */
export const UNANSWERED_LIMIT_MS: Record<Sensitivity, number> = {
  cautious: 10 * 60_000, balanced: 15 * 60_000, quiet: 30 * 60_000,
};

/** Probability of "some worry" at which the model raises a message the lexicon passed over. */
export const MODEL_THRESHOLDS: Record<Sensitivity, number> = { cautious: 0.5, balanced: 0.6, quiet: 0.75 };

/** How much the lexicon's sub-threshold evidence weighs in choosing the model's label. */
const LEXICON_VOTE = 0.5;

/** Severity before adjustments (index into SEVERITY_ORDER), and the evidence that adds a step. */
const BASE_LEVEL: Record<Worried, number> = { academic: 1, wellbeing: 1, complaint: 2, refund: 2, safety: 4 };
const STRONG: Record<Worried, number> = { academic: 3.5, wellbeing: 2.5, complaint: 5, refund: 5, safety: 0 };
const URGENT_ENOUGH = 0.5;
const HIGH = 3;

/** Evidence → 0..1 for display; 1.0 of evidence (the balanced threshold) is about 0.33. */
const squash = (raw: number) => Math.round((1 - Math.exp(-raw / 2.5)) * 1000) / 1000;

export function createDetector(options: DetectorOptions = {}): Detector {
  const sensitivity = options.sensitivity ?? 'balanced';
  const threshold = THRESHOLDS[sensitivity];
  const scorer = new Scorer(compileLexicon(options.extraTerms ?? []));
  const model = options.secondOpinion === false ? undefined : shippedModel();
  const probabilities = new Float64Array(WORRY_LABELS.length);

  const detect = (text: string, context?: DetectorContext): Detection => {
    const normalised = normalise(text);
    const evidence = scorer.analyse(normalised);
    const { scores } = evidence;
    const reasons = evidence.reasons;

    let label: Worried | undefined;
    for (const l of LABEL_PRIORITY) {
      if (scores[l] >= (l === 'safety' ? Math.max(threshold, SAFETY_FLOOR) : threshold)) {
        label = l;
        break;
      }
    }

    const signals = evidence.ack ? { repeats: 0, waitedMs: undefined } : conversationSignals(normalised, context);
    let steps = 0;
    if (signals.repeats > 0) {
      steps++;
      reasons.push(`重复提问:${signals.repeats}次`);
    }
    if (signals.waitedMs !== undefined && signals.waitedMs >= UNANSWERED_LIMIT_MS[sensitivity]) {
      steps++;
      reasons.push(`久未回复:${Math.floor(signals.waitedMs / 60_000)}分钟`);
    }

    if (label === undefined && model && !evidence.settled) {
      // The second opinion may ask for review (low; high for safety), never urgent by itself.
      predict(model, normalised, probabilities);
      const worried = 1 - probabilities[0]!;
      if (worried >= MODEL_THRESHOLDS[sensitivity]) {
        // The model says "worried"; which worry also weighs what the lexicon saw below its threshold.
        let guess: Worried = 'academic';
        let best = -1;
        for (let c = 1; c < probabilities.length; c++) {
          const l = WORRY_LABELS[c] as Worried;
          const vote = probabilities[c]! + LEXICON_VOTE * Math.min(1, scores[l] / threshold);
          if (vote > best) {
            best = vote;
            guess = l;
          }
        }
        reasons.push(`模型:${LABEL_TAG[guess]}(${worried.toFixed(2)})`);
        const level = (guess === 'safety' ? HIGH : 1) + steps;
        return { label: guess, severity: SEVERITY_ORDER[Math.min(level, HIGH)]!, score: Math.round(worried * 1000) / 1000, reasons };
      }
    }

    if (label === undefined) {
      // Asking again, or nudging an unanswered question, is the first sign of "no one answers".
      if (steps > 0 && (signals.repeats > 0 || isRequest(normalised))) {
        const severity = SEVERITY_ORDER[steps]!;
        return { label: 'complaint', severity, score: squash(Math.max(scores.complaint, threshold)), reasons };
      }
      return { label: 'none', severity: 'none', score: squash(Math.max(...Object.values(scores))), reasons };
    }

    const raw = scores[label];
    let severity: Severity;
    if (label === 'safety') severity = 'urgent';
    else {
      let level = BASE_LEVEL[label];
      if (raw >= STRONG[label]) level++;
      if (evidence.urgency >= URGENT_ENOUGH) level++;
      severity = SEVERITY_ORDER[Math.min(level + steps, HIGH)]!;
    }
    return { label, severity, score: squash(raw), reasons };
  };

  return { detect };
}
