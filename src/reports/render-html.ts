/**
 * HTML: one self-contained file (inline CSS and SVG, no script, nothing fetched) that reads on a
 * screen, a phone included, and prints on A4: headline figures, three charts, then every table of the report.
 */
import { esc, followupsChart, participationChart, responseChart } from './charts.js';
import { decimal, delta, duration, localDateTime, percent, rangeZh } from './format.js';
import type { GroupReport, ReportModel } from './model.js';
import { careReasons, reportTitle } from './render-md.js';
import { reportTables, type Cell, type Column, type ReportTable } from './tables.js';

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1080px; padding: 24px; color: #111827; background: #fff;
  font: 14px/1.5 "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid #e5e7eb; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: #6b7280; margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
.card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 12px; }
.card .label { color: #6b7280; font-size: 12px; }
.card .value { font-size: 22px; font-weight: 600; }
.card .sub { color: #6b7280; font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(2, 1fr); gap: 12px 24px; align-items: start; }
figure { margin: 0; }
figcaption { font-weight: 600; margin: 8px 0 4px; }
svg { width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; font-size: 12.5px; }
.scroll { overflow-x: auto; }
th, td { border: 1px solid #e5e7eb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
/* A safety case still open: the row nobody may miss. */
tr.alert td { background: #fee2e2; font-weight: 600; }
.empty { color: #6b7280; }
.note { color: #92400e; background: #fffbeb; border: 1px solid #fde68a; border-radius: 6px; padding: 6px 10px; }
/* A phone (the weekly file is opened from the staff chat): two figures a row, one chart a row. */
@media screen and (max-width: 640px) {
  body { padding: 12px; }
  .cards { grid-template-columns: repeat(2, 1fr); }
  .charts { grid-template-columns: 1fr; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  figure, .card, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  table { font-size: 10px; }
}
`;

/** A cell as the HTML shows it (the same figure the XLSX and CSV hold, formatted). */
export function displayCell(column: Column, value: Cell): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (column.kind === 'rate') return percent(value);
  if (column.kind === 'number') return value.toFixed(column.digits ?? 1);
  return String(value);
}

function tableHtml(t: ReportTable): string {
  if (t.rows.length === 0) return `<section data-table="${t.id}"><h3>${esc(t.title)}</h3><p class="empty">无</p></section>`;
  const head = t.columns.map((c) => `<th>${esc(c.label)}</th>`).join('');
  const alert = new Set(t.highlight ?? []);
  const body = t.rows
    .map((r, i) => `<tr${alert.has(i) ? ' class="alert"' : ''}>${t.columns.map((c) => `<td${c.kind === 'text' ? '' : ' class="n"'}>${esc(displayCell(c, r[c.key] ?? null))}</td>`).join('')}</tr>`)
    .join('');
  // Wide tables scroll sideways in their own box on a narrow screen; the page does not.
  return `<section data-table="${t.id}"><h3>${esc(t.title)}</h3><div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

function card(label: string, value: string, sub = ''): string {
  return `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="sub">${esc(sub)}</div></div>`;
}

function cards(model: ReportModel, g: GroupReport): string {
  const a = g.activity;
  const f = g.followups.overall;
  const worried = g.worried.reduce((s, w) => s + w.messages, 0);
  return `<div class="cards">${[
    card('成员', String(a.members), `较上期 ${delta(a.members, a.previous.members)}`),
    card('活跃成员', String(a.activeMembers), `较上期 ${delta(a.activeMembers, a.previous.activeMembers)}`),
    card('消息', String(a.messages), `较上期 ${delta(a.messages, a.previous.messages)}`),
    card('打卡完成率', percent(g.checkins.completionRate), `${g.checkins.checkins}/${g.checkins.expected} 次`),
    card('提醒', `${g.reminders.sent} 次`, `提醒后打卡 ${g.reminders.checkinsAfter} 次`),
    card('关注消息', String(worried), g.worried.map((w) => `${model.labels.category[w.category] ?? w.category} ${w.messages}`).join('、')),
    card('跟进', `新开 ${f.opened}`, `首次响应中位 ${duration(f.firstResponse.median)} · 超时 ${f.respondBreaches + f.resolveBreaches} · 评分 ${decimal(f.averageRating)}`),
    card('需要关怀', `${g.care.length} 人`, g.care.slice(0, 3).map((c) => `${c.name}（${careReasons(c)}）`).join('、')),
  ].join('')}</div>`;
}

export function renderHtml(model: ReportModel): string {
  const title = reportTitle(model);
  const all = model.all;
  const tables = reportTables(model).filter((t) => t.id !== 'info');
  const perGroup = model.groups.length > 1 ? model.groups.filter((g) => g.checkins.played) : [];
  const tz = model.playbooks[0]?.timezone ?? 'Asia/Shanghai';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">对比 ${esc(rangeZh(model.previous))} · 生成于 ${esc(localDateTime(model.generatedAt, tz))} · ${esc(model.playbooks.map((p) => p.name).join('、'))}</p>
${model.pseudonymized ? '<p class="note">成员姓名已替换为化名，可用于校外分享。</p>' : '<p class="note">含家长实名，仅限校内使用；对外分享请加 --pseudonymize 重新生成。</p>'}
</header>
<h2>总览（全部群）</h2>
${cards(model, all)}
<h2>图表</h2>
<div class="charts">
<figure data-chart="participation"><figcaption>打卡参与率（按天，全部群）</figcaption>${all.checkins.played ? participationChart(all.checkins.days) : '<p class="empty">没有打卡活动。</p>'}</figure>
<figure data-chart="followups"><figcaption>跟进（按类别）</figcaption>${followupsChart(all.followups.byCategory, model.labels.category, model.labels.status.dismissed ?? '驳回')}</figure>
<figure data-chart="response"><figcaption>首次响应时间与响应时限（对数刻度）</figcaption>${responseChart(all.followups.byCategory, model.labels.category)}</figure>
${perGroup.map((g) => `<figure data-chart="participation-${esc(g.playbookId ?? '')}-${esc(g.groupKey ?? '')}"><figcaption>打卡参与率：${esc(g.groupName)}</figcaption>${participationChart(g.checkins.days)}</figure>`).join('\n')}
</div>
<h2>明细</h2>
${tables.map(tableHtml).join('\n')}
</body>
</html>
`;
}
