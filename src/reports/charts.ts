/**
 * The HTML report's charts as inline SVG strings: no script, no network, prints as vectors.
 * Every mark carries a <title> (hover text) and data-* attributes with its figure.
 */
import { dayRate, type CheckinDay } from './checkins.js';
import type { FollowupFigures } from './followups.js';
import { duration, percent, shortDateZh } from './format.js';
import { weekdayOf, weekdayZh } from '../time.js';

export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const COLORS = { bar: '#3b82f6', late: '#f97316', done: '#10b981', off: '#d1d5db', deadline: '#dc2626', p90: '#1e3a8a', grid: '#e5e7eb', text: '#374151' };
const FONT = `font-family="inherit" fill="${COLORS.text}"`;

/** Vertical bars: the share of members who checked in, per day; rest days and holidays grey. */
export function participationChart(days: CheckinDay[], width = 520): string {
  const height = 200;
  const top = 20;
  const bottom = 36;
  const left = 36;
  const plot = height - top - bottom;
  const step = (width - left - 8) / Math.max(days.length, 1);
  const barW = Math.min(48, step * 0.7);
  const y = (r: number) => top + plot * (1 - r);
  const grid = [0, 0.5, 1]
    .map((r) => `<line x1="${left}" x2="${width - 8}" y1="${y(r)}" y2="${y(r)}" stroke="${COLORS.grid}"/><text x="${left - 4}" y="${y(r) + 4}" font-size="10" text-anchor="end" ${FONT}>${r * 100}%</text>`)
    .join('');
  const bars = days
    .map((d, i) => {
      const x = left + i * step + (step - barW) / 2;
      const cx = x + barW / 2;
      const label = `<text x="${cx}" y="${height - 20}" font-size="10" text-anchor="middle" ${FONT}>${esc(shortDateZh(d.date).replace('月', '/').replace('日', ''))}</text>` +
        `<text x="${cx}" y="${height - 7}" font-size="10" text-anchor="middle" ${FONT}>${weekdayZh(weekdayOf(d.date))}</text>`;
      const r = dayRate(d);
      if (r === null) {
        return `<g data-date="${d.date}" data-rate=""><title>${esc(`${shortDateZh(d.date)}：非打卡日`)}</title><rect x="${x}" y="${y(1)}" width="${barW}" height="${plot}" fill="${COLORS.off}" opacity="0.35"/><text x="${cx}" y="${y(0) - 4}" font-size="10" text-anchor="middle" ${FONT}>休</text>${label}</g>`;
      }
      const title = `${shortDateZh(d.date)}：${d.checkedIn}/${d.members - d.excused} 人打卡（${percent(r)}）`;
      return `<g data-date="${d.date}" data-rate="${r.toFixed(4)}"><title>${esc(title)}</title><rect x="${x}" y="${y(r)}" width="${barW}" height="${plot * r}" fill="${COLORS.bar}"/>` +
        `<text x="${cx}" y="${y(r) - 4}" font-size="10" text-anchor="middle" ${FONT}>${percent(r, 0)}</text>${label}</g>`;
    })
    .join('');
  return svg(width, height, '每日打卡参与率', grid + bars);
}

/** Horizontal bars per category: follow-ups opened, resolved and dismissed in the period. */
export function followupsChart(byCategory: FollowupFigures[], labels: Record<string, string>, dismissed: string, width = 520): string {
  if (byCategory.length === 0) return '<p class="empty">本期没有跟进。</p>';
  const series = [
    { name: '新开', color: COLORS.bar, value: (f: FollowupFigures) => f.opened },
    { name: '已解决', color: COLORS.done, value: (f: FollowupFigures) => f.resolved },
    { name: dismissed, color: COLORS.off, value: (f: FollowupFigures) => f.dismissed },
  ];
  const bar = 10;
  const rowH = series.length * bar + 10;
  const left = 72;
  const top = 24;
  const height = top + rowH * byCategory.length + 4;
  const max = Math.max(1, ...byCategory.flatMap((f) => series.map((s) => s.value(f))));
  const w = (n: number) => ((width - left - 40) * n) / max;
  const legend = series
    .map((s, i) => `<rect x="${left + i * 70}" y="4" width="10" height="10" fill="${s.color}"/><text x="${left + i * 70 + 14}" y="13" font-size="11" ${FONT}>${esc(s.name)}</text>`)
    .join('');
  const rows = byCategory
    .map((f, i) => {
      const y0 = top + i * rowH;
      const name = labels[f.category] ?? f.category;
      const bars = series
        .map((s, j) => `<rect x="${left}" y="${y0 + j * bar}" width="${w(s.value(f))}" height="${bar - 2}" fill="${s.color}"/><text x="${left + w(s.value(f)) + 4}" y="${y0 + j * bar + 8}" font-size="9" ${FONT}>${s.value(f)}</text>`)
        .join('');
      return `<g data-category="${esc(f.category)}" data-opened="${f.opened}" data-resolved="${f.resolved}" data-dismissed="${f.dismissed}">` +
        `<title>${esc(`${name}：${series.map((s) => `${s.name} ${s.value(f)}`).join('，')}`)}</title>` +
        `<text x="${left - 6}" y="${y0 + rowH / 2}" font-size="12" text-anchor="end" ${FONT}>${esc(name)}</text>${bars}</g>`;
    })
    .join('');
  return svg(width, height, '各类别跟进数量', legend + rows);
}

const TICKS = [1, 5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080];
const tickLabel = (m: number) => (m < 60 ? `${m}分` : m < 1440 ? `${m / 60}时` : `${m / 1440}天`);

/**
 * Per category: the median time to first response (bar), its 90th percentile (whisker) and the
 * respond deadline (red dashes), on a logarithmic scale so minutes and days both read.
 */
export function responseChart(byCategory: FollowupFigures[], labels: Record<string, string>, width = 520): string {
  const rows = byCategory.filter((f) => f.firstResponse.n > 0);
  if (rows.length === 0) return '<p class="empty">本期没有首次响应记录。</p>';
  const rowH = 28;
  const left = 72;
  const top = 24;
  const axis = 22;
  const height = top + rowH * rows.length + axis;
  const hi = Math.max(60, ...rows.flatMap((f) => [f.firstResponse.p90 ?? 0, f.respondDeadline ?? 0])) * 1.5;
  const span = Math.log10(hi);
  const x = (m: number) => left + ((width - left - 16) * Math.log10(Math.max(1, m))) / span;
  const bottom = top + rowH * rows.length;
  const ticks = TICKS.filter((t) => t <= hi)
    .map((t) => `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 4}" y2="${bottom}" stroke="${COLORS.grid}"/><text x="${x(t)}" y="${bottom + 14}" font-size="10" text-anchor="middle" ${FONT}>${tickLabel(t)}</text>`)
    .join('');
  const late = (f: FollowupFigures) => f.respondDeadline !== null && f.firstResponse.median! > f.respondDeadline;
  // Each legend entry is drawn in exactly its marks' colour (data-series ties them for the tests).
  const entries = [
    { series: 'median', name: '中位数', swatch: (x0: number) => `<rect x="${x0}" y="4" width="10" height="10" fill="${COLORS.bar}"/>`, width: 66 },
    ...(rows.some(late)
      ? [{ series: 'late', name: '中位数超时限', swatch: (x0: number) => `<rect x="${x0}" y="4" width="10" height="10" fill="${COLORS.late}"/>`, width: 100 }]
      : []),
    { series: 'p90', name: 'P90', swatch: (x0: number) => `<line x1="${x0}" x2="${x0 + 14}" y1="9" y2="9" stroke="${COLORS.p90}" stroke-width="2"/>`, width: 54 },
    {
      series: 'deadline',
      name: '响应时限',
      swatch: (x0: number) => `<line x1="${x0}" x2="${x0 + 14}" y1="9" y2="9" stroke="${COLORS.deadline}" stroke-width="2" stroke-dasharray="3 2"/>`,
      width: 80,
    },
  ];
  let at = left;
  const legend = entries
    .map((e) => {
      const g = `<g data-legend="${e.series}">${e.swatch(at)}<text x="${at + 18}" y="13" font-size="11" ${FONT}>${e.name}</text></g>`;
      at += e.width;
      return g;
    })
    .join('');
  const marks = rows
    .map((f, i) => {
      const y0 = top + i * rowH;
      const median = f.firstResponse.median!;
      const p90 = f.firstResponse.p90!;
      const name = labels[f.category] ?? f.category;
      const deadline = f.respondDeadline;
      const over = late(f);
      const title = `${name}：首次响应中位 ${duration(median)}，P90 ${duration(p90)}${deadline !== null ? `，时限 ${duration(deadline)}` : ''}`;
      return `<g data-category="${esc(f.category)}" data-median="${median.toFixed(1)}" data-p90="${p90.toFixed(1)}" data-deadline="${deadline ?? ''}"><title>${esc(title)}</title>` +
        `<text x="${left - 6}" y="${y0 + 16}" font-size="12" text-anchor="end" ${FONT}>${esc(name)}</text>` +
        `<rect data-series="${over ? 'late' : 'median'}" x="${left}" y="${y0 + 6}" width="${Math.max(1, x(median) - left)}" height="12" fill="${over ? COLORS.late : COLORS.bar}"/>` +
        `<g data-series="p90"><line x1="${x(median)}" x2="${x(p90)}" y1="${y0 + 12}" y2="${y0 + 12}" stroke="${COLORS.p90}" stroke-width="2"/><line x1="${x(p90)}" x2="${x(p90)}" y1="${y0 + 7}" y2="${y0 + 17}" stroke="${COLORS.p90}" stroke-width="2"/></g>` +
        (deadline !== null ? `<line data-series="deadline" x1="${x(deadline)}" x2="${x(deadline)}" y1="${y0 + 2}" y2="${y0 + 22}" stroke="${COLORS.deadline}" stroke-width="2" stroke-dasharray="3 2"/>` : '') +
        '</g>';
    })
    .join('');
  return svg(width, height, '首次响应时间与时限', legend + ticks + marks);
}

function svg(width: number, height: number, label: string, body: string): string {
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}">${body}</svg>`;
}
