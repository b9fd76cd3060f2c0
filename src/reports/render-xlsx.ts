/** XLSX: one sheet per report table, numbers as numbers (percentages formatted), header frozen. */
import ExcelJS from 'exceljs';
import type { ReportModel } from './model.js';
import { reportTables, type Column } from './tables.js';

function numFmt(c: Column): string | undefined {
  if (c.kind === 'rate') return '0.0%';
  if (c.kind === 'number') return `0.${'0'.repeat(c.digits ?? 1)}`;
  return undefined;
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (title: string) => title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

export async function renderXlsx(model: ReportModel): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'classbot';
  wb.created = new Date(model.generatedAt);
  for (const table of reportTables(model)) {
    const ws = wb.addWorksheet(sheetName(table.title), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = table.columns.map((c) => ({
      header: c.label,
      key: c.key,
      // CJK characters are about two columns wide.
      width: Math.min(60, Math.max(8, 2 * c.label.length + 2, ...table.rows.map((r) => 2 * String(r[c.key] ?? '').length + 2))),
      ...(numFmt(c) ? { style: { numFmt: numFmt(c)! } } : {}),
    }));
    ws.getRow(1).font = { bold: true };
    for (const row of table.rows) ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
