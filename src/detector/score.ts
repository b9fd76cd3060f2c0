/**
 * From matches to per-label evidence. One scan of the normalised text gives every lexicon
 * occurrence; this module then decides what each means in its place:
 *
 * 1. gapped phrases are assembled from their parts (in order, one clause, within the gap);
 * 2. neutral phrases void the cues and negators they overlap (打卡 is not 「被…打」);
 * 3. a negator voids a cue starting ≤ 3 characters later in the same clause, unless a contrast
 *    word (但 / 可是) or a new verb phrase (就 / 才) comes between; a negator that a longer cue
 *    continues past (the 不 of 不想上学), or inside a fixed phrase (不知道), is not a negator;
 * 4. degree adverbs multiply the next cue; overlapping cues of one label count once (the
 *    strongest), separate ones add up;
 * 5. worry words go to academic or wellbeing by the topic words around them;
 * 6. context softens non-firm cues: jokes, resolution, third-party or policy questions, topics,
 *    quoted homework, forwarded notices; context before a contrast word does not reach cues after it.
 */
import { MatchBuffer } from './trie.js';
import type { CompiledLexicon, Entry } from './compile.js';
import type { WorryLabel } from './types.js';

export type Worried = Exclude<WorryLabel, 'none'>;

interface Hit {
  entry: Entry;
  start: number;
  end: number;
}

/** Reason tags, in Chinese because assistants read them. */
export const LABEL_TAG: Record<Worried, string> = {
  safety: '安全', refund: '退费', complaint: '投诉', wellbeing: '情绪', academic: '学业',
};
const CONTEXT_TAG = {
  resolved: '已解决', positive: '积极', joke: '玩笑', thirdParty: '代问', policy: '政策咨询', topic: '话题', homework: '作业题', frame: '转发',
} as const;
type ContextKind = keyof typeof CONTEXT_TAG;

/** How much each context softens non-firm cues at full strength (firm cues: only `frame`). */
const SOFTENING: Record<ContextKind, number> = {
  frame: 0.9, topic: 0.8, homework: 0.9, joke: 0.8, resolved: 0.9, positive: 0.6, thirdParty: 0.85, policy: 0.75,
};

const NEGATION_REACH = 3;
/** Evidence a label needs before emoji and urgency add to it. */
const AMPLIFIABLE = 0.8;
const DEGREE_REACH = 2;
const MAX_ACK_LENGTH = 30;

const BOUNDARY = new Uint8Array(65536);
for (const ch of ' ,.!?;:()[]"\'~、。“”‘’「」『』【】《》…—|/\\') BOUNDARY[ch.charCodeAt(0)] = 1;

export interface Evidence {
  scores: Record<Worried, number>;
  /** Sum of urgency cues (capped), already partly added to the leading label. */
  urgency: number;
  /** The message is only acknowledgements. */
  ack: boolean;
  /** Context said plainly that this is not a worry (joke, resolved, forwarded, for a friend…), or a cue was excluded. */
  settled: boolean;
  reasons: string[];
}

const emptyScores = (): Record<Worried, number> => ({ safety: 0, refund: 0, complaint: 0, wellbeing: 0, academic: 0 });

export class Scorer {
  private readonly matches = new MatchBuffer();
  private clause = new Int32Array(256);

  constructor(private readonly lexicon: CompiledLexicon) {}

  analyse(text: string): Evidence {
    const n = text.length;
    if (this.clause.length < n + 1) this.clause = new Int32Array(n * 2 + 1);
    const clause = this.clause;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (BOUNDARY[text.charCodeAt(i)] === 1) c++;
      clause[i] = c;
    }
    clause[n] = c + 1;

    const m = this.matches;
    m.reset();
    this.lexicon.automaton.scan(text, m);

    const byKind = new Map<string, Hit[]>();
    const push = (kind: string, hit: Hit) => {
      const list = byKind.get(kind);
      if (list) list.push(hit);
      else byKind.set(kind, [hit]);
    };
    let parts: Map<number, { k: number; start: number; end: number }[]> | undefined;
    for (let i = 0; i < m.count; i++) {
      const p = m.pattern[i]!;
      const start = m.start[i]!;
      const end = m.end[i]!;
      for (const entry of this.lexicon.entries[p]!) push(entry.kind === 'worry' ? 'cue' : entry.kind, { entry, start, end });
      for (const [rule, k] of this.lexicon.partOf[p]!) {
        parts ??= new Map();
        const list = parts.get(rule);
        if (list) list.push({ k, start, end });
        else parts.set(rule, [{ k, start, end }]);
      }
    }
    if (parts) this.assembleGapped(parts, clause, push);

    const get = (kind: string): Hit[] => byKind.get(kind) ?? NO_HITS;
    const acks = get('ack');
    if (acks.length > 0 && n <= MAX_ACK_LENGTH && onlyAcknowledgement(text, acks)) {
      return { scores: emptyScores(), urgency: 0, ack: true, settled: true, reasons: ['确认语'] };
    }

    const reasons: Reason[] = [];
    const neutrals = get('neutral');
    const spans = get('cue');
    const boundaries = get('boundary');
    const scopeEnds = get('scopeEnd');
    const phrases = get('phrase');
    const degrees = get('degree');
    const negators = get('negator').filter((neg) =>
      !absorbed(neg, spans) && !neutrals.some((u) => overlaps(u, neg)) && !inside(neg, phrases) && !inside(neg, degrees));

    const voidedBy = (hit: Hit): Hit | undefined =>
      neutrals.find((u) => (u.entry.label === undefined || u.entry.label === hit.entry.label) && overlaps(u, hit));
    const negatedBy = (hit: Hit): Hit | undefined =>
      negators.find((neg) =>
        neg.end <= hit.start && hit.start - neg.end <= NEGATION_REACH && clause[neg.start] === clause[hit.start] &&
        !boundaries.some((b) => b.start >= neg.end && b.end <= hit.start) &&
        !scopeEnds.some((b) => b.start >= neg.end && b.end <= hit.start));

    // Context strengths, each with the positions it was found at (contrast words cut its reach).
    const context = new Map<ContextKind, Hit[]>();
    for (const kind of Object.keys(CONTEXT_TAG) as ContextKind[]) {
      const found = get(kind).filter((h) => {
        if (h.entry.atStart && h.start > 1) return false;
        const neg = kind === 'resolved' || kind === 'positive' ? negatedBy(h) : undefined;
        if (neg) {
          reasons.push({ at: h.start, text: `否定:${neg.entry.term}→${h.entry.term}` });
          return false;
        }
        return true;
      });
      if (found.length > 0) {
        context.set(kind, found);
        for (const h of found) reasons.push({ at: h.start, text: `${CONTEXT_TAG[kind]}:${h.entry.term}` });
      }
    }
    const lastContrastBefore = (pos: number): number => {
      let at = -1;
      for (const b of boundaries) if (b.end <= pos && b.start > at) at = b.start;
      return at;
    };
    const softening = (hit: Hit): number => {
      const cut = lastContrastBefore(hit.start);
      let factor = 1;
      for (const [kind, found] of context) {
        if (hit.entry.firm && kind !== 'frame') continue;
        if (kind === 'thirdParty' && hit.entry.label === 'safety') continue;
        if (kind === 'policy' && hit.entry.label !== 'refund') continue;
        let strength = 0;
        for (const h of found) if (h.start > cut) strength += h.entry.weight;
        factor *= 1 - SOFTENING[kind] * Math.min(1, strength);
      }
      return factor;
    };

    // Topic words for worry attribution.
    let academicTopic = 0;
    let wellbeingTopic = 0;
    for (const d of get('domain')) {
      if (d.entry.label === 'academic') academicTopic++;
      else if (d.entry.label === 'wellbeing') wellbeingTopic++;
    }

    const after = get('degreeAfter');
    const scored: { label: Worried; start: number; end: number; weight: number }[] = [];
    let excluded = false;
    const worries: { start: number; end: number; weight: number; fallback: Worried }[] = [];
    for (const hit of spans) {
      const neutral = voidedBy(hit);
      if (neutral) {
        reasons.push({ at: neutral.start, text: `排除:${neutral.entry.term}` });
        if (hit.entry.weight >= 1) excluded = true;
        continue;
      }
      const neg = negatedBy(hit);
      if (neg) {
        reasons.push({ at: hit.start, text: `否定:${neg.entry.term}→${hit.entry.term}` });
        continue;
      }
      let weight = hit.entry.weight;
      let boost = 1;
      for (const d of degrees) {
        if (d.end <= hit.start && hit.start - d.end <= DEGREE_REACH && clause[d.start] === clause[hit.start] && d.entry.weight > boost) {
          boost = d.entry.weight;
        }
      }
      for (const d of after) {
        if (d.start >= hit.end && d.start - hit.end <= 1 && d.entry.weight > boost) boost = d.entry.weight;
      }
      weight *= boost * softening(hit);
      const label = hit.entry.label ?? 'wellbeing';
      if (hit.entry.kind === 'worry') {
        worries.push({ start: hit.start, end: hit.end, weight, fallback: label });
        reasons.push({ at: hit.start, text: `担忧:${hit.entry.term}` });
      } else {
        scored.push({ label, start: hit.start, end: hit.end, weight });
        reasons.push({ at: hit.start, text: `${hit.entry.tag ?? LABEL_TAG[label]}:${hit.entry.term}` });
      }
    }

    const scores = emptyScores();
    addClusters(scored, scores);
    if (worries.length > 0) {
      const label: Worried = academicTopic > wellbeingTopic ? 'academic'
        : wellbeingTopic > academicTopic ? 'wellbeing'
        : scores.academic > scores.wellbeing ? 'academic'
        : scores.wellbeing > 0 ? 'wellbeing'
        : worries[0]!.fallback;
      addClusters(worries.map((h) => ({ ...h, label })), scores);
    }

    for (const d of degrees) reasonIfNear(d, scored, reasons, '程度');
    let distress = 0;
    for (const h of get('distress')) {
      distress += h.entry.weight;
      reasons.push({ at: h.start, text: `表情:${h.entry.term}` });
    }
    let urgency = 0;
    for (const h of get('urgency')) {
      urgency += h.entry.weight;
      reasons.push({ at: h.start, text: `紧急:${h.entry.term}` });
    }
    urgency = Math.min(urgency, 1.5);
    // Emoji amplify real evidence; alone they stay below the threshold.
    const lead = leading(scores);
    if (lead && scores[lead] >= AMPLIFIABLE) {
      scores[lead] += Math.min(distress, 1.2) + Math.min(urgency, 1) * 0.5;
    } else if (!lead) {
      scores.wellbeing += Math.min(distress, 1.8) * 0.5;
    }

    reasons.sort((a, b) => a.at - b.at);
    let settled = excluded;
    for (const [kind, found] of context) {
      if (kind !== 'positive' && found.reduce((sum, h) => sum + h.entry.weight, 0) >= 1) settled = true;
    }
    return { scores, urgency, ack: false, settled, reasons: [...new Set(reasons.map((r) => r.text))] };
  }

  private assembleGapped(
    parts: Map<number, { k: number; start: number; end: number }[]>,
    clause: Int32Array,
    push: (kind: string, hit: Hit) => void,
  ): void {
    for (const [index, found] of parts) {
      const rule = this.lexicon.rules[index]!;
      found.sort((a, b) => a.start - b.start);
      for (const first of found) {
        if (first.k !== 0) continue;
        let end = first.end;
        let k = 1;
        for (const next of found) {
          if (k === rule.parts.length) break;
          if (next.k === k && next.start >= end && next.start - end <= rule.gap && (rule.crossClause || clause[next.start] === clause[first.start])) {
            end = next.end;
            k++;
          }
        }
        if (k === rule.parts.length) {
          push(rule.entry.kind === 'worry' ? 'cue' : rule.entry.kind, { entry: rule.entry, start: first.start, end });
          break;
        }
      }
    }
  }
}

interface Reason {
  at: number;
  text: string;
}

const NO_HITS: Hit[] = [];

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** A negator that a longer cue continues past (不 in 不想上学) belongs to that cue; 没 ending 一次都没 does not. */
function absorbed(neg: Hit, cues: Hit[]): boolean {
  return cues.some((c) => c.start <= neg.start && neg.end < c.end);
}

/** A negator within a fixed phrase or adverb (别 in 特别, 不 in 不知道) is part of it. */
function inside(neg: Hit, terms: Hit[]): boolean {
  return terms.some((t) => t.start <= neg.start && neg.end <= t.end && t.end - t.start > neg.end - neg.start);
}

/** True when acknowledgement terms cover the text, but for punctuation and one stray character (a surname). */
function onlyAcknowledgement(text: string, acks: Hit[]): boolean {
  const covered = new Uint8Array(text.length);
  for (const a of acks) covered.fill(1, a.start, a.end);
  let stray = 0;
  let content = 0;
  for (let i = 0; i < text.length; i++) {
    if (BOUNDARY[text.charCodeAt(i)] === 1) continue;
    content++;
    if (covered[i] === 0) stray++;
  }
  return stray === 0 || (stray === 1 && content <= 10 && content > 1);
}

/** Overlapping evidence for one label counts once, at its strongest; separate evidence adds up. */
function addClusters(hits: { label: Worried; start: number; end: number; weight: number }[], scores: Record<Worried, number>): void {
  const sorted = hits.slice().sort((a, b) => a.start - b.start);
  for (const label of Object.keys(scores) as Worried[]) {
    let end = -1;
    let best = 0;
    for (const h of sorted) {
      if (h.label !== label) continue;
      if (h.start < end) {
        best = Math.max(best, h.weight);
        end = Math.max(end, h.end);
      } else {
        scores[label] += best;
        best = h.weight;
        end = h.end;
      }
    }
    scores[label] += best;
  }
}

function leading(scores: Record<Worried, number>): Worried | undefined {
  let lead: Worried | undefined;
  for (const label of Object.keys(scores) as Worried[]) {
    if (scores[label] > 0 && (lead === undefined || scores[label] > scores[lead])) lead = label;
  }
  return lead;
}

function reasonIfNear(d: Hit, scored: { start: number }[], reasons: Reason[], tag: string): void {
  if (scored.some((s) => s.start >= d.end && s.start - d.end <= DEGREE_REACH)) reasons.push({ at: d.start, text: `${tag}:${d.entry.term}` });
}
