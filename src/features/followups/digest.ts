/**
 * The morning digest: once a day, when quiet hours end (or at `followups.digest`), the staff group
 * gets one message listing its playbook's open and claimed follow-ups, overdue ones first. A
 * scheduled job, so the scheduler's claim on the fire makes it once per day across restarts.
 */
import type { ScheduledJob } from '../../engine/feature.js';
import { compileCron } from '../../playbook/cron.js';
import { text, type Playbook } from '../../playbook/playbook.js';
import { oncePer } from '../../memo.js';
import { SYSTEM } from './actions.js';
import { currentDeadline, followupVars } from './format.js';
import { followupRepo, type Followup } from './repo.js';
import { followupSettings } from './settings.js';

const MINUTE = 60_000;

/** 25分钟, 9小时, 2天3小时: how long a follow-up has been waiting. */
export function formatAge(pb: Playbook, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return text(pb, hours > 0 ? 'followup_age_days_hours' : 'followup_age_days', { days, hours });
  return hours > 0 ? text(pb, 'followup_age_hours', { hours }) : text(pb, 'followup_age_minutes', { minutes });
}

function digestText(pb: Playbook, rows: Followup[], now: number): string {
  const overdue = (f: Followup) => currentDeadline(f) < now;
  const sorted = [...rows].sort((a, b) => Number(overdue(b)) - Number(overdue(a)) || a.openedAt - b.openedAt || a.id - b.id);
  const lines = sorted.map((f) =>
    text(pb, 'followup_digest_item', {
      ...followupVars(pb, f, now),
      age: formatAge(pb, now - f.openedAt),
      overdue: overdue(f) ? text(pb, 'followup_digest_overdue') : '',
    }),
  );
  return [text(pb, 'followup_digest_header', { count: rows.length, overdue: rows.filter(overdue).length }), ...lines].join('\n');
}

export const digestJobs = oncePer((pb: Playbook): ScheduledJob[] => {
  const minute = followupSettings(pb).digestMinute;
  if (minute === null || !pb.staffGroup) return [];
  return [
    {
      id: 'followups:digest',
      cron: compileCron(`${minute % 60} ${Math.floor(minute / 60)} * * *`),
      groups: ['staff'],
      // Worried families do not take holidays off.
      calendar: false,
      run(ctx) {
        const repo = followupRepo(ctx.services.store);
        const rows = repo.list([pb.id], ['open', 'claimed'], Number.MAX_SAFE_INTEGER);
        if (rows.length === 0) return;
        ctx.post(digestText(pb, rows, ctx.now), { cause: 'followup' });
        for (const f of rows) repo.change(f, {}, ctx.now, SYSTEM, 'digest', ctx.date);
      },
    },
  ];
});
