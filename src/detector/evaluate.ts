/**
 * Scores a detector against a labelled set (LABELS.md format): per-label precision / recall /
 * F1, worried-vs-none, the confusion matrix, and throughput. Used by `classbot detect --eval`
 * and by the quality tests.
 */
import type { LabelledRow } from './labelled.js';
import { LABEL_TAG } from './score.js';
import { WORRY_LABELS, type Detection, type Detector, type WorryLabel } from './types.js';

export interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
}

export interface LabelScore extends PrecisionRecall {
  label: WorryLabel;
  /** Messages with this gold label. */
  support: number;
  /** Messages the detector gave this label. */
  predicted: number;
}

export interface EvalReport {
  messages: number;
  perLabel: LabelScore[];
  /** Worried (any label but none) against none. */
  binary: PrecisionRecall;
  /** Share of worried messages given exactly their label. */
  worriedLabelAccuracy: number;
  safetyRecall: number;
  /** confusion[gold][predicted], both in WORRY_LABELS order. */
  confusion: number[][];
  mistakes: { line: number; gold: WorryLabel; detection: Detection; text: string }[];
  messagesPerSecond: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

function scores(tp: number, fp: number, fn: number): PrecisionRecall {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
}

/** Minimum time spent re-running the set for the throughput figure, in ms. */
const TIMING_BUDGET_MS = 300;
const MAX_TIMING_PASSES = 200;

export function evaluate(detector: Detector, rows: readonly LabelledRow[], now: () => number = () => performance.now()): EvalReport {
  const index = (l: WorryLabel) => WORRY_LABELS.indexOf(l);
  const confusion = WORRY_LABELS.map(() => WORRY_LABELS.map(() => 0));
  const mistakes: EvalReport['mistakes'] = [];
  for (const row of rows) {
    const detection = detector.detect(row.text);
    confusion[index(row.label)]![index(detection.label)]!++;
    if (detection.label !== row.label) mistakes.push({ line: row.line, gold: row.label, detection, text: row.text });
  }

  const perLabel = WORRY_LABELS.map((label, i): LabelScore => {
    const tp = confusion[i]![i]!;
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[i]!, 0);
    return { label, support, predicted, ...scores(tp, predicted - tp, support - tp) };
  });

  let tp = 0;
  let fp = 0;
  let fn = 0;
  let exact = 0;
  let worried = 0;
  confusion.forEach((row, g) => row.forEach((n, p) => {
    if (g > 0 && p > 0) tp += n;
    if (g === 0 && p > 0) fp += n;
    if (g > 0 && p === 0) fn += n;
    if (g > 0) worried += n;
    if (g > 0 && g === p) exact += n;
  }));
  const safety = perLabel[index('safety')]!;

  let passes = 0;
  const start = now();
  while (rows.length > 0 && passes < MAX_TIMING_PASSES && (passes === 0 || now() - start < TIMING_BUDGET_MS)) {
    for (const row of rows) detector.detect(row.text);
    passes++;
  }
  const elapsed = now() - start;

  return {
    messages: rows.length,
    perLabel,
    binary: scores(tp, fp, fn),
    worriedLabelAccuracy: ratio(exact, worried),
    safetyRecall: safety.recall,
    confusion,
    mistakes,
    messagesPerSecond: elapsed > 0 ? Math.round((rows.length * passes * 1000) / elapsed) : 0,
  };
}

const NAME: Record<WorryLabel, string> = { none: '无', ...LABEL_TAG };
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));

/** The report as assistants read it (Chinese headings). */
export function formatReport(report: EvalReport, options: { mistakes?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`共 ${report.messages} 条消息`);
  lines.push('');
  lines.push(`${pad('类别', 16)}${pad('精确率', 10)}${pad('召回率', 10)}${pad('F1', 10)}条数`);
  for (const s of report.perLabel) {
    const empty = s.support === 0 && s.predicted === 0;
    const cell = (x: number) => pad(empty ? '-' : pct(x), 10);
    lines.push(`${pad(`${s.label}（${NAME[s.label]}）`, 16)}${cell(s.precision)}${cell(s.recall)}${cell(s.f1)}${s.support}`);
  }
  lines.push('');
  lines.push(`有担忧 vs 无：精确率 ${pct(report.binary.precision)}  召回率 ${pct(report.binary.recall)}  F1 ${pct(report.binary.f1)}`);
  lines.push(`有担忧消息的类别准确率：${pct(report.worriedLabelAccuracy)}   安全类召回率：${pct(report.safetyRecall)}`);
  lines.push('');
  lines.push('混淆矩阵（行：标注，列：判定）');
  lines.push(pad('', 12) + WORRY_LABELS.map((l) => pad(l, 11)).join(''));
  report.confusion.forEach((row, g) => {
    lines.push(pad(WORRY_LABELS[g]!, 12) + row.map((n) => pad(String(n), 11)).join(''));
  });
  lines.push('');
  lines.push(`速度：每秒 ${report.messagesPerSecond} 条`);
  if (options.mistakes && report.mistakes.length > 0) {
    lines.push('');
    lines.push(`判错 ${report.mistakes.length} 条（行号 标注→判定：消息 | 依据）`);
    for (const m of report.mistakes) {
      lines.push(`${m.line} ${m.gold}→${m.detection.label}：${m.text} | ${m.detection.reasons.join(' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
