/**
 * From matches to per-label evidence. One scan of the normalised text gives every lexicon
 * occurrence; this module then decides what each means in its place:
 *
 * 1. gapped phrases are assembled when their last part matches, from the latest earlier
 *    occurrences of the other parts (in order, within the gap, in one clause unless allowed);
 * 2. neutral phrases void the cues (of their label) and negators they overlap (打卡 is not 「被…打」);
 * 3. a negator voids a cue starting ≤ 3 characters later in the same clause, unless a contrast
 *    word (但 / 可是) or a new verb phrase (就 / 才) comes between; a negator that a longer cue
 *    continues past (the 不 of 不想上学), or inside a fixed phrase or adverb (不知道, 特别), is
 *    not a negator;
 * 4. degree adverbs multiply the next cue; overlapping cues of one label count once (the
 *    strongest), separate ones add up;
 * 5. worry words go to academic or wellbeing by the topic words around them;
 * 6. context softens non-firm cues: jokes, resolution, good news, third-party or policy
 *    questions, topics, quoted homework, forwarded notices; context before a contrast word does
 *    not reach cues after it.
 *
 * Everything per message lives in reused typed arrays: this runs for every message in every group.
 */
import { MatchBuffer } from './trie.js';
import { K, KINDS, type CompiledLexicon } from './compile.js';
import { WORRY_LABELS, type WorryLabel } from './types.js';

export type Worried = Exclude<WorryLabel, 'none'>;
export { LABEL_TAG } from './compile.js';

/** Context kinds, and how much each softens non-firm cues at full strength (firm cues: only `frame`). */
const CONTEXT_KINDS = [K.frame, K.topic, K.homework, K.joke, K.resolved, K.positive, K.illness, K.thirdParty, K.policy];
const SOFTENING: Record<number, number> = {
  [K.frame]: 0.9, [K.topic]: 0.8, [K.homework]: 0.9, [K.joke]: 0.8, [K.resolved]: 0.9, [K.positive]: 0.6, [K.illness]: 0.6,
  [K.thirdParty]: 0.85, [K.policy]: 0.75,
};

const NEGATION_REACH = 3;
const DEGREE_REACH = 2;
/** Evidence a label needs before emoji and urgency add to it. */
const AMPLIFIABLE = 0.8;
const MAX_ACK_LENGTH = 30;
/** A voided cue at least this strong means the lexicon deliberately set the message aside. */
const DELIBERATE_EXCLUSION = 1;

const SAFETY = WORRY_LABELS.indexOf('safety');
const REFUND = WORRY_LABELS.indexOf('refund');
const ACADEMIC = WORRY_LABELS.indexOf('academic');
const WELLBEING = WORRY_LABELS.indexOf('wellbeing');

const BOUNDARY = new Uint8Array(65536);
for (const ch of ' ,.!?;:()[]"\'~、。“”‘’「」『』【】《》…—|/\\') BOUNDARY[ch.charCodeAt(0)] = 1;

export interface Evidence {
  /** Evidence per label, indexed like WORRY_LABELS (index 0, none, unused). */
  scores: Float64Array;
  /** Sum of urgency cues (capped). */
  urgency: number;
  /** The message is only acknowledgements. */
  ack: boolean;
  /** Context said plainly that this is not a worry (joke, resolved, forwarded, for a friend…), or a cue was deliberately excluded. */
  settled: boolean;
  reasons: string[];
}

function grow(a: Int32Array, size: number): Int32Array {
  if (a.length >= size) return a;
  const b = new Int32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

export class Scorer {
  private readonly matches = new MatchBuffer();
  private clause = new Int32Array(256);
  // Hits: an entry matched at [start, end).
  private hitEntry: Int32Array = new Int32Array(64);
  private hitStart: Int32Array = new Int32Array(64);
  private hitEnd: Int32Array = new Int32Array(64);
  private hits = 0;
  // The latest two occurrences of each pattern in this message (for gapped rules).
  private readonly occGen: Int32Array;
  private readonly occStart: Int32Array;
  private readonly occEnd: Int32Array;
  private readonly prevStart: Int32Array;
  private readonly prevEnd: Int32Array;
  private gen = 0;
  /** Hit indices per kind. */
  private readonly byKind: number[][] = KINDS.map(() => []);
  // Scored cues: label, span, weight.
  private cueLabel: number[] = [];
  private cueStart: number[] = [];
  private cueEnd: number[] = [];
  private cueWeight: number[] = [];
  private reasonAt: number[] = [];
  private reasonText: string[] = [];

  constructor(private readonly lex: CompiledLexicon) {
    const n = lex.patternCount;
    this.occGen = new Int32Array(n);
    this.occStart = new Int32Array(n);
    this.occEnd = new Int32Array(n);
    this.prevStart = new Int32Array(n);
    this.prevEnd = new Int32Array(n).fill(-1);
  }

  analyse(text: string): Evidence {
    this.collectHits(text);
    const lex = this.lex;
    const entries = lex.entries;
    const byKind = this.byKind;
    for (const list of byKind) if (list.length !== 0) list.length = 0;
    const ackPossible = text.length <= MAX_ACK_LENGTH;
    for (let h = 0; h < this.hits; h++) {
      const kind = entries[this.hitEntry[h]!]!.kind;
      if (kind !== K.ack || ackPossible) byKind[kind]!.push(h);
    }

    const scores = new Float64Array(WORRY_LABELS.length);
    if (byKind[K.ack]!.length > 0 && this.onlyAcknowledgement(text)) {
      return { scores, urgency: 0, ack: true, settled: true, reasons: ['确认语'] };
    }
    this.reasonAt.length = 0;
    this.reasonText.length = 0;
    this.cueLabel.length = 0;
    this.cueStart.length = 0;
    this.cueEnd.length = 0;
    this.cueWeight.length = 0;

    const cues = byKind[K.cue]!;
    const worries = byKind[K.worry]!;
    if (cues.length + worries.length + byKind[K.distress]!.length + byKind[K.urgency]!.length === 0) {
      // Nothing worrying was said; context still matters to the second opinion.
      return { scores, urgency: 0, ack: false, settled: this.contextSettles(), reasons: [] };
    }

    // Negators that are really negators.
    const negators = byKind[K.negator]!;
    let kept = 0;
    for (const h of negators) {
      if (this.absorbed(h)) continue;
      negators[kept++] = h;
    }
    negators.length = kept;

    // Context strengths, each kept with its hits (a contrast word cuts its reach).
    let settled = false;
    for (const kind of CONTEXT_KINDS) {
      const list = byKind[kind]!;
      let n = 0;
      let strength = 0;
      for (const h of list) {
        const e = entries[this.hitEntry[h]!]!;
        if (e.atStart && this.hitStart[h]! > 1) continue;
        if (kind === K.resolved || kind === K.positive) {
          const neg = this.negatorOf(h);
          if (neg >= 0) {
            this.reason(this.hitStart[h]!, `否定:${entries[this.hitEntry[neg]!]!.term}→${e.term}`);
            continue;
          }
        }
        list[n++] = h;
        strength += e.weight;
        this.reason(this.hitStart[h]!, e.reason);
      }
      list.length = n;
      if (kind !== K.positive && kind !== K.illness && strength >= 1) settled = true;
    }

    // Topic words for worry attribution.
    let academicTopic = 0;
    let wellbeingTopic = 0;
    for (const h of byKind[K.domain]!) {
      if (entries[this.hitEntry[h]!]!.label === ACADEMIC) academicTopic++;
      else wellbeingTopic++;
    }

    let worryWeight = 0;
    let worryFallback = WELLBEING;
    const worryFrom = this.cueLabel.length;
    for (const list of [cues, worries]) {
      for (const h of list) {
        const e = entries[this.hitEntry[h]!]!;
        const start = this.hitStart[h]!;
        const neutral = this.neutralOver(h, e.label);
        if (neutral >= 0) {
          this.reason(this.hitStart[neutral]!, entries[this.hitEntry[neutral]!]!.reason);
          if (e.weight >= DELIBERATE_EXCLUSION) settled = true;
          continue;
        }
        const neg = this.negatorOf(h);
        if (neg >= 0) {
          this.reason(start, `否定:${entries[this.hitEntry[neg]!]!.term}→${e.term}`);
          continue;
        }
        const weight = e.weight * this.degreeOf(h) * this.softening(h);
        this.reason(start, e.reason);
        if (e.kind === K.worry) {
          worryWeight += weight;
          worryFallback = e.label;
        }
        this.cueLabel.push(e.kind === K.worry ? -1 : e.label);
        this.cueStart.push(start);
        this.cueEnd.push(this.hitEnd[h]!);
        this.cueWeight.push(weight);
      }
    }
    this.addClusters(scores, worryFrom);
    if (worryWeight > 0) {
      const label = academicTopic > wellbeingTopic ? ACADEMIC
        : wellbeingTopic > academicTopic ? WELLBEING
        : scores[ACADEMIC]! > scores[WELLBEING]! ? ACADEMIC
        : scores[WELLBEING]! > 0 ? WELLBEING
        : worryFallback;
      for (let i = 0; i < this.cueLabel.length; i++) if (this.cueLabel[i] === -1) this.cueLabel[i] = label;
      scores.fill(0);
      this.addClusters(scores, 0);
    }

    let distress = 0;
    for (const h of byKind[K.distress]!) {
      distress += entries[this.hitEntry[h]!]!.weight;
      this.reason(this.hitStart[h]!, entries[this.hitEntry[h]!]!.reason);
    }
    let urgency = 0;
    for (const h of byKind[K.urgency]!) {
      urgency += entries[this.hitEntry[h]!]!.weight;
      this.reason(this.hitStart[h]!, entries[this.hitEntry[h]!]!.reason);
    }
    urgency = Math.min(urgency, 1.5);
    // Emoji and urgency amplify real evidence; emoji alone stay below the threshold.
    let lead = 0;
    for (let l = 1; l < scores.length; l++) if (scores[l]! > scores[lead]!) lead = l;
    if (lead > 0 && scores[lead]! >= AMPLIFIABLE) scores[lead]! += Math.min(distress, 1.2) + Math.min(urgency, 1) * 0.5;
    else if (lead === 0) scores[WELLBEING]! += Math.min(distress, 1.8) * 0.5;

    return { scores, urgency, ack: false, settled, reasons: this.sortedReasons() };
  }

  /** Scan, then turn matches into hits (single terms, and gapped rules completed by this match). */
  private collectHits(text: string): void {
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
    this.lex.automaton.scan(text, m);
    const lex = this.lex;
    this.hits = 0;
    const gen = ++this.gen;
    for (let i = 0; i < m.count; i++) {
      const p = m.pattern[i]!;
      const start = m.start[i]!;
      const end = m.end[i]!;
      for (let k = lex.entryStart[p]!; k < lex.entryStart[p + 1]!; k++) this.pushHit(lex.entryIds[k]!, start, end);
      for (let k = lex.lastStart[p]!; k < lex.lastStart[p + 1]!; k++) {
        const r = lex.lastRules[k]!;
        const from = this.assemble(r, start, gen);
        if (from >= 0) this.pushHit(lex.ruleEntry[r]!, from, end);
      }
      if (lex.innerPart[p] === 1) {
        if (this.occGen[p] === gen) {
          this.prevStart[p] = this.occStart[p]!;
          this.prevEnd[p] = this.occEnd[p]!;
        } else {
          this.occGen[p] = gen;
          this.prevEnd[p] = -1;
        }
        this.occStart[p] = start;
        this.occEnd[p] = end;
      }
    }
  }

  /** Start of gapped rule r if its earlier parts precede a last part starting at `lastStart`; else -1. */
  private assemble(r: number, lastStart: number, gen: number): number {
    const lex = this.lex;
    const gap = lex.ruleGap[r]!;
    const cross = lex.ruleCross[r] === 1;
    const clause = this.clause[lastStart]!;
    let cur = lastStart;
    for (let k = lex.partStart[r + 1]! - 2; k >= lex.partStart[r]!; k--) {
      const p = lex.ruleParts[k]!;
      if (this.occGen[p] !== gen) return -1;
      let s = this.occStart[p]!;
      let e = this.occEnd[p]!;
      if (e > cur) {
        s = this.prevStart[p]!;
        e = this.prevEnd[p]!;
        if (e < 0 || e > cur) return -1;
      }
      if (cur - e > gap || (!cross && this.clause[s] !== clause)) return -1;
      cur = s;
    }
    return cur;
  }

  private pushHit(entry: number, start: number, end: number): void {
    if (this.hits === this.hitEntry.length) {
      this.hitEntry = grow(this.hitEntry, this.hits + 1);
      this.hitStart = grow(this.hitStart, this.hits + 1);
      this.hitEnd = grow(this.hitEnd, this.hits + 1);
    }
    this.hitEntry[this.hits] = entry;
    this.hitStart[this.hits] = start;
    this.hitEnd[this.hits] = end;
    this.hits++;
  }

  private reason(at: number, text: string): void {
    this.reasonAt.push(at);
    this.reasonText.push(text);
  }

  private sortedReasons(): string[] {
    const order = this.reasonAt.map((_, i) => i).sort((a, b) => this.reasonAt[a]! - this.reasonAt[b]! || a - b);
    const out: string[] = [];
    for (const i of order) {
      const t = this.reasonText[i]!;
      if (!out.includes(t)) out.push(t);
    }
    return out;
  }

  /** True when acknowledgement terms cover the text, but for punctuation and one stray character (a surname). */
  private onlyAcknowledgement(text: string): boolean {
    let stray = 0;
    let content = 0;
    const acks = this.byKind[K.ack]!;
    for (let i = 0; i < text.length; i++) {
      if (BOUNDARY[text.charCodeAt(i)] === 1) continue;
      content++;
      let covered = false;
      for (const h of acks) {
        if (this.hitStart[h]! <= i && i < this.hitEnd[h]!) {
          covered = true;
          break;
        }
      }
      if (!covered) stray++;
    }
    return stray === 0 || (stray === 1 && content > 1 && content <= 10);
  }

  /** A negator inside a longer cue that continues past it, a fixed phrase, an adverb or a neutral phrase negates nothing. */
  private absorbed(h: number): boolean {
    const s = this.hitStart[h]!;
    const e = this.hitEnd[h]!;
    for (const list of [this.byKind[K.cue]!, this.byKind[K.worry]!]) {
      for (const c of list) if (this.hitStart[c]! <= s && e < this.hitEnd[c]!) return true;
    }
    for (const list of [this.byKind[K.phrase]!, this.byKind[K.degree]!]) {
      for (const c of list) if (this.hitStart[c]! <= s && e <= this.hitEnd[c]! && this.hitEnd[c]! - this.hitStart[c]! > e - s) return true;
    }
    for (const c of this.byKind[K.neutral]!) if (this.hitStart[c]! < e && s < this.hitEnd[c]!) return true;
    return false;
  }

  /** The negator that negates hit h (the closest, longest one), or -1. */
  private negatorOf(h: number): number {
    const start = this.hitStart[h]!;
    let found = -1;
    for (const n of this.byKind[K.negator]!) {
      const end = this.hitEnd[n]!;
      if (end > start || start - end > NEGATION_REACH || this.clause[this.hitStart[n]!] !== this.clause[start]) continue;
      if (this.between(K.boundary, end, start) || this.between(K.scopeEnd, end, start)) continue;
      if (found < 0 || end > this.hitEnd[found]! || (end === this.hitEnd[found]! && this.hitStart[n]! < this.hitStart[found]!)) found = n;
    }
    return found;
  }

  private between(kind: number, from: number, to: number): boolean {
    for (const b of this.byKind[kind]!) if (this.hitStart[b]! >= from && this.hitEnd[b]! <= to) return true;
    return false;
  }

  /** A neutral phrase overlapping hit h that voids cues of `label`, or -1. */
  private neutralOver(h: number, label: number): number {
    const s = this.hitStart[h]!;
    const e = this.hitEnd[h]!;
    for (const u of this.byKind[K.neutral]!) {
      const l = this.lex.entries[this.hitEntry[u]!]!.label;
      if ((l === 0 || l === label) && this.hitStart[u]! < e && s < this.hitEnd[u]!) return u;
    }
    return -1;
  }

  /** The strongest degree adverb right before hit h (or complement right after), as a multiplier. */
  private degreeOf(h: number): number {
    const s = this.hitStart[h]!;
    let boost = 1;
    for (const d of this.byKind[K.degree]!) {
      const w = this.lex.entries[this.hitEntry[d]!]!.weight;
      const end = this.hitEnd[d]!;
      if (end <= s && s - end <= DEGREE_REACH && this.clause[this.hitStart[d]!] === this.clause[s] && w > boost) {
        boost = w;
        this.reason(this.hitStart[d]!, this.lex.entries[this.hitEntry[d]!]!.reason);
      }
    }
    for (const d of this.byKind[K.degreeAfter]!) {
      const w = this.lex.entries[this.hitEntry[d]!]!.weight;
      const start = this.hitStart[d]!;
      if (start >= this.hitEnd[h]! && start - this.hitEnd[h]! <= 1 && w > boost) boost = w;
    }
    return boost;
  }

  /** Product of the context softenings that reach hit h. */
  private softening(h: number): number {
    const entry = this.lex.entries[this.hitEntry[h]!]!;
    const start = this.hitStart[h]!;
    let cut = -1;
    for (const b of this.byKind[K.boundary]!) if (this.hitEnd[b]! <= start && this.hitStart[b]! > cut) cut = this.hitStart[b]!;
    let factor = 1;
    for (const kind of CONTEXT_KINDS) {
      if (entry.firm && kind !== K.frame) continue;
      if (kind === K.thirdParty && entry.label === SAFETY) continue;
      if (kind === K.policy && entry.label !== REFUND) continue;
      let strength = 0;
      for (const c of this.byKind[kind]!) if (this.hitStart[c]! > cut) strength += this.lex.entries[this.hitEntry[c]!]!.weight;
      if (strength > 0) factor *= 1 - SOFTENING[kind]! * Math.min(1, strength);
    }
    return factor;
  }

  /** Whether context alone (no cue at all) says the message is settled. */
  private contextSettles(): boolean {
    for (const kind of CONTEXT_KINDS) {
      if (kind === K.positive || kind === K.illness) continue;
      let strength = 0;
      for (const h of this.byKind[kind]!) {
        const e = this.lex.entries[this.hitEntry[h]!]!;
        if (!(e.atStart && this.hitStart[h]! > 1)) strength += e.weight;
      }
      if (strength >= 1) return true;
    }
    return false;
  }

  /** Overlapping evidence for one label counts once, at its strongest; separate evidence adds up. */
  private addClusters(scores: Float64Array, from: number): void {
    const n = this.cueLabel.length;
    for (let label = 1; label < scores.length; label++) {
      // Cues arrive roughly in order of end; sort this label's few by start.
      const idx: number[] = [];
      for (let i = from; i < n; i++) if (this.cueLabel[i] === label) idx.push(i);
      if (idx.length === 0) continue;
      idx.sort((a, b) => this.cueStart[a]! - this.cueStart[b]!);
      let end = -1;
      let best = 0;
      for (const i of idx) {
        if (this.cueStart[i]! < end) {
          if (this.cueWeight[i]! > best) best = this.cueWeight[i]!;
          if (this.cueEnd[i]! > end) end = this.cueEnd[i]!;
        } else {
          scores[label]! += best;
          best = this.cueWeight[i]!;
          end = this.cueEnd[i]!;
        }
      }
      scores[label]! += best;
    }
  }
}
