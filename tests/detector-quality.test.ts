import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDetector, type Detection, type Detector, type WorryLabel } from '../src/detector/index.js';
import { evaluate } from '../src/detector/evaluate.js';
import { parseLabelledTsv, type LabelledRow } from '../src/detector/labelled.js';
import { MODEL_FILE, serialiseModel, trainModel } from '../src/detector/model.js';
import { normalise } from '../src/detector/normalise.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const rowsOf = (path: string): LabelledRow[] => {
  const { rows, errors } = parseLabelledTsv(read(path));
  expect(errors).toEqual([]);
  return rows;
};

const detector = createDetector();
const dev = rowsOf('tests/fixtures/worry-dev.tsv');
const own = rowsOf('tests/fixtures/worry-own.tsv');
const training = rowsOf('data/detector/train.tsv');
/** Batches written independently of the dev set, each measured once before the lexicon was tuned on it (README figures). */
const freshFiles = readdirSync(new URL('fixtures/', import.meta.url)).filter((f) => /^worry-fresh-\d+\.tsv$/.test(f)).sort();
const fresh = freshFiles.flatMap((f) => rowsOf(`tests/fixtures/${f}`));

describe('worry detector quality (issue 3 targets)', () => {
  const sets = [
    ['dev set (shared/eval/worry-dev.tsv)', dev],
    ['our own set (tests/fixtures/worry-own.tsv)', own],
    [`fresh batches, after tuning (${freshFiles.join(', ')})`, fresh],
  ] as const;
  it('has fresh batches to hold the tuning to', () => {
    expect(freshFiles.length).toBeGreaterThanOrEqual(5);
    expect(fresh.filter((r) => r.label === 'safety').length).toBeGreaterThanOrEqual(200);
  });

  for (const [name, rows] of sets) {
    it(`meets the targets on the ${name}`, () => {
      const report = evaluate(detector, rows);
      const mistakes = report.mistakes.map((m) => `${m.gold}→${m.detection.label} ${m.text}`);
      expect(report.binary.precision, mistakes.join('\n')).toBeGreaterThanOrEqual(0.9);
      expect(report.binary.recall, mistakes.join('\n')).toBeGreaterThanOrEqual(0.9);
      expect(report.safetyRecall, mistakes.join('\n')).toBe(1);
      expect(report.worriedLabelAccuracy, mistakes.join('\n')).toBeGreaterThanOrEqual(0.85);
    });
  }

  it('keeps the sets apart: no dev message is in our own data, and the model never trained on the evaluation set', () => {
    // Acknowledgements (谢谢, 收到，谢谢老师) are bound to coincide; anything else must not.
    const key = (r: LabelledRow) => normalise(r.text);
    const long = (r: LabelledRow) => detector.detect(r.text).reasons[0] !== '确认语';
    const devTexts = new Set(dev.map(key));
    for (const r of [...own, ...fresh, ...training].filter(long)) expect(devTexts.has(key(r)), r.text).toBe(false);
    const ownTexts = new Set(own.map(key));
    for (const r of training.filter(long)) expect(ownTexts.has(key(r)), r.text).toBe(false);
  });

  it('the second opinion raises messages the lexicon passed over, but never to urgent', () => {
    const raised = [...dev, ...own, ...training].map((r) => detector.detect(r.text)).filter((d) => d.reasons.some((x) => x.startsWith('模型:')));
    expect(raised.length).toBeGreaterThan(0);
    for (const d of raised) {
      expect(d.label).not.toBe('none');
      expect(d.severity).not.toBe('urgent');
    }
  });

  it('the shipped model is exactly what training on data/detector/train.tsv produces', () => {
    const model = trainModel(training.map((r) => ({ normalised: normalise(r.text), label: r.label })));
    const shipped = readFileSync(MODEL_FILE, 'utf8');
    expect(serialiseModel(model, { file: 'data/detector/train.tsv', messages: training.length })).toBe(shipped);
  });
});

describe('evaluation arithmetic', () => {
  // A detector that answers from a table: the metrics are then known by hand.
  const answers = new Map<string, WorryLabel>([['a', 'safety'], ['b', 'none'], ['c', 'complaint'], ['d', 'complaint'], ['e', 'none']]);
  const table: Detector = {
    detect: (text: string): Detection => ({ label: answers.get(text)!, severity: 'none', score: 0, reasons: [] }),
  };
  const rows: LabelledRow[] = [
    { line: 1, text: 'a', label: 'safety' },
    { line: 2, text: 'b', label: 'safety' },
    { line: 3, text: 'c', label: 'complaint' },
    { line: 4, text: 'd', label: 'none' },
    { line: 5, text: 'e', label: 'none' },
  ];

  it('computes per-label and binary precision / recall / F1 and the confusion matrix', () => {
    let clock = 0;
    const report = evaluate(table, rows, () => (clock += 10));
    const safety = report.perLabel.find((s) => s.label === 'safety')!;
    expect(safety).toMatchObject({ support: 2, predicted: 1, precision: 1, recall: 0.5 });
    expect(safety.f1).toBeCloseTo(2 / 3);
    const complaint = report.perLabel.find((s) => s.label === 'complaint')!;
    expect(complaint).toMatchObject({ support: 1, predicted: 2, precision: 0.5, recall: 1 });
    expect(report.binary.precision).toBeCloseTo(2 / 3);
    expect(report.binary.recall).toBeCloseTo(2 / 3);
    expect(report.worriedLabelAccuracy).toBeCloseTo(2 / 3);
    expect(report.safetyRecall).toBe(0.5);
    expect(report.confusion[5]).toEqual([1, 0, 0, 0, 0, 1]); // safety: one missed, one found
    expect(report.mistakes.map((m) => m.line)).toEqual([2, 4]);
    expect(report.messagesPerSecond).toBeGreaterThan(0);
  });

  it('reads the LABELS.md format and reports bad lines with their numbers', () => {
    const { rows: parsed, errors } = parseLabelledTsv('safety\t被打了\nno tab here\nhappy\t开心\n\n# comment\nnone\t  \nrefund\t退费\n');
    expect(parsed.map((r) => [r.line, r.label, r.text])).toEqual([[1, 'safety', '被打了'], [7, 'refund', '退费']]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 6]);
    expect(errors[1]!.message).toContain('未知类别「happy」');
  });
});
