/**
 * The second opinion: multinomial logistic regression over hashed character 1–2-grams of the
 * normalised text. Trained at build time (`npm run detector:train`) only on messages we wrote
 * ourselves (data/detector/train.tsv), quantised to int8 and shipped as data/detector/model.json
 * (about 130 KB). It sees phrasings the lexicon has no term for; detector.ts lets it raise a
 * message to review, never to urgent.
 */
import { seededRandom } from '../random.js';
import { readFileSync } from 'node:fs';
import { WORRY_LABELS, type WorryLabel } from './types.js';

export const MODEL_FILE = new URL('../../data/detector/model.json', import.meta.url);

/** The unrolled sum in predict assumes six classes (none + five worries). */
const CLASSES = 6;
const MAX_N = 2;
const START = 0x02;
const END = 0x03;

export interface NgramModel {
  bits: number;
  labels: readonly WorryLabel[];
  bias: Float64Array;
  /** Per class: real weight = weights[bucket * classes + class] * scale[class]. */
  scale: Float64Array;
  weights: Int8Array;
}

/** Hash of the n-gram ending with code unit c, extending the hash h of its prefix (FNV-1a). */
const extend = (h: number, c: number) => Math.imul(h ^ c, 0x01000193);
const bucketOf = (h: number, mask: number) => (h ^ (h >>> 15)) & mask;
const FNV_OFFSET = 0x811c9dc5;

/** Code unit i of ^text$. */
function codeAt(text: string, i: number): number {
  return i === 0 ? START : i === text.length + 1 ? END : text.charCodeAt(i - 1);
}

/** Bucket ids of every 1–2-gram of ^text$, appended to `out` (training). */
export function hashNgrams(text: string, bits: number, out: number[]): void {
  out.length = 0;
  const mask = (1 << bits) - 1;
  const n = text.length + 2;
  for (let i = 0; i < n; i++) {
    let h = FNV_OFFSET;
    for (let k = 0; k < MAX_N && i + k < n; k++) {
      h = extend(h, codeAt(text, i + k));
      out.push(bucketOf(h, mask));
    }
  }
}

/**
 * Class probabilities in WORRY_LABELS order, for normalised text. The same features as hashNgrams
 * (every unigram and bigram of ^text$), summed in place in one pass: the bigram ending at a
 * character extends the previous character's unigram hash. Runs for about half of all messages.
 */
export function predict(model: NgramModel, normalised: string, out = new Float64Array(CLASSES)): Float64Array {
  const mask = (1 << model.bits) - 1;
  const w = model.weights;
  const len = normalised.length;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0;
  let previous = 0; // unigram hash of the previous character
  for (let i = 0; i <= len + 1; i++) {
    const c = i === 0 ? START : i > len ? END : normalised.charCodeAt(i - 1);
    const uni = extend(FNV_OFFSET, c);
    let b = bucketOf(uni, mask) * CLASSES;
    a0 += w[b]!; a1 += w[b + 1]!; a2 += w[b + 2]!; a3 += w[b + 3]!; a4 += w[b + 4]!; a5 += w[b + 5]!;
    if (i > 0) {
      b = bucketOf(extend(previous, c), mask) * CLASSES;
      a0 += w[b]!; a1 += w[b + 1]!; a2 += w[b + 2]!; a3 += w[b + 3]!; a4 += w[b + 4]!; a5 += w[b + 5]!;
    }
    previous = uni;
  }
  const count = 2 * len + 3;
  out[0] = a0; out[1] = a1; out[2] = a2; out[3] = a3; out[4] = a4; out[5] = a5;
  const norm = 1 / Math.sqrt(count);
  let max = -Infinity;
  for (let c = 0; c < CLASSES; c++) {
    out[c] = model.bias[c]! + out[c]! * model.scale[c]! * norm;
    if (out[c]! > max) max = out[c]!;
  }
  let sum = 0;
  for (let c = 0; c < CLASSES; c++) {
    out[c] = Math.exp(out[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < CLASSES; c++) out[c]! /= sum;
  return out;
}

export interface TrainingOptions {
  bits?: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}


/** Plain SGD on the softmax loss with L2; then int8 quantisation per class. */
export function trainModel(rows: readonly { normalised: string; label: WorryLabel }[], options: TrainingOptions = {}): NgramModel {
  const bits = options.bits ?? 14;
  const epochs = options.epochs ?? 30;
  const rate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-5;
  const random = seededRandom(options.seed ?? 20240901); // the same training file always gives the same model
  const w = new Float64Array((1 << bits) * CLASSES);
  const bias = new Float64Array(CLASSES);
  const examples = rows.map((r) => {
    const f: number[] = [];
    hashNgrams(r.normalised, bits, f);
    return { f, y: WORRY_LABELS.indexOf(r.label) };
  });
  const order = examples.map((_, i) => i);
  const z = new Float64Array(CLASSES);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const { f, y } = examples[index]!;
      const norm = 1 / Math.sqrt(f.length);
      let max = -Infinity;
      for (let c = 0; c < CLASSES; c++) {
        let s = bias[c]!;
        for (const k of f) s += w[k * CLASSES + c]! * norm;
        z[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < CLASSES; c++) {
        z[c] = Math.exp(z[c]! - max);
        sum += z[c]!;
      }
      for (let c = 0; c < CLASSES; c++) {
        const g = z[c]! / sum - (c === y ? 1 : 0);
        bias[c]! -= rate * g;
        for (const k of f) w[k * CLASSES + c]! -= rate * (g * norm + l2 * w[k * CLASSES + c]!);
      }
    }
  }
  const scale = new Float64Array(CLASSES);
  for (let i = 0; i < w.length; i++) scale[i % CLASSES] = Math.max(scale[i % CLASSES]!, Math.abs(w[i]!) / 127);
  const weights = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const s = scale[i % CLASSES]!;
    weights[i] = s === 0 ? 0 : Math.round(w[i]! / s);
  }
  return { bits, labels: WORRY_LABELS, bias, scale, weights };
}

interface ModelFile {
  format: 'classbot-worry-ngram-lr';
  version: 1;
  bits: number;
  labels: WorryLabel[];
  bias: number[];
  scale: number[];
  /** int8 weights, base64. */
  weights: string;
  trainedOn: { file: string; messages: number };
}

export function serialiseModel(model: NgramModel, trainedOn: ModelFile['trainedOn']): string {
  const file: ModelFile = {
    format: 'classbot-worry-ngram-lr',
    version: 1,
    bits: model.bits,
    labels: [...model.labels],
    bias: Array.from(model.bias, (b) => Math.round(b * 1e6) / 1e6),
    scale: Array.from(model.scale, (s) => Number(s.toPrecision(8))),
    weights: Buffer.from(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength).toString('base64'),
    trainedOn,
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

export function parseModel(json: string): NgramModel {
  const file = JSON.parse(json) as ModelFile;
  if (file.format !== 'classbot-worry-ngram-lr' || file.version !== 1) throw new Error('unknown worry model format');
  if (file.labels.join() !== WORRY_LABELS.join()) throw new Error('worry model labels differ from the detector\'s');
  const bytes = Buffer.from(file.weights, 'base64');
  const weights = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (weights.length !== (1 << file.bits) * CLASSES) throw new Error('worry model weights have the wrong size');
  return { bits: file.bits, labels: file.labels, bias: Float64Array.from(file.bias), scale: Float64Array.from(file.scale), weights };
}

let shipped: NgramModel | undefined;

/** The model shipped in data/detector/model.json, read once. */
export function shippedModel(): NgramModel {
  shipped ??= parseModel(readFileSync(MODEL_FILE, 'utf8'));
  return shipped;
}
