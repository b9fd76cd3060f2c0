/**
 * XLSX: one sheet per report table, numbers as numbers (percentages formatted), dates as date
 * cells, the header row frozen and filterable, safety cases still open filled red.
 */
import ExcelJS from 'exceljs';
import type { ReportModel } from './model.js';
import { reportTables, type Cell, type Column } from './tables.js';

function numFmt(c: Column): string | undefined {
  if (c.kind === 'rate') return '0.0%';
  if (c.kind === 'number') return `0.${'0'.repeat(c.digits ?? 1)}`;
  if (c.kind === 'date') return 'yyyy-mm-dd';
  if (c.kind === 'datetime') return 'yyyy-mm-dd hh:mm';
  return undefined;
}

/**
 * A table cell as the sheet holds it. Spreadsheet dates have no time zone: the local wall-clock
 * time is written as if it were UTC, which is what Excel shows.
 */
function sheetCell(c: Column, value: Cell): ExcelJS.CellValue {
  if ((c.kind === 'date' || c.kind === 'datetime') && typeof value === 'string') return new Date(`${value.replace(' ', 'T')}Z`);
  return value;
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (title: string) => title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

const ALERT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFEE2E2' } };

export async function renderXlsx(model: ReportModel): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'classbot';
  wb.created = new Date(model.generatedAt);
  for (const table of reportTables(model)) {
    const ws = wb.addWorksheet(sheetName(table.title), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
    ws.columns = table.columns.map((c) => ({
      header: c.label,
      key: c.key,
      // CJK characters are about two columns wide.
      width: Math.min(60, Math.max(8, 2 * c.label.length + 2, ...table.rows.map((r) => 2 * String(r[c.key] ?? '').length + 2))),
      ...(numFmt(c) ? { style: { numFmt: numFmt(c)! } } : {}),
    }));
    ws.getRow(1).font = { bold: true };
    for (const row of table.rows) ws.addRow(Object.fromEntries(table.columns.map((c) => [c.key, sheetCell(c, row[c.key] ?? null)])));
    for (const i of table.highlight ?? []) ws.getRow(i + 2).eachCell({ includeEmpty: true }, (cell) => (cell.fill = ALERT_FILL));
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + table.rows.length, column: table.columns.length } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
