/**
 * Every format holds the report's figures: the XLSX and CSV are read back with real parsers and
 * compared cell by cell with the report tables, and spot figures of the known week are checked
 * by hand in each format (Markdown, HTML text). The HTML in a browser: reports-html.test.ts.
 */
import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type ReportModel } from '../src/reports/model.js';
import { pseudonymSecret } from '../src/reports/pseudonym.js';
import { renderCsv } from '../src/reports/render-csv.js';
import { displayCell, renderHtml } from '../src/reports/render-html.js';
import { renderMarkdown } from '../src/reports/render-md.js';
import { renderXlsx } from '../src/reports/render-xlsx.js';
import { reportTables, type Cell, type Column, type ReportTable } from '../src/reports/tables.js';
import { reportBaseName, writeReport } from '../src/reports/write.js';
import { followupRepo } from '../src/features/followups/repo.js';
import { classPlaybook, testBot } from './helpers/harness.js';
import { buildReportWeek, PEOPLE, RANGE, REPORT_NOW, type ReportWeek } from './helpers/report-week.js';

let week: ReportWeek;
let model: ReportModel;
let tables: ReportTable[];
const table = (id: string) => tables.find((t) => t.id === id)!;
/** The row of a table for a group ('全部群' for all groups) and, optionally, more matching cells. */
const rowOf = (id: string, group: string, match: Record<string, Cell> = {}) =>
  table(id).rows.find((r) => r.group === group && Object.entries(match).every(([k, v]) => r[k] === v))!;

beforeAll(async () => {
  week = await buildReportWeek();
  model = buildReport(week.t.bot.store, week.t.bot.engine.playbooks, RANGE, { now: REPORT_NOW });
  tables = reportTables(model);
});
afterAll(() => week.t.stop());

function parseCsv(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString(text).on('data', (r: string[]) => rows.push(r)).on('error', reject).on('end', () => resolve(rows));
  });
}

describe('tables', () => {
  it('hold the week’s figures, tidy: one row per group (and one for all groups)', () => {
    const activity = (g: string) => table('activity').columns.slice(2).map((c) => rowOf('activity', g)[c.key]);
    expect(activity('三年级二班A群')).toEqual([4, 2, 4, 4, 3, 4, 0, -1, 0]);
    expect(activity('三年级二班B群')).toEqual([2, 2, 4, 1, 1, 1, 1, 1, 3]);
    expect(activity('全部群')).toEqual([6, 4, 8, 5, 4, 5, 1, 0, 3]);
    expect(rowOf('checkin_days', '全部群', { date: '2026-11-18' })).toMatchObject({ members: 6, checkedIn: 4, rate: 0.6667 });
    expect(rowOf('checkin_days', '三年级二班A群', { date: '2026-11-20' })).toMatchObject({ checkedIn: 1, excused: 1, rate: 0.3333 });
    expect(rowOf('checkins', '全部群')).toMatchObject({ checkins: 19, expected: 39, completion: 0.4872 });
    expect(rowOf('streaks', '全部群', { streak: '7 天以上' }).members).toBe(2);
    expect(rowOf('awards', '全部群', { name: '三日之星' }).members).toBe(2);
    expect(rowOf('reminders', '全部群')).toMatchObject({ sent: 4, checkinsAfter: 4 });
    expect(rowOf('worried', '三年级二班B群', { category: '安全' }).messages).toBe(1);
    expect(rowOf('followups', '全部群', { category: '全部' })).toMatchObject({
      opened: 4, claimed: 3, resolved: 2, dismissed: 1, responseMedian: 20, responseP90: 1983, resolutionMedian: 3.5, resolutionP90: 3.9,
      respondDeadline: null, respondBreaches: 2, resolveBreaches: 1, ratings: 2, averageRating: 4,
    });
    expect(rowOf('followups', '三年级二班B群', { category: '安全' })).toMatchObject({ responseMedian: 30, respondDeadline: 10, respondBreaches: 1, resolveBreaches: 1 });
    expect(table('followup_items').rows.map((r) => [r.id, r.member, r.status, r.respondBreach])).toEqual([
      [4, '李爸爸', '误报', '否'], [1, '王妈妈', '已解决', '否'], [3, '陈妈妈', '处理中', '否'], [2, '张妈妈', '已解决', '是'], [5, '刘爸爸', '待认领', '是'],
    ]);
    expect(rowOf('followup_items', '三年级二班A群', { id: 1 })).toMatchObject({ openedAt: '2026-11-17 08:00', response: 10, resolution: 4, rating: 5 });
    expect(table('care').rows.map((r) => [r.member, r.inactiveDays, r.brokenStreaks, r.openFollowups])).toEqual([
      ['陈妈妈', 9, null, '#3 投诉·处理中'],
      ['赵爸爸', 20, null, null],
      ['李爸爸', null, '晨读 5 天（最后打卡 2026-11-18）', null],
      ['刘爸爸', null, '晨读 2 天（最后打卡 2026-11-19）', '#5 情绪·待认领'],
    ]);
  });
});

describe('XLSX', () => {
  it('has one sheet per table, every cell as in the table, numbers as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const file = await renderXlsx(model);
    await wb.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(tables.map((t) => t.title));
    for (const t of tables) {
      const ws = wb.getWorksheet(t.title)!;
      const values = (r: number) => t.columns.map((_, i) => ws.getRow(r).getCell(i + 1).value ?? null);
      expect(values(1)).toEqual(t.columns.map((c) => c.label));
      expect(ws.rowCount).toBe(t.rows.length + 1);
      // Dates are date cells: the local wall-clock time, as Excel shows it.
      const asSheet = (c: Column, v: Cell) => ((c.kind === 'date' || c.kind === 'datetime') && typeof v === 'string' ? new Date(`${v.replace(' ', 'T')}Z`) : v);
      t.rows.forEach((row, i) => expect(values(i + 2), `${t.id} row ${i}`).toEqual(t.columns.map((c) => asSheet(c, row[c.key] ?? null))));
      // Every sheet can be filtered and keeps its header in view.
      expect(ws.autoFilter, t.id).toBe(`A1:${ws.getColumn(t.columns.length).letter}${t.rows.length + 1}`);
      expect(ws.views[0], t.id).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    const opened = wb.getWorksheet('跟进明细')!.getRow(3).getCell(7);
    expect(opened.value).toEqual(new Date('2026-11-17T08:00:00Z'));
    expect(opened.numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(wb.getWorksheet('每日打卡')!.getRow(2).getCell(3)).toMatchObject({ value: new Date('2026-11-16T00:00:00Z'), numFmt: 'yyyy-mm-dd' });
    const completion = wb.getWorksheet('打卡完成率')!;
    expect(completion.getRow(4).values).toEqual([undefined, '全部班级', '全部群', 19, 39, 0.4872]);
    expect(completion.getRow(4).getCell(5).numFmt).toBe('0.0%');
  });
});

describe('CSV', () => {
  it('is one UTF-8 file per table (with BOM) that a CSV parser reads back cell for cell', async () => {
    const files = renderCsv(model);
    expect(files.map((f) => f.name)).toEqual(tables.map((t) => `${t.id}.csv`));
    for (const [i, t] of tables.entries()) {
      expect(files[i]!.content.startsWith('\uFEFF')).toBe(true);
      const rows = await parseCsv(files[i]!.content.slice(1));
      expect(rows[0]).toEqual(t.columns.map((c) => c.label));
      expect(rows.slice(1)).toEqual(t.rows.map((r) => t.columns.map((c) => (r[c.key] === null || r[c.key] === undefined ? '' : String(r[c.key])))));
    }
    const followups = await parseCsv(files.find((f) => f.name === 'followups.csv')!.content.slice(1));
    expect(followups.find((r) => r[1] === '全部群' && r[2] === '全部')!.slice(3, 9)).toEqual(['4', '3', '2', '1', '20', '1983']);
  });

  it('quotes commas, quotes and line breaks, and defuses text a spreadsheet would run as a formula', async () => {
    const t: ReportTable = { id: 'x', title: 'x', columns: [{ key: 'a', label: 'a', kind: 'text' }], rows: [{ a: '甲,乙' }, { a: '说"好"的' }, { a: '两\n行' }, { a: '=HYPERLINK("http://x")' }, { a: -1 }] };
    const { tableCsv } = await import('../src/reports/render-csv.js');
    expect(await parseCsv(tableCsv(t).slice(1))).toEqual([['a'], ['甲,乙'], ['说"好"的'], ['两\n行'], [`'=HYPERLINK("http://x")`], ['-1']]);
  });
});

describe('Markdown', () => {
  it('summarises the week in a few lines that fit a chat message', () => {
    const md = renderMarkdown(model);
    expect(md.length).toBeLessThan(1500);
    expect(md).toContain('**三年级二班 活动周报 2026-W47（2026-11-16 至 2026-11-22）**');
    expect(md).toContain('- 成员 6（+1），活跃 4（±0），消息 8（+3）');
    expect(md).toContain('- 打卡完成率 48.7%（19/39），连续 7 天以上 2 人，新徽章 2，新等级 2');
    expect(md).toContain('- 提醒 4 次，提醒后当天打卡 4 次');
    expect(md).toContain('- 关注消息 3 条：安全 1、情绪 1、学习 1');
    expect(md).toContain('新开 4，认领 3，解决 2，误报 1；首次响应中位 20 分钟（P90 33.1 小时），解决中位 3.5 小时（P90 3.9 小时）；超时：响应 2，解决 1；升级提醒 0 次，解决超时提醒 0 条；平均评分 4.0（2 次）');
    expect(md).toContain('- 需要关怀 4 人：陈妈妈（9 天未发言，1 件跟进未结）、赵爸爸（20 天未发言）、李爸爸（晨读连续 5 天中断）、刘爸爸（晨读连续 2 天中断，1 件跟进未结）');
    expect(md).toContain('| 三年级二班A群 | 4 | 2 | 4（±0） | 37% | 2 | 3 |');
    expect(md).toContain('| 三年级二班B群 | 2 | 2 | 4（+3） | 75% | 2 | 1 |');
  });
});

describe('HTML', () => {
  it('is one self-contained file: no script, nothing fetched, every table with its figures', () => {
    const html = renderHtml(model);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\//i);
    for (const t of tables.filter((x) => x.id !== 'info')) {
      expect(html).toContain(`<section data-table="${t.id}">`);
      for (const r of t.rows) for (const c of t.columns) expect(html).toContain(`>${displayCell(c, r[c.key] ?? null)}</td>`);
    }
    expect(html).toContain('<div class="label">打卡完成率</div><div class="value">48.7%</div><div class="sub">19/39 次</div>');
    expect(html).toMatch(/data-chart="participation".*data-date="2026-11-18" data-rate="0.6667"/s);
    expect(html).toMatch(/data-chart="response".*data-category="safety" data-median="30.0" data-p90="30.0" data-deadline="10"/s);
  });

  it('escapes names that look like markup', async () => {
    const t = week.t;
    t.clock.set(Date.parse('2026-11-20T10:00:00+08:00'));
    await t.say({ id: 'x1', name: '<b>坏</b>&"名"' }, '大家好', { groupId: 'chat-a', groupName: '三年级二班A群' });
    t.clock.set(REPORT_NOW);
    const html = renderHtml(buildReport(t.bot.store, t.bot.engine.playbooks, { from: '2026-12-07', to: '2026-12-13', label: 'w' }, { now: REPORT_NOW + 30 * 86_400_000 }));
    expect(html).toContain('&lt;b&gt;坏&lt;/b&gt;&amp;&quot;名&quot;');
    expect(html).not.toContain('<b>坏</b>');
  });
});

describe('files', () => {
  it('are written per format, pseudonymized copies under their own name and free of real names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classbot-report-'));
    const anon = buildReport(week.t.bot.store, week.t.bot.engine.playbooks, RANGE, { now: REPORT_NOW, pseudonymSecret: pseudonymSecret(week.t.bot.store) });
    const written = await writeReport(anon, ['xlsx', 'csv', 'html', 'md'], dir, reportBaseName(anon, true));
    expect(reportBaseName(anon, true)).toBe('report-2026-W47-anon');
    expect(reportBaseName(model, false)).toBe('report-2026-W47-g3');
    expect(readdirSync(dir).sort()).toEqual(['report-2026-W47-anon-csv', 'report-2026-W47-anon.html', 'report-2026-W47-anon.md', 'report-2026-W47-anon.xlsx']);
    expect(written).toHaveLength(3 + tables.length);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'report-2026-W47-anon.xlsx'));
    const xlsxText = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String)).join('|');
    const texts = [xlsxText, ...written.filter((p) => !p.endsWith('.xlsx')).map((p) => readFileSync(p, 'utf8'))];
    for (const text of texts) {
      for (const p of Object.values(PEOPLE)) expect(text).not.toContain(p.name);
    }
    expect(xlsxText).toMatch(/成员-[2-9A-Z]{6}/);
  });
});

describe('what coordinators read on Monday', () => {
  it('a who-checked-in-which-day grid per group', () => {
    const grid = table('checkin_grid');
    expect(grid.columns.slice(4, 11).map((c) => c.label)).toEqual(['11/16 周一', '11/17 周二', '11/18 周三', '11/19 周四', '11/20 周五', '11/21 周六', '11/22 周日']);
    const days = (member: string) => grid.columns.slice(4).map((c) => grid.rows.find((r) => r.member === member)![c.key]);
    expect(days('王妈妈')).toEqual(['✓', '✓', '✓', '✓', '✓', '✓', '✓', 7]);
    expect(days('李爸爸')).toEqual(['✓', '✓', '✓', '✗', '✗', '✗', '✗', 3]);
    expect(days('赵爸爸')).toEqual(['✗', '✗', '✗', '✗', '假', '✗', '✗', 0]);
    expect(days('刘爸爸')).toEqual(['—', '—', '✓', '✓', '✗', '✗', '✗', 2]);
    expect(grid.rows.filter((r) => r.group === '三年级二班A群').map((r) => r.member).sort()).toEqual(['李爸爸', '王妈妈', '赵爸爸', '陈妈妈'].sort());
  });

  it('figures per teaching assistant: cases, first response, breaches, rating', () => {
    expect(table('staff').rows.map((r) => [r.group, r.assignee, r.cases, r.opened, r.responseMedian, r.respondBreaches, r.resolveBreaches, r.ratings, r.averageRating])).toEqual([
      ['三年级二班A群', '李老师', 3, 2, 10, 0, 0, 1, 5],
      ['三年级二班B群', '李老师', 2, 2, 30, 2, 1, 1, 3],
      ['全部群', '李老师', 5, 4, 20, 2, 1, 2, 4],
    ]);
  });

  it('a safety case still open at the week’s end stands out in every format', async () => {
    const w = await buildReportWeek();
    try {
      const store = w.t.bot.store;
      const at = (local: string) => Date.parse(`${local}+08:00`);
      const repo = followupRepo(store);
      repo.insert(
        {
          playbookId: 'g3', platform: 'console', groupId: null, memberId: w.memberId('wang'), messageId: null, message: null, category: 'safety',
          severity: 'high', source: 'detector', assignee: '李老师', score: null, reasons: null, openedAt: at('2026-11-21T09:00'),
          respondBy: at('2026-11-21T09:10'), resolveBy: at('2026-11-21T11:00'), escalationLevel: 0, escalateAt: null,
        },
        'system',
        null,
      );
      const m = buildReport(store, w.t.bot.engine.playbooks, RANGE, { now: REPORT_NOW });
      const t = reportTables(m);
      const alerts = (id: string) => {
        const tb = t.find((x) => x.id === id)!;
        return (tb.highlight ?? []).map((i) => tb.rows[i]!.member);
      };
      expect(alerts('care')).toEqual(['王妈妈']);
      expect(alerts('followup_items')).toEqual(['王妈妈']);
      const html = renderHtml(m);
      expect(html.match(/<tr class="alert">/g)).toHaveLength(2);
      expect(html).toMatch(/<tr class="alert"><td>三年级二班<\/td><td>三年级二班A群<\/td><td>王妈妈<\/td>/);
      expect(renderMarkdown(m)).toContain('- 🚨 安全跟进未结：#6 王妈妈（三年级二班A群，待认领）');
      const wb = new ExcelJS.Workbook();
      const file = await renderXlsx(m);
      await wb.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
      const care = wb.getWorksheet('需要关怀')!;
      const row = [...Array(care.rowCount).keys()].map((i) => care.getRow(i + 1)).find((r) => r.getCell(3).value === '王妈妈')!;
      expect(row.getCell(1).fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFEE2E2' } });
      const others = [...Array(care.rowCount - 1).keys()].map((i) => care.getRow(i + 2)).filter((r) => r.number !== row.number);
      expect(others.map((r) => r.getCell(1).fill?.type ?? null)).toEqual(others.map(() => null));
    } finally {
      await w.t.stop();
    }
  });

  it('has no all-groups rows when the report has one group', async () => {
    const t = await testBot({ 'c1.yaml': classPlaybook() }, { now: '2026-11-17T09:00:00+08:00' });
    try {
      await t.say('王妈妈', '收到');
      const m = buildReport(t.bot.store, t.bot.engine.playbooks, RANGE, { now: REPORT_NOW });
      const rows = reportTables(m).filter((x) => x.id !== 'info').flatMap((x) => x.rows);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.group === '全部群')).toEqual([]);
      expect(reportTables(m).find((x) => x.id === 'activity')!.rows).toMatchObject([{ group: '三年级二班家长群', members: 1, messages: 1 }]);
    } finally {
      await t.stop();
    }
  });
});
