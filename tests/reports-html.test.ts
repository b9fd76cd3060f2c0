/**
 * The HTML report in a real headless Chromium (Debian's `chromium`, never a downloaded browser):
 * it loads from disk without a console error or a network request, its tables and charts show the
 * week's figures, it reads on a phone-sized screen, it prints to PDF, and a screenshot is taken.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type ReportModel } from '../src/reports/model.js';
import { displayCell, renderHtml } from '../src/reports/render-html.js';
import { reportTables } from '../src/reports/tables.js';
import { buildReportWeek, RANGE, REPORT_NOW, type ReportWeek } from './helpers/report-week.js';

const CHROMIUM = '/usr/bin/chromium';

let week: ReportWeek;
let model: ReportModel;
let dir: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: the HTML report test needs it (npm test installs it first: scripts/test-tools.mjs).`);
  }
  week = await buildReportWeek();
  model = buildReport(week.t.bot.store, week.t.bot.engine.playbooks, RANGE, { now: REPORT_NOW });
  dir = mkdtempSync(join(tmpdir(), 'classbot-html-'));
  writeFileSync(join(dir, 'report.html'), renderHtml(model));
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 900 },
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
});

afterAll(async () => {
  await context?.close();
  await week?.t.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HTML report in Chromium', () => {
  it('loads without console errors and without fetching anything', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(dir, 'report.html')).href]);
  });

  it('shows every table of the report with its figures', async () => {
    for (const t of reportTables(model).filter((x) => x.id !== 'info')) {
      const shown = await page.$$eval(`section[data-table="${t.id}"] tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
      expect(shown, t.id).toEqual([t.columns.map((c) => c.label), ...t.rows.map((r) => t.columns.map((c) => displayCell(c, r[c.key] ?? null)))]);
    }
  });

  it('draws the charts with the week’s figures', async () => {
    const days = await page.$$eval('figure[data-chart="participation"] g[data-date]', (gs) => gs.map((g) => [g.getAttribute('data-date'), g.getAttribute('data-rate')]));
    expect(days).toEqual([
      ['2026-11-16', '0.6000'], ['2026-11-17', '0.6000'], ['2026-11-18', '0.6667'], ['2026-11-19', '0.5000'],
      ['2026-11-20', '0.4000'], ['2026-11-21', '0.3333'], ['2026-11-22', '0.3333'],
    ]);
    // Bars are as tall as their rate: 60% of the plot for the 16th.
    const [full, bar] = await page.$eval('figure[data-chart="participation"] g[data-date="2026-11-16"] rect', (r) => {
      const plot = r.ownerSVGElement!.viewBox.baseVal.height - 20 - 36;
      return [plot, Number(r.getAttribute('height'))];
    });
    expect(bar / full).toBeCloseTo(0.6, 5);
    const categories = await page.$$eval('figure[data-chart="followups"] g[data-category]', (gs) =>
      gs.map((g) => ['category', 'opened', 'resolved', 'dismissed'].map((a) => g.getAttribute(`data-${a}`))),
    );
    expect(categories).toEqual([['safety', '1', '1', '0'], ['complaint', '1', '0', '0'], ['wellbeing', '1', '0', '0'], ['academic', '1', '1', '0'], ['question', '0', '0', '1']]);
    const response = await page.$$eval('figure[data-chart="response"] g[data-category]', (gs) => gs.map((g) => [g.getAttribute('data-category'), g.getAttribute('data-median'), g.getAttribute('data-deadline')]));
    expect(response).toEqual([['safety', '30.0', '10'], ['complaint', '5.0', '30'], ['academic', '10.0', '15'], ['question', '2820.0', '15']]);
    const titles = await page.$$eval('figure[data-chart="participation"] title', (ts) => ts.map((t) => t.textContent));
    expect(titles[2]).toBe('11月18日：4/6 人打卡（66.7%）');
  });

  it('draws every mark of the response chart in its legend entry’s colour', async () => {
    // The paint of a shape as drawn: a bar's fill, a line's stroke, and its opacity.
    const legend = await page.$$eval('figure[data-chart="response"] [data-legend]', (gs) =>
      gs.map((g) => {
        const shape = g.querySelector('rect, line')!;
        const style = g.ownerDocument.defaultView!.getComputedStyle(shape);
        return { series: g.getAttribute('data-legend')!, name: g.textContent, fill: shape.tagName === 'rect' ? style.fill : style.stroke, opacity: style.opacity };
      }),
    );
    const marks = await page.$$eval('figure[data-chart="response"] g[data-category] [data-series]', (ms) =>
      ms.flatMap((m) =>
        (m.tagName === 'g' ? [...m.children] : [m]).map((shape) => {
          const style = m.ownerDocument.defaultView!.getComputedStyle(shape);
          return { category: m.closest('[data-category]')!.getAttribute('data-category'), series: m.getAttribute('data-series')!, fill: shape.tagName === 'rect' ? style.fill : style.stroke, opacity: style.opacity };
        }),
      ),
    );
    const colours = { legend: new Map(legend.map((l) => [l.series, l])), marks };
    expect(legend.map((l) => l.name)).toEqual(['中位数', '中位数超时限', 'P90', '响应时限']);
    // Safety (30 of 10 minutes) and the question (2820 of 15) answered late, in the late colour.
    expect(colours.marks.filter((m) => m.series === 'late').map((m) => m.category)).toEqual(['safety', 'question']);
    expect(colours.marks.length).toBeGreaterThan(8);
    for (const m of colours.marks) expect({ fill: m.fill, opacity: m.opacity }, `${m.category} ${m.series}`).toEqual({ fill: colours.legend.get(m.series)!.fill, opacity: colours.legend.get(m.series)!.opacity });
  });

  it('reads on a phone: two figures a row, one chart a row, wide tables scroll in their own box', async () => {
    const phone = await context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
      const columns = (sel: string) => phone.$eval(sel, (el) => el.ownerDocument.defaultView!.getComputedStyle(el).gridTemplateColumns.split(' ').length);
      const boxes = await phone.$$eval('section[data-table] table', (ts) => ts.map((t) => ({ scroll: t.parentElement!.scrollWidth, right: t.parentElement!.getBoundingClientRect().right })));
      const layout = {
        pageWidth: await phone.$eval('html', (html) => html.scrollWidth),
        cards: await columns('.cards'),
        charts: await columns('.charts'),
        widestTable: Math.max(...boxes.map((b) => b.scroll)),
        tableBoxes: boxes.map((b) => Math.ceil(b.right)),
      };
      // Nothing makes the page itself wider than the phone, though some tables are.
      expect(layout.pageWidth).toBe(390);
      expect(layout.widestTable).toBeGreaterThan(390);
      expect(Math.max(...layout.tableBoxes)).toBeLessThanOrEqual(390);
      expect([layout.cards, layout.charts]).toEqual([2, 1]);
    } finally {
      await phone.close();
    }
  });

  it('takes a screenshot and prints to PDF', async () => {
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    // The README's picture: REPORT_SCREENSHOT=tests/screenshots/report-html.png npx vitest run tests/reports-html.test.ts
    const doc = process.env.REPORT_SCREENSHOT;
    if (doc) await page.screenshot({ path: doc, fullPage: true, clip: { x: 0, y: 0, width: 1100, height: 1320 } });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(problems).toEqual([]);
  });
});
