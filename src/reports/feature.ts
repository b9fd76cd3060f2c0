/**
 * The weekly report posted by the bot: on the playbook's `reports.schedule`, the Markdown summary
 * of the last complete week goes to the staff group (the coordinators' chat, where they sit), with
 * the full report as an HTML file: attached where the platform takes files, else named by its
 * place on the server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Feature, FireContext, ScheduledJob } from '../engine/feature.js';
import { compileCron } from '../playbook/cron.js';
import { text, type Playbook } from '../playbook/playbook.js';
import { HOUR } from '../time.js';
import { buildReport, type ReportModel } from './model.js';
import { pseudonymSecret } from './pseudonym.js';
import { lastCompleteWeek } from './range.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-md.js';
import type { ReportsConfig } from './schema.js';
import { reportBaseName } from './write.js';
import { oncePer } from '../memo.js';

/**
 * Writes the week's report as `<dir>/<week>/report-<week>-<playbook>.html` and returns its path.
 * HTML, not XLSX: it renders synchronously, so the file exists before the post that names it is
 * committed, and on a phone it reads as one page with charts (see README, Reports).
 */
function writeWeekFile(model: ReportModel, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${reportBaseName(model, false)}.html`);
  writeFileSync(path, renderHtml(model));
  return path;
}

function postWeek(ctx: FireContext, pb: Playbook, config: ReportsConfig): void {
  const { store, log, workDir, capabilities } = ctx.services;
  const range = lastCompleteWeek(ctx.scheduledAt, pb.timezone);
  const model = buildReport(store, [pb], range, { now: ctx.now, ...(config.pseudonymize ? { pseudonymSecret: pseudonymSecret(store) } : {}) });
  // Where the chat shows markdown as typed (WeChat), the summary is written as plain lines.
  const markdown = capabilities(ctx.group.platform)?.markdown ?? false;
  const summary = renderMarkdown(model, text(pb, 'report_weekly_title', { week: range.label, from: range.from, to: range.to }), { plain: !markdown });
  const opts = { cause: 'report', format: markdown ? 'markdown' : 'text', quiet: false } as const;
  let file: string;
  try {
    file = writeWeekFile(model, resolve(workDir, config.dir, range.label));
  } catch (e) {
    // A full disk or a read-only directory must not cost the coordinators their summary.
    log.error({ playbook: pb.id, dir: config.dir, err: (e as Error).message }, 'weekly report file could not be written; posting the summary alone');
    ctx.post(summary, opts);
    return;
  }
  if (capabilities(ctx.group.platform)?.files) {
    ctx.post(summary, { ...opts, attachment: { path: file, name: basename(file), mime: 'text/html' } });
  } else {
    const where = relative(workDir, file).split(sep).join('/');
    ctx.post(`${summary.trimEnd()}\n\n${text(pb, 'report_file_on_server', { path: where })}`, opts);
  }
}

function compileJobs(pb: Playbook): ScheduledJob[] {
  const config = pb.data.reports;
  if (!config) return [];
  return [
    {
      id: 'report:weekly',
      cron: compileCron(config.schedule),
      groups: ['staff'],
      // A holiday Monday still gets last week's report.
      calendar: false,
      // Coordinators still want it when the bot comes back during the morning.
      graceMs: 12 * HOUR,
      run: (ctx) => postWeek(ctx, pb, config),
    },
  ];
}

export const reportsFeature: Feature = {
  name: 'reports',
  jobs: oncePer(compileJobs),
};
