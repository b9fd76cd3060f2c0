/** The labelled `.tsv` format of shared/eval/LABELS.md: `label<TAB>text`, one message a line. */
import { WORRY_LABELS, type WorryLabel } from './types.js';

export interface LabelledRow {
  label: WorryLabel;
  text: string;
  /** 1-based line number in the file. */
  line: number;
}

export interface ParsedLabelled {
  rows: LabelledRow[];
  /** Lines that could not be read, with the reason in Chinese (shown to assistants). */
  errors: { line: number; message: string }[];
}

export function parseLabelledTsv(content: string): ParsedLabelled {
  const rows: LabelledRow[] = [];
  const errors: ParsedLabelled['errors'] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const tab = raw.indexOf('\t');
    if (tab < 0) {
      errors.push({ line, message: '缺少制表符：每行应为「类别<TAB>消息」' });
      return;
    }
    const label = raw.slice(0, tab).trim();
    const text = raw.slice(tab + 1);
    if (!(WORRY_LABELS as readonly string[]).includes(label)) {
      errors.push({ line, message: `未知类别「${label}」，可选：${WORRY_LABELS.join(' / ')}` });
      return;
    }
    if (text.trim() === '') {
      errors.push({ line, message: '消息为空' });
      return;
    }
    rows.push({ label: label as WorryLabel, text, line });
  });
  return { rows, errors };
}
