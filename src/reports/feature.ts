/**
 * The weekly report posted by the bot: on the playbook's `reports.schedule`, the Markdown summary
 * of the last complete week goes to the staff group (the coordinators' chat, where they sit).
 */
import type { Feature, ScheduledJob } from '../engine/feature.js';
import { compileCron } from '../playbook/cron.js';
import { text, type Playbook } from '../playbook/playbook.js';
import { HOUR } from '../time.js';
import { buildReport } from './model.js';
import { pseudonymSecret } from './pseudonym.js';
import { lastCompleteWeek } from './range.js';
import { renderMarkdown } from './render-md.js';

const jobs = new WeakMap<Playbook, ScheduledJob[]>();

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
      run(ctx) {
        const { store } = ctx.services;
        const range = lastCompleteWeek(ctx.scheduledAt, pb.timezone);
        const model = buildReport(store, [pb], range, { now: ctx.now, ...(config.pseudonymize ? { pseudonymSecret: pseudonymSecret(store) } : {}) });
        const title = text(pb, 'report_weekly_title', { week: range.label, from: range.from, to: range.to });
        ctx.post(renderMarkdown(model, title), { cause: 'report', format: 'markdown', quiet: false });
      },
    },
  ];
}

export const reportsFeature: Feature = {
  name: 'reports',
  jobs(pb) {
    let list = jobs.get(pb);
    if (!list) jobs.set(pb, (list = compileJobs(pb)));
    return list;
  },
};
