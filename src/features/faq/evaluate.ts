/**
 * Measuring FAQ matching on a labelled file (`classbot faq --eval`): each line is a parent's
 * message and the `q` of the FAQ entry that should answer it, or nothing when none should.
 * `# playbook: ID` lines say which playbook the lines after them are for.
 */
import type { Playbook } from '../../playbook/playbook.js';
import { bestFaq, faqMatch } from '../faq.js';

export interface FaqLabelled {
  line: number;
  playbook: string | undefined;
  text: string;
  /** The expected entry's q; '' when no entry should answer. */
  expected: string;
}

export function parseFaqTsv(source: string): { rows: FaqLabelled[]; errors: string[] } {
  const rows: FaqLabelled[] = [];
  const errors: string[] = [];
  let playbook: string | undefined;
  source.split(/\r?\n/).forEach((raw, i) => {
    const directive = /^#\s*playbook:\s*(\S+)\s*$/.exec(raw);
    if (directive) playbook = directive[1];
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cols = raw.split('\t');
    if (cols.length > 2 || cols[0]!.trim() === '') errors.push(`第 ${i + 1} 行：应为「消息<TAB>常见问题 q」（不该回答时 q 留空）`);
    else rows.push({ line: i + 1, playbook, text: cols[0]!, expected: (cols[1] ?? '').trim() });
  });
  return { rows, errors };
}

export interface FaqMiss {
  row: FaqLabelled;
  /** What the bot answered with ('' for nothing), and how sure it was. */
  got: string;
  score: number;
  confirm: boolean;
}

export interface FaqReport {
  rows: number;
  /** Messages the bot answered (confidently or for staff to confirm). */
  answered: number;
  correct: number;
  /** Of the answered, how many in the confirm band. */
  confirmed: number;
  /** Lines that name an entry. */
  expected: number;
  precision: number;
  recall: number;
  misses: FaqMiss[];
}

export function evaluateFaq(rows: readonly FaqLabelled[], playbookOf: (row: FaqLabelled) => Playbook): FaqReport {
  let answered = 0;
  let correct = 0;
  let confirmed = 0;
  let expected = 0;
  const misses: FaqMiss[] = [];
  for (const row of rows) {
    const pb = playbookOf(row);
    const hit = faqMatch(pb, row.text);
    const got = hit?.entry.q ?? '';
    if (row.expected) expected++;
    if (hit) {
      answered++;
      if (hit.confirm) confirmed++;
    }
    if (hit && got === row.expected) correct++;
    else if (got !== row.expected) misses.push({ row, got, score: (hit ?? bestFaq(pb, row.text))?.score ?? 0, confirm: hit?.confirm ?? false });
  }
  return {
    rows: rows.length,
    answered,
    correct,
    confirmed,
    expected,
    precision: answered === 0 ? 1 : correct / answered,
    recall: expected === 0 ? 1 : correct / expected,
    misses,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatFaqReport(r: FaqReport): string {
  const lines = [
    `共 ${r.rows} 条，应回答 ${r.expected} 条；机器人回答 ${r.answered} 条（其中 ${r.confirmed} 条请老师确认），答对 ${r.correct} 条`,
    `精确率 ${pct(r.precision)}　召回率 ${pct(r.recall)}`,
  ];
  if (r.misses.length > 0) {
    lines.push('', `不一致（${r.misses.length} 条）：第几行　消息　→ 应为 / 实际（分数）`);
    for (const m of r.misses) {
      const got = m.got ? `${m.got}（${m.score.toFixed(2)}${m.confirm ? '，请确认' : ''}）` : `不回答（${m.score.toFixed(2)}）`;
      lines.push(`  ${m.row.line}　${m.row.text}　→ ${m.row.expected || '不回答'} / ${got}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
