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
 * Hits come out of the scan in order of end, so "the hits of a kind near position p" is a binary
 * search and a short walk (no hit of a kind spans more than its kindSpan): every step is linear in
 * the text, however long and repetitive (64k characters of 「说好的」 are 100,000 matches).
 */
import { MatchBuffer } from './trie.js';
import { K, KINDS, LABEL_TAG, type CompiledLexicon } from './compile.js';
import { WORRY_LABELS, type WorryLabel } from './types.js';
import { BOUNDARY, NEGATION_REACH } from './scope.js';

export type Worried = Exclude<WorryLabel, 'none'>;
export { LABEL_TAG } from './compile.js';

/** Context kinds, and how much each softens non-firm cues at full strength (firm cues: only `frame`). */
const CONTEXT_KINDS = [K.frame, K.topic, K.homework, K.joke, K.resolved, K.positive, K.illness, K.thirdParty, K.policy];
const SOFTENING: Record<number, number> = {
  [K.frame]: 0.9, [K.topic]: 0.8, [K.homework]: 0.9, [K.joke]: 0.8, [K.resolved]: 0.9, [K.positive]: 0.6, [K.illness]: 0.6,
  [K.thirdParty]: 0.85, [K.policy]: 0.75,
};

const DEGREE_REACH = 2;
/** Evidence a label needs before emoji and urgency add to it. */
const AMPLIFIABLE = 0.8;
const MAX_ACK_LENGTH = 30;
/** A voided cue at least this strong means the lexicon deliberately set the message aside. */
const DELIBERATE_EXCLUSION = 1;

/** Kinds that make a worry; without any, the scorer takes its short path. */
const CUES = (1 << K.cue) | (1 << K.worry);
const { ack: ACK, cue: CUE, worry: WORRY, negator: NEGATOR, boundary: BOUNDARY_KIND, scopeEnd: SCOPE_END, degree: DEGREE,
  degreeAfter: DEGREE_AFTER, urgency: URGENCY, distress: DISTRESS, resolved: RESOLVED, positive: POSITIVE, illness: ILLNESS,
  thirdParty: THIRD_PARTY, policy: POLICY, frame: FRAME, neutral: NEUTRAL, phrase: PHRASE, domain: DOMAIN } = K;

const SAFETY = WORRY_LABELS.indexOf('safety');
const REFUND = WORRY_LABELS.indexOf('refund');
const ACADEMIC = WORRY_LABELS.indexOf('academic');
const WELLBEING = WORRY_LABELS.indexOf('wellbeing');

/** Sentence particles an acknowledgement may carry (好的呀, 收到啦). */
const PARTICLE = new Uint8Array(65536);
for (const ch of '了的啊呀啦呢嘛哈哦噢吧哇滴哒喔') PARTICLE[ch.charCodeAt(0)] = 1;

/** What the scorer found; the object and its arrays are reused by the next call, so read it at once. */
export interface Evidence {
  /** Evidence per label, indexed like WORRY_LABELS (index 0, none, unused). */
  scores: Float64Array;
  /** Sum of urgency cues (capped). */
  urgency: number;
  /** The message is only acknowledgements. */
  ack: boolean;
  /** Context said plainly that this is not a worry (joke, resolved, forwarded, for a friend…), or a cue was deliberately excluded. */
  settled: boolean;
  /** An unsoftened safety cue that is present danger on its own counted (self-harm, abuse, a child named missing). */
  presentDanger: boolean;
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
  /** The text being analysed, and the text `clause` was computed for. */
  private text = '';
  private clausesFor: string | undefined;
  // Hits: an entry matched at [start, end).
  private hitEntry: Int32Array = new Int32Array(64);
  private hitStart: Int32Array = new Int32Array(64);
  private hitEnd: Int32Array = new Int32Array(64);
  private hits = 0;
  /** Bit k set when a hit of kind k was found in this message. */
  private seen = 0;
  /** Characters covered by acknowledgement terms (only messages up to MAX_ACK_LENGTH). */
  private readonly covered = new Uint8Array(MAX_ACK_LENGTH + 1);
  /** Summed weight of each kind's hits in this message (before negation). */
  private readonly kindWeight = new Float64Array(KINDS.length);
  // The latest two occurrences of each pattern in this message (for gapped rules).
  private readonly occGen: Int32Array;
  private readonly occStart: Int32Array;
  private readonly occEnd: Int32Array;
  private readonly prevStart: Int32Array;
  private readonly prevEnd: Int32Array;
  private gen = 0;
  /** Distinct earlier parts of gapped rules seen so far in this message, in order of first occurrence. */
  private innerSeen: Int32Array = new Int32Array(16);
  private innerCount = 0;
  // Hits bucketed by kind: the hits of kind k are kindHits[kindFrom[k] .. kindTo[k]).
  private kindHits: Int32Array = new Int32Array(64);
  private readonly kindFrom = new Int32Array(KINDS.length + 1);
  private readonly kindTo = new Int32Array(KINDS.length);
  // Scored cues: label (-1 for a worry word not yet attributed), span, weight.
  private cueLabel: Int32Array = new Int32Array(32);
  private cueStart: Int32Array = new Int32Array(32);
  private cueEnd: Int32Array = new Int32Array(32);
  private cueWeight: Float64Array = new Float64Array(32);
  private cues = 0;
  private reasonAt: Int32Array = new Int32Array(32);
  private readonly reasonText: string[] = [];
  private reasons = 0;
  private order: Int32Array = new Int32Array(32);
  /** Counting-sort buckets, one per text position. */
  private slots: Int32Array = new Int32Array(64);
  /** For boundary hit kindHits[x]: the latest start of a boundary hit at or before x (where context stops reaching). */
  private cutAt: Int32Array = new Int32Array(64);
  private readonly evidence: Evidence = { scores: new Float64Array(WORRY_LABELS.length), urgency: 0, ack: false, settled: false, presentDanger: false, reasons: [] };

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
    const evidence = this.evidence;
    const scores = evidence.scores;
    scores.fill(0);
    evidence.urgency = 0;
    evidence.ack = false;
    evidence.presentDanger = false;
    if ((this.seen & (1 << ACK)) !== 0 && this.onlyAcknowledgement(text)) {
      evidence.ack = true;
      evidence.settled = true;
      evidence.reasons = ['确认语'];
      return evidence;
    }
    if ((this.seen & CUES) === 0) {
      // The common case: no worry cue. Emoji alone stay below the balanced threshold; context
      // still matters to the second opinion.
      evidence.settled = this.contextSettles();
      evidence.urgency = Math.min(this.kindWeight[URGENCY]!, 1.5);
      const distress = this.kindWeight[DISTRESS]!;
      scores[WELLBEING] = Math.min(distress, 1.8) * 0.5;
      evidence.reasons = distress > 0 ? this.reasonsOfKind(DISTRESS) : [];
      return evidence;
    }

    this.bucketByKind();
    this.reasons = 0;
    this.cues = 0;
    const { kindHits, kindFrom, kindTo, hitEntry, hitStart, hitEnd } = this;
    if (this.cutAt.length < this.kindHits.length) this.cutAt = new Int32Array(this.kindHits.length);
    for (let x = kindFrom[BOUNDARY_KIND]!, cut = -1; x < kindTo[BOUNDARY_KIND]!; x++) {
      cut = Math.max(cut, hitStart[kindHits[x]!]!);
      this.cutAt[x] = cut;
    }

    // Negators that are really negators.
    let kept = kindFrom[NEGATOR]!;
    for (let x = kindFrom[NEGATOR]!; x < kindTo[NEGATOR]!; x++) {
      const h = kindHits[x]!;
      if (!this.absorbed(h)) kindHits[kept++] = h;
    }
    kindTo[NEGATOR] = kept;

    // Context, without negated resolution (还没解决) or good news (不开心); a contrast word cuts its reach (see softening).
    let settled = false;
    for (const kind of CONTEXT_KINDS) {
      let n = kindFrom[kind]!;
      let strength = 0;
      for (let x = kindFrom[kind]!; x < kindTo[kind]!; x++) {
        const h = kindHits[x]!;
        const e = entries[hitEntry[h]!]!;
        if (e.atStart && hitStart[h]! > 1) continue;
        if (this.partOfLonger(h)) continue;
        if (kind === RESOLVED || kind === POSITIVE) {
          const neg = this.negatorOf(h);
          if (neg >= 0) {
            this.reason(hitStart[h]!, `否定:${entries[hitEntry[neg]!]!.term}→${e.term}`);
            continue;
          }
        }
        kindHits[n++] = h;
        strength += e.weight;
        this.reason(hitStart[h]!, e.reason);
      }
      kindTo[kind] = n;
      if (kind !== POSITIVE && kind !== ILLNESS && strength >= 1) settled = true;
    }

    // Topic words for worry attribution.
    let academicTopic = 0;
    let wellbeingTopic = 0;
    for (let x = kindFrom[DOMAIN]!; x < kindTo[DOMAIN]!; x++) {
      if (entries[hitEntry[kindHits[x]!]!]!.label === ACADEMIC) academicTopic++;
      else wellbeingTopic++;
    }

    let worryWeight = 0;
    let worryFallback = WELLBEING;
    for (const kind of [CUE, WORRY]) {
      for (let x = kindFrom[kind]!; x < kindTo[kind]!; x++) {
        const h = kindHits[x]!;
        const e = entries[hitEntry[h]!]!;
        const start = hitStart[h]!;
        const neutral = this.neutralOver(h, e.label);
        if (neutral >= 0) {
          const exclusion = entries[hitEntry[neutral]!]!;
          this.reason(hitStart[neutral]!, exclusion.reason);
          // A strong cue set aside, or a phrase excluding every label (是不是印错), is a deliberate call.
          if (e.weight >= DELIBERATE_EXCLUSION || exclusion.label === 0) settled = true;
          continue;
        }
        const neg = this.negatorOf(h);
        if (neg >= 0) {
          this.reason(start, `否定:${entries[hitEntry[neg]!]!.term}→${e.term}`);
          continue;
        }
        const softening = this.softening(h);
        const weight = e.weight * this.degreeOf(h) * softening;
        if (e.present && e.label === SAFETY && softening === 1) evidence.presentDanger = true;
        this.reason(start, e.reason);
        if (kind === WORRY) {
          worryWeight += weight;
          worryFallback = e.label;
        }
        this.addCue(kind === WORRY ? -1 : e.label, start, hitEnd[h]!, weight);
      }
    }
    this.addClusters(scores);
    if (worryWeight > 0) {
      const label = academicTopic > wellbeingTopic ? ACADEMIC
        : wellbeingTopic > academicTopic ? WELLBEING
        : scores[ACADEMIC]! > scores[WELLBEING]! ? ACADEMIC
        : scores[WELLBEING]! > 0 ? WELLBEING
        : worryFallback;
      for (let i = 0; i < this.cues; i++) if (this.cueLabel[i] === -1) this.cueLabel[i] = label;
      scores.fill(0);
      this.addClusters(scores);
    }

    for (const kind of [DISTRESS, URGENCY]) {
      for (let x = kindFrom[kind]!; x < kindTo[kind]!; x++) this.reason(hitStart[kindHits[x]!]!, entries[hitEntry[kindHits[x]!]!]!.reason);
    }
    const distress = this.kindWeight[DISTRESS]!;
    const urgency = Math.min(this.kindWeight[URGENCY]!, 1.5);
    // Emoji and urgency amplify real evidence; emoji alone stay below the threshold.
    let lead = 0;
    for (let l = 1; l < scores.length; l++) if (scores[l]! > scores[lead]!) lead = l;
    if (lead > 0 && scores[lead]! >= AMPLIFIABLE) scores[lead]! += Math.min(distress, 1.2) + Math.min(urgency, 1) * 0.5;
    else if (lead === 0) scores[WELLBEING]! += Math.min(distress, 1.8) * 0.5;

    evidence.urgency = urgency;
    evidence.settled = settled;
    evidence.reasons = this.sortedReasons();
    return evidence;
  }

  /**
   * The safety evidence of another text (a member's earlier message) and its safety reasons,
   * leaving the evidence of the text analysed last as it was.
   */
  safetyOf(text: string): { score: number; reasons: string[] } {
    // The scores array is restored in place: the caller holds it.
    const { scores, ...fields } = this.evidence;
    const keptScores = Float64Array.from(scores);
    const other = this.analyse(text);
    const score = other.settled ? 0 : other.scores[SAFETY]!;
    const reasons = score > 0 ? other.reasons.filter((r) => r.startsWith(`${LABEL_TAG.safety}:`)) : [];
    scores.set(keptScores);
    Object.assign(this.evidence, fields);
    return { score, reasons };
  }

  /** Counting sort of this message's hits by kind. */
  private bucketByKind(): void {
    const kinds = this.lex.entryKind;
    const from = this.kindFrom;
    const to = this.kindTo;
    from.fill(0);
    for (let h = 0; h < this.hits; h++) from[kinds[this.hitEntry[h]!]! + 1]!++;
    for (let k = 0; k < KINDS.length; k++) {
      from[k + 1]! += from[k]!;
      to[k] = from[k]!;
    }
    if (this.kindHits.length < this.hits) this.kindHits = new Int32Array(this.hitEntry.length);
    for (let h = 0; h < this.hits; h++) {
      const k = kinds[this.hitEntry[h]!]!;
      this.kindHits[to[k]!++] = h;
    }
  }

  /** Scan, then turn matches into hits (single terms, and gapped rules completed by this match). */
  private collectHits(text: string): void {
    const n = text.length;
    this.text = text;
    this.clausesFor = undefined;
    const m = this.matches;
    m.reset();
    const lex = this.lex;
    lex.automaton.scan(text, m);
    const { entryStart, entryIds, entryKind, entryWeight, entryAtStart, pairFilter, pairStart, pairRules, patternCount, ruleEntry, innerPart } = lex;
    const weights = this.kindWeight;
    weights.fill(0);
    this.hits = 0;
    this.innerCount = 0;
    let seen = 0;
    const skipAcks = n > MAX_ACK_LENGTH;
    const gen = ++this.gen;
    // Room for every single-term meaning of every match; gapped completions go through pushHit.
    if (this.hitEntry.length < m.count * 3 + 8) this.reserveHits(m.count * 3 + 8);
    const { hitEntry, hitStart, hitEnd } = this;
    for (let i = 0; i < m.count; i++) {
      const p = m.pattern[i]!;
      const start = m.start[i]!;
      const end = m.end[i]!;
      for (let k = entryStart[p]!, to = entryStart[p + 1]!; k < to; k++) {
        const entry = entryIds[k]!;
        const kind = entryKind[entry]!;
        if (kind === ACK && skipAcks) continue;
        seen |= 1 << kind;
        if (entryAtStart[entry] === 0 || start <= 1) weights[kind]! += entryWeight[entry]!;
        if (this.hits === hitEntry.length) {
          this.pushHit(entry, start, end);
          continue;
        }
        hitEntry[this.hits] = entry;
        hitStart[this.hits] = start;
        hitEnd[this.hits] = end;
        this.hits++;
      }
      const filter = pairFilter[p]!;
      if (filter !== 0) {
        // Only rules whose penultimate part already occurred can complete here.
        for (let j = 0; j < this.innerCount; j++) {
          const q = this.innerSeen[j]!;
          if (((filter >>> (q & 31)) & 1) === 0) continue;
          const at = pairStart.get(q * patternCount + p);
          if (at === undefined) continue;
          for (let k = at + 1, to = at + 1 + pairRules[at]!; k < to; k++) {
            const r = pairRules[k]!;
            const from = this.assemble(r, start, gen);
            if (from < 0) continue;
            const entry = ruleEntry[r]!;
            const kind = entryKind[entry]!;
            seen |= 1 << kind;
            weights[kind]! += entryWeight[entry]!;
            this.pushHit(entry, from, end);
          }
        }
      }
      if (innerPart[p] === 1) {
        if (this.occGen[p] === gen) {
          this.prevStart[p] = this.occStart[p]!;
          this.prevEnd[p] = this.occEnd[p]!;
        } else {
          this.occGen[p] = gen;
          this.prevEnd[p] = -1;
          if (this.innerCount === this.innerSeen.length) this.innerSeen = grow(this.innerSeen, this.innerCount + 1);
          this.innerSeen[this.innerCount++] = p;
        }
        this.occStart[p] = start;
        this.occEnd[p] = end;
      }
    }
    this.seen = seen;
  }

  /** Start of gapped rule r if its earlier parts precede a last part starting at `lastStart`; else -1. */
  private assemble(r: number, lastStart: number, gen: number): number {
    const lex = this.lex;
    const gap = lex.ruleGap[r]!;
    const cross = lex.ruleCross[r] === 1;
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
      if (cur - e > gap) return -1;
      if (!cross) {
        const clause = this.clauses();
        if (clause[s] !== clause[lastStart]) return -1;
      }
      cur = s;
    }
    return cur;
  }

  /** Clause number of each position of the current text (boundaries start a new clause), computed when first needed. */
  private clauses(): Int32Array {
    if (this.clausesFor === this.text) return this.clause;
    const text = this.text;
    const n = text.length;
    if (this.clause.length < n + 1) this.clause = new Int32Array(n * 2 + 1);
    const clause = this.clause;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (BOUNDARY[text.charCodeAt(i)] === 1) c++;
      clause[i] = c;
    }
    clause[n] = c + 1;
    this.clausesFor = text;
    return clause;
  }

  private reserveHits(size: number): void {
    this.hitEntry = grow(this.hitEntry, size);
    this.hitStart = grow(this.hitStart, size);
    this.hitEnd = grow(this.hitEnd, size);
  }

  private pushHit(entry: number, start: number, end: number): void {
    if (this.hits === this.hitEntry.length) this.reserveHits(this.hits + 1);
    this.hitEntry[this.hits] = entry;
    this.hitStart[this.hits] = start;
    this.hitEnd[this.hits] = end;
    this.hits++;
  }

  private addCue(label: number, start: number, end: number, weight: number): void {
    if (this.cues === this.cueLabel.length) {
      this.cueLabel = grow(this.cueLabel, this.cues + 1);
      this.cueStart = grow(this.cueStart, this.cues + 1);
      this.cueEnd = grow(this.cueEnd, this.cues + 1);
      const w = new Float64Array(this.cueLabel.length);
      w.set(this.cueWeight);
      this.cueWeight = w;
    }
    this.cueLabel[this.cues] = label;
    this.cueStart[this.cues] = start;
    this.cueEnd[this.cues] = end;
    this.cueWeight[this.cues] = weight;
    this.cues++;
  }

  private reason(at: number, text: string): void {
    if (this.reasons === this.reasonAt.length) this.reasonAt = grow(this.reasonAt, this.reasons + 1);
    this.reasonAt[this.reasons] = at;
    this.reasonText[this.reasons] = text;
    this.reasons++;
  }

  /** Indices 0..n-1 ordered by key, a position in the text (counting sort: stable, and linear however many there are). */
  private orderBy(key: Int32Array, n: number): Int32Array {
    const size = this.text.length + 2;
    if (this.order.length < n) this.order = new Int32Array(n * 2);
    if (this.slots.length < size) this.slots = new Int32Array(size * 2);
    const { order, slots } = this;
    slots.fill(0, 0, size);
    for (let i = 0; i < n; i++) slots[key[i]! + 1]!++;
    for (let p = 1; p < size; p++) slots[p]! += slots[p - 1]!;
    for (let i = 0; i < n; i++) order[slots[key[i]!]!++] = i;
    return order;
  }

  /** Reasons in reading order, without repeats. */
  private sortedReasons(): string[] {
    const order = this.orderBy(this.reasonAt, this.reasons);
    const out = new Set<string>();
    for (let i = 0; i < this.reasons; i++) out.add(this.reasonText[order[i]!]!);
    return [...out];
  }

  /** Index in kindHits of the first hit of `kind` ending at or after `pos` (a kind's hits are in order of end). */
  private firstEnding(kind: number, pos: number): number {
    const { kindHits, hitEnd } = this;
    let lo = this.kindFrom[kind]!;
    let hi = this.kindTo[kind]!;
    while (hi - lo > 8) {
      const mid = (lo + hi) >>> 1;
      if (hitEnd[kindHits[mid]!]! < pos) lo = mid + 1;
      else hi = mid;
    }
    while (lo < hi && hitEnd[kindHits[lo]!]! < pos) lo++; // most messages have a handful of hits per kind
    return lo;
  }

  /** A hit of `kind` containing [s, e) and longer than it, or (`strictEnd`) ending after e; -1 if none. */
  private container(kind: number, s: number, e: number, strictEnd: boolean): number {
    const { kindHits, hitStart, hitEnd } = this;
    const last = s + this.lex.kindSpan[kind]!;
    for (let x = this.firstEnding(kind, strictEnd ? e + 1 : e), to = this.kindTo[kind]!; x < to; x++) {
      const c = kindHits[x]!;
      if (hitEnd[c]! > last) break;
      if (hitStart[c]! <= s && (strictEnd || hitEnd[c]! - hitStart[c]! > e - s)) return c;
    }
    return -1;
  }

  /** True when acknowledgement terms cover the text, but for punctuation, particles and one stray character (a surname). */
  private onlyAcknowledgement(text: string): boolean {
    const covered = this.covered;
    covered.fill(0, 0, text.length);
    const kinds = this.lex.entryKind;
    for (let h = 0; h < this.hits; h++) if (kinds[this.hitEntry[h]!] === ACK) covered.fill(1, this.hitStart[h]!, this.hitEnd[h]!);
    let stray = 0;
    let content = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (BOUNDARY[c] === 1 || PARTICLE[c] === 1) continue;
      content++;
      if (covered[i] === 0 && ++stray > 1) return false;
    }
    return stray === 0 || (stray === 1 && content > 1 && content <= 10);
  }

  /** A negator inside a longer cue that continues past it, a fixed phrase, an adverb or a neutral phrase negates nothing. */
  private absorbed(h: number): boolean {
    const s = this.hitStart[h]!;
    const e = this.hitEnd[h]!;
    for (const kind of [CUE, WORRY]) if (this.container(kind, s, e, true) >= 0) return true;
    for (const kind of [PHRASE, DEGREE]) if (this.container(kind, s, e, false) >= 0) return true;
    return this.overlapping(NEUTRAL, s, e, -1) >= 0;
  }

  /** The first hit of `kind` overlapping [s, e) (of a neutral's `label`, or label 0, unless label is -1), or -1. */
  private overlapping(kind: number, s: number, e: number, label: number): number {
    const { kindHits, hitStart, hitEnd } = this;
    const last = e + this.lex.kindSpan[kind]!;
    for (let x = this.firstEnding(kind, s + 1), to = this.kindTo[kind]!; x < to; x++) {
      const u = kindHits[x]!;
      if (hitEnd[u]! >= last) break;
      if (hitStart[u]! >= e) continue;
      if (label < 0) return u;
      const l = this.lex.entries[this.hitEntry[u]!]!.label;
      if (l === 0 || l === label) return u;
    }
    return -1;
  }

  /**
   * Context words inside a longer cue, or inside a neutral phrase that excludes everything, are
   * part of that phrase: 「服务真是越来越好了呢」 is sarcasm, not good news; 「说是开玩笑」 is a
   * bully's excuse, not a parent's joke.
   */
  private partOfLonger(h: number): boolean {
    const { kindHits, hitStart, hitEnd, hitEntry } = this;
    const s = hitStart[h]!;
    const e = hitEnd[h]!;
    for (const kind of [CUE, WORRY]) if (this.container(kind, s, e, false) >= 0) return true;
    const last = s + this.lex.kindSpan[NEUTRAL]!;
    for (let x = this.firstEnding(NEUTRAL, e), to = this.kindTo[NEUTRAL]!; x < to; x++) {
      const u = kindHits[x]!;
      if (hitEnd[u]! > last) break;
      if (this.lex.entries[hitEntry[u]!]!.label === 0 && hitStart[u]! <= s) return true;
    }
    return false;
  }

  /** The negator that negates hit h (the closest, longest one), or -1. */
  private negatorOf(h: number): number {
    const { kindHits, hitStart, hitEnd } = this;
    const clause = this.clauses();
    const start = hitStart[h]!;
    let found = -1;
    for (let x = this.firstEnding(NEGATOR, start - NEGATION_REACH), to = this.kindTo[NEGATOR]!; x < to; x++) {
      const n = kindHits[x]!;
      const end = hitEnd[n]!;
      if (end > start) break;
      if (clause[hitStart[n]!] !== clause[start]) continue;
      if (this.between(BOUNDARY_KIND, end, start) || this.between(SCOPE_END, end, start)) continue;
      if (found < 0 || end > hitEnd[found]! || (end === hitEnd[found]! && hitStart[n]! < hitStart[found]!)) found = n;
    }
    return found;
  }

  private between(kind: number, from: number, to: number): boolean {
    for (let x = this.firstEnding(kind, from), last = this.kindTo[kind]!; x < last; x++) {
      const b = this.kindHits[x]!;
      if (this.hitEnd[b]! > to) break;
      if (this.hitStart[b]! >= from) return true;
    }
    return false;
  }

  /** A neutral phrase overlapping hit h that voids cues of `label`, or -1. */
  private neutralOver(h: number, label: number): number {
    return this.overlapping(NEUTRAL, this.hitStart[h]!, this.hitEnd[h]!, label);
  }

  /** The strongest degree adverb right before hit h (or complement right after), as a multiplier. */
  private degreeOf(h: number): number {
    const { kindHits, kindTo, hitStart, hitEnd, hitEntry } = this;
    const clause = this.clauses();
    const entries = this.lex.entries;
    const s = hitStart[h]!;
    let boost = 1;
    for (let x = this.firstEnding(DEGREE, s - DEGREE_REACH); x < kindTo[DEGREE]!; x++) {
      const d = kindHits[x]!;
      if (hitEnd[d]! > s) break;
      const w = entries[hitEntry[d]!]!.weight;
      if (clause[hitStart[d]!] === clause[s] && w > boost) {
        boost = w;
        this.reason(hitStart[d]!, entries[hitEntry[d]!]!.reason);
      }
    }
    // A complement starting right after the hit (at its end or one later) ends within its kind's span of that.
    const e = hitEnd[h]!;
    for (let x = this.firstEnding(DEGREE_AFTER, e + 1); x < kindTo[DEGREE_AFTER]!; x++) {
      const d = kindHits[x]!;
      if (hitEnd[d]! > e + 1 + this.lex.kindSpan[DEGREE_AFTER]!) break;
      const w = entries[hitEntry[d]!]!.weight;
      const start = hitStart[d]!;
      if (start >= e && start - e <= 1 && w > boost) boost = w;
    }
    return boost;
  }

  /** Product of the context softenings that reach hit h. */
  private softening(h: number): number {
    const { kindHits, kindFrom, kindTo, hitStart, hitEntry } = this;
    const entries = this.lex.entries;
    const entry = entries[hitEntry[h]!]!;
    const start = hitStart[h]!;
    const before = this.firstEnding(BOUNDARY_KIND, start + 1) - 1; // the last boundary ending by `start`
    const cut = before >= kindFrom[BOUNDARY_KIND]! ? this.cutAt[before]! : -1;
    let factor = 1;
    for (const kind of CONTEXT_KINDS) {
      if (kindTo[kind] === kindFrom[kind]) continue;
      if (entry.firm && kind !== FRAME) continue;
      if (kind === THIRD_PARTY && entry.label === SAFETY) continue;
      if (kind === POLICY && entry.label !== REFUND) continue;
      // Strength counts up to 1: summing stops there (context words weigh at least 0.5).
      let strength = 0;
      for (let x = this.firstEnding(kind, cut + 1); x < kindTo[kind]! && strength < 1; x++) {
        const c = kindHits[x]!;
        if (hitStart[c]! > cut) strength += entries[hitEntry[c]!]!.weight;
      }
      if (strength > 0) factor *= 1 - SOFTENING[kind]! * Math.min(1, strength);
    }
    return factor;
  }

  /** Whether context alone says a message without any worry cue is settled; here good news counts too. */
  private contextSettles(): boolean {
    for (const kind of CONTEXT_KINDS) if (kind !== ILLNESS && this.kindWeight[kind]! >= (kind === POSITIVE ? 0.5 : 1)) return true;
    return false;
  }

  private reasonsOfKind(kind: number): string[] {
    const out: string[] = [];
    for (let h = 0; h < this.hits; h++) {
      const e = this.lex.entries[this.hitEntry[h]!]!;
      if (e.kind === kind && !out.includes(e.reason)) out.push(e.reason);
    }
    return out;
  }

  /** Overlapping evidence for one label counts once, at its strongest; separate evidence adds up. */
  private addClusters(scores: Float64Array): void {
    const order = this.orderBy(this.cueStart, this.cues);
    for (let label = 1; label < scores.length; label++) {
      let end = -1;
      let best = 0;
      for (let i = 0; i < this.cues; i++) {
        const c = order[i]!;
        if (this.cueLabel[c] !== label) continue;
        if (this.cueStart[c]! < end) {
          if (this.cueWeight[c]! > best) best = this.cueWeight[c]!;
          if (this.cueEnd[c]! > end) end = this.cueEnd[c]!;
        } else {
          scores[label]! += best;
          best = this.cueWeight[c]!;
          end = this.cueEnd[c]!;
        }
      }
      scores[label]! += best;
    }
  }
}
