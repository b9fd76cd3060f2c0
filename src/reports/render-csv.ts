/**
 * CSV: one file per report table, UTF-8 with a byte-order mark (so Excel on Chinese Windows reads
 * it as UTF-8, not GBK), RFC 4180 quoting and CRLF line ends.
 */
import type { ReportModel } from './model.js';
import { reportTables, type Cell, type ReportTable } from './tables.js';

export interface CsvFile {
  /** 'activity.csv' … */
  name: string;
  content: string;
}

/** A text cell that a spreadsheet would take for a formula (=, +, -, @) gets a leading apostrophe. */
const FORMULA = /^[=+\-@\t\r]/;

function field(value: Cell): string {
  if (value === null) return '';
  const s = typeof value === 'number' ? String(value) : FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableCsv(table: ReportTable): string {
  const lines = [table.columns.map((c) => field(c.label)), ...table.rows.map((row) => table.columns.map((c) => field(row[c.key] ?? null)))];
  return `\uFEFF${lines.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}

export function renderCsv(model: ReportModel): CsvFile[] {
  return reportTables(model).map((t) => ({ name: `${t.id}.csv`, content: tableCsv(t) }));
}
