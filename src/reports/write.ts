/** Writes a report model in the chosen formats into a directory; returns the paths written. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportModel } from './model.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-md.js';

export const FORMATS = ['xlsx', 'csv', 'html', 'md'] as const;
export type ReportFormat = (typeof FORMATS)[number];

/** 'report-2026-W47', plus the playbooks when not all were reported on, plus '-anon' for pseudonyms. */
export function reportBaseName(model: ReportModel, allPlaybooks: boolean): string {
  const who = allPlaybooks ? '' : `-${model.playbooks.map((p) => p.id).join('+')}`;
  return `report-${model.range.label}${who}${model.pseudonymized ? '-anon' : ''}`;
}

export async function writeReport(model: ReportModel, formats: readonly ReportFormat[], dir: string, base: string, onFormat?: (f: ReportFormat) => void): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    onFormat?.(format);
    if (format === 'csv') {
      // Tidy tables: one file each, in a directory of their own.
      const sub = join(dir, `${base}-csv`);
      mkdirSync(sub, { recursive: true });
      for (const f of renderCsv(model)) {
        writeFileSync(join(sub, f.name), f.content);
        written.push(join(sub, f.name));
      }
      continue;
    }
    const path = join(dir, `${base}.${format}`);
    // ExcelJS is loaded on first use: it costs the bot's start-up 0.2 s and 20 MB otherwise.
    writeFileSync(path, format === 'xlsx' ? await (await import('./render-xlsx.js')).renderXlsx(model) : format === 'html' ? renderHtml(model) : renderMarkdown(model));
    written.push(path);
  }
  return written;
}
