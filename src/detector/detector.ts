/**
 * The detector: normalise, one automaton pass, evidence per label, a decision with severity,
 * and a learned second opinion for what the lexicon passed over. Compile once with
 * createDetector and reuse it for every message.
 */
import { compileLexicon } from './compile.js';
import { normalise } from './normalise.js';
import { LABEL_TAG, Scorer, type Evidence, type Worried } from './score.js';
import { conversationSignals, isRequest } from './conversation.js';
import { predict, shippedModel, type NgramModel } from './model.js';
import { hasWords } from './words.js';
import { EARLIER_TAG } from './explain.js';
import {
  LABEL_PRIORITY, SEVERITY_ORDER, WORRY_LABELS,
  type Detection, type Detector, type DetectorContext, type DetectorOptions, type Sensitivity,
} from './types.js';

/** Evidence a label needs, by sensitivity. Safety never goes below 1: its weak signs must combine. */
export const THRESHOLDS: Record<Sensitivity, number> = { cautious: 0.7, balanced: 1, quiet: 1.5 };
const SAFETY_FLOOR = 1;

/** Probability of "some worry" at which the model raises a message the lexicon passed over. */
export const MODEL_THRESHOLDS: Record<Sensitivity, number> = { cautious: 0.5, balanced: 0.6, quiet: 0.75 };
/**
 * The model's probability of safety at which it makes a message safety (high, never urgent)
 * although the lexicon saw no worry (overNone), a less urgent one (overWorry), or context that
 * settled it (overContext: 「那个人找到了他的QQ」 is not 「找到了」). A missed safety message is the
 * worst failure and phrasings of danger vary more than any list; these were chosen by replaying
 * each fresh batch against the detector as it was before it saw that batch (README).
 */
export const SAFETY_SECOND_OPINION: Record<Sensitivity, { overNone: number; overWorry: number; overContext: number }> = {
  cautious: { overNone: 0.3, overWorry: 0.6, overContext: 0.8 },
  balanced: { overNone: 0.4, overWorry: 0.75, overContext: 0.9 },
  quiet: { overNone: 0.6, overWorry: 0.9, overContext: 0.97 },
};
/**
 * A message longer than this is a paste (an article, a forwarded chat log): the detector reads its
 * beginning, where a parent's own words are, so the worst message costs what 16k characters do.
 */
const EXAMINED_CHARS = 16_384;
/** Shorter messages (check-ins, thanks, one-line questions) are left to the lexicon. */
const MODEL_MIN_LENGTH = 12;
/** A message whose context settled it needs room for a report of danger besides (「误会一场，他说…」). */
const SETTLED_MIN_LENGTH = 20;
/** How much the lexicon's sub-threshold evidence weighs in choosing the model's label. */
const LEXICON_VOTE = 0.5;

/** How long an earlier question may wait before writing again counts as a nudge. */
export const UNANSWERED_LIMIT_MS: Record<Sensitivity, number> = {
  cautious: 10 * 60_000, balanced: 15 * 60_000, quiet: 30 * 60_000,
};

/**
 * Safety evidence that is firm evidence of present danger on its own (besides a `present` cue such
 * as self-harm or a child named missing): a strong sign and a weaker one, or more. Less is a possible danger: `high`,
 * the assistant on duty first, not the whole chain at night.
 */
export const URGENT_SAFETY = 3.75;
/** A member's earlier messages within this window add their signs of danger to this one's. */
export const SAFETY_CONTEXT_MS = 2 * 60 * 60_000;
/**
 * Evidence for a less urgent worry at which the model may no longer call the message safety unless
 * the lexicon saw some sign of danger too: a heated complaint about the service, or a child refusing
 * school at the gate, is no danger however the model reads 「校门口」 or 「被你们当猴耍」.
 */
const OVERRULE_BELOW = 2.5;

/** Severity before adjustments (index into SEVERITY_ORDER), and the evidence that adds a step. */
const BASE_LEVEL: Record<Worried, number> = { academic: 1, wellbeing: 1, complaint: 2, refund: 2, safety: 3 };
const STRONG: Record<Worried, number> = { academic: 3.5, wellbeing: 2.5, complaint: 5, refund: 5, safety: 0 };
const URGENT_ENOUGH = 0.5;
/** Earlier messages read for signs of danger (each costs an analysis). */
const RECENT_READ = 5;
const LOW = 1;
const HIGH = 3;
const URGENT = 4;

const index = (l: Worried) => WORRY_LABELS.indexOf(l);
const PRIORITY = LABEL_PRIORITY.map(index);
const SAFETY = index('safety');
const WELLBEING = index('wellbeing');
const ACADEMIC = index('academic');
const COMPLAINT = index('complaint');
/** Below this much evidence, wellbeing yields to academic evidence DOMINANT times stronger. */
const WEAK = 1.5;
const DOMINANT = 1.6;

/** Evidence → 0..1 for display; 1.0 of evidence (the balanced threshold) is about 0.33. */
const squash = (raw: number) => Math.round((1 - Math.exp(-raw / 2.5)) * 1000) / 1000;

class WorryDetector implements Detector {
  private readonly sensitivity: Sensitivity;
  private readonly threshold: number;
  private readonly scorer: Scorer;
  private readonly model: NgramModel | undefined;
  private readonly probabilities = new Float64Array(WORRY_LABELS.length);

  constructor(options: DetectorOptions) {
    this.sensitivity = options.sensitivity ?? 'balanced';
    this.threshold = THRESHOLDS[this.sensitivity];
    this.scorer = new Scorer(compileLexicon(options.extraTerms ?? []));
    this.model = options.secondOpinion === false ? undefined : shippedModel();
  }

  /**
   * `context` may be a function: it is called only when the conversation can change the verdict
   * (a worried message, one the model raises, or a request), as reading it costs queries.
   */
  detect(text: string, context?: DetectorContext | (() => DetectorContext)): Detection {
    const normalised = normalise(text.length > EXAMINED_CHARS ? text.slice(0, EXAMINED_CHARS) : text);
    const evidence = this.scorer.analyse(normalised);
    const { scores } = evidence;
    // Read at most once: the history costs queries.
    let read: DetectorContext | undefined;
    const conversation = context === undefined ? undefined : () => (read ??= typeof context === 'function' ? context() : context);

    // A sign of danger is read with the member's recent ones: 「孩子还没到家」, then 「电话也打不通」.
    const earlier = conversation && scores[SAFETY]! > 0 && !evidence.settled ? this.earlierSafety(conversation()) : undefined;
    if (earlier) {
      scores[SAFETY]! += earlier.score;
      for (const r of earlier.reasons) evidence.reasons.push(`${EARLIER_TAG}:${r}`);
    }
    const reasons = evidence.reasons;
    const label = this.decide(scores);

    if (label === 0 && !evidence.ack && this.modelReads(normalised)) {
      const raised = !evidence.settled
        ? this.secondOpinion(normalised, evidence, conversation)
        : normalised.length >= SETTLED_MIN_LENGTH
          ? this.safetyOpinion(normalised, evidence, SAFETY_SECOND_OPINION[this.sensitivity].overContext)
          : undefined;
      if (raised) return raised;
    }

    if (label === 0) {
      // A request asked again, or nudging an unanswered question, is the first sign of "no one answers".
      const steps = conversation !== undefined && isRequest(normalised) ? this.conversationSteps(normalised, evidence, conversation) : 0;
      if (steps > 0) {
        return { label: 'complaint', severity: SEVERITY_ORDER[steps]!, score: squash(Math.max(scores[COMPLAINT]!, this.threshold)), reasons };
      }
      let strongest = 0;
      for (const s of scores) if (s > strongest) strongest = s;
      return { label: 'none', severity: 'none', score: strongest === 0 ? 0 : squash(strongest), reasons };
    }

    const steps = this.conversationSteps(normalised, evidence, conversation);
    const sure = scores[label]! >= OVERRULE_BELOW * this.threshold && scores[SAFETY] === 0;
    if (label !== SAFETY && !evidence.settled && !sure && this.modelReads(normalised)) {
      const overruled = this.safetyOpinion(normalised, evidence, SAFETY_SECOND_OPINION[this.sensitivity].overWorry);
      if (overruled) return overruled;
    }

    const worried = WORRY_LABELS[label] as Worried;
    const raw = scores[label]!;
    if (worried === 'safety') {
      // Urgent on firm evidence of present danger; a danger repeated (asked again, or a second sign in another message) is firmer.
      const firm = evidence.presentDanger || raw >= URGENT_SAFETY;
      const level = Math.min((firm ? URGENT : HIGH) + steps + (earlier && earlier.alone ? 1 : 0), URGENT);
      return { label: worried, severity: SEVERITY_ORDER[level]!, score: squash(raw), reasons };
    }
    let level = BASE_LEVEL[worried];
    if (raw >= STRONG[worried]) level++;
    if (evidence.urgency >= URGENT_ENOUGH) level++;
    return { label: worried, severity: SEVERITY_ORDER[Math.min(level + steps, HIGH)]!, score: squash(raw), reasons };
  }

  /**
   * Signs of danger in the member's messages of the last SAFETY_CONTEXT_MS (newest five), and
   * whether one of them was a safety message on its own. Undefined when there are none.
   */
  private earlierSafety(context: DetectorContext): { score: number; reasons: string[]; alone: boolean } | undefined {
    const now = context.now;
    let score = 0;
    let alone = false;
    const reasons: string[] = [];
    let read = 0;
    for (const m of context.recent ?? []) {
      if (now !== undefined && (m.timestamp > now || now - m.timestamp > SAFETY_CONTEXT_MS)) continue;
      if (read++ === RECENT_READ) break;
      const found = this.scorer.safetyOf(normalise(m.text.length > EXAMINED_CHARS ? m.text.slice(0, EXAMINED_CHARS) : m.text));
      if (found.score <= 0) continue;
      score += found.score;
      if (found.score >= Math.max(this.threshold, SAFETY_FLOOR)) alone = true;
      for (const r of found.reasons) if (!reasons.includes(r)) reasons.push(r);
    }
    return score > 0 ? { score, reasons, alone } : undefined;
  }

  /** Whether the learned model may give an opinion: it reads sentences, not short texts, punctuation or a unit said over and over. */
  private modelReads(normalised: string): boolean {
    return this.model !== undefined && normalised.length >= MODEL_MIN_LENGTH && hasWords(normalised);
  }

  /**
   * Severity steps from the conversation, reasons added as they are found. A method, not a
   * closure per message: this runs for every message in every group.
   */
  private conversationSteps(normalised: string, evidence: Evidence, context: DetectorContext | (() => DetectorContext) | undefined): number {
    if (evidence.ack || context === undefined) return 0;
    const signals = conversationSignals(normalised, typeof context === 'function' ? context() : context);
    let steps = 0;
    if (signals.repeats > 0) {
      steps++;
      evidence.reasons.push(`重复提问:${signals.repeats}次`);
    }
    if (signals.waitedMs !== undefined && signals.waitedMs >= UNANSWERED_LIMIT_MS[this.sensitivity]) {
      steps++;
      evidence.reasons.push(`久未回复:${Math.floor(signals.waitedMs / 60_000)}分钟`);
    }
    return steps;
  }

  /**
   * The most urgent label with enough evidence (LABELS.md: safety > refund > complaint > wellbeing >
   * academic); but a mood word in passing does not outrank far more academic evidence (「才考了40分，
   * 孩子也很难过」 is academic). Explicit safety, refund and complaint cues are never outranked.
   */
  private decide(scores: Float64Array): number {
    for (const l of PRIORITY) {
      if (scores[l]! < (l === SAFETY ? Math.max(this.threshold, SAFETY_FLOOR) : this.threshold)) continue;
      if (l === WELLBEING && scores[l]! < WEAK && scores[ACADEMIC]! >= DOMINANT * scores[l]!) continue;
      return l;
    }
    return 0;
  }

  /** Safety at high when the model's probability of it reaches `threshold` (its probabilities stay in this.probabilities). */
  private safetyOpinion(normalised: string, evidence: Evidence, threshold: number): Detection | undefined {
    const p = predict(this.model!, normalised, this.probabilities)[SAFETY]!;
    if (p < threshold) return undefined;
    evidence.reasons.push(`模型:${LABEL_TAG.safety}(${p.toFixed(2)})`);
    return { label: 'safety', severity: SEVERITY_ORDER[HIGH]!, score: Math.round(p * 1000) / 1000, reasons: evidence.reasons };
  }

  /** The model may ask for review (low; high for safety), never urgent by itself. */
  private secondOpinion(normalised: string, evidence: Evidence, context: DetectorContext | (() => DetectorContext) | undefined): Detection | undefined {
    const safety = this.safetyOpinion(normalised, evidence, SAFETY_SECOND_OPINION[this.sensitivity].overNone);
    if (safety) return safety;
    const p = this.probabilities;
    const worried = 1 - p[0]!;
    if (worried < MODEL_THRESHOLDS[this.sensitivity]) return undefined;
    // The model says "worried"; which worry also weighs what the lexicon saw below its threshold.
    let guess = 1;
    let best = -1;
    for (let c = 1; c < p.length; c++) {
      const vote = p[c]! + LEXICON_VOTE * Math.min(1, evidence.scores[c]! / this.threshold);
      if (vote > best) {
        best = vote;
        guess = c;
      }
    }
    const label = WORRY_LABELS[guess] as Worried;
    const steps = this.conversationSteps(normalised, evidence, context);
    evidence.reasons.push(`模型:${LABEL_TAG[label]}(${worried.toFixed(2)})`);
    const level = (label === 'safety' ? HIGH : LOW) + steps;
    return { label, severity: SEVERITY_ORDER[Math.min(level, HIGH)]!, score: Math.round(worried * 1000) / 1000, reasons: evidence.reasons };
  }
}

export function createDetector(options: DetectorOptions = {}): Detector {
  return new WorryDetector(options);
}
