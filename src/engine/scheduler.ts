import type { Statement } from 'better-sqlite3';
import type { Playbook } from '../playbook/playbook.js';
import { groupByKey } from '../playbook/playbook.js';
import { DAY, addDays, localDate, zonedToUtc } from '../time.js';
import type { Feature, ScheduledJob, Services } from './feature.js';

export const DEFAULT_GRACE_MS = 30 * 60_000;
/** After a long outage, older fires are not even recorded as missed. */
const MAX_CATCH_UP_MS = 8 * DAY;

export interface Fire {
  at: number;
  date: string;
  /** Set when the calendar skips the day (holiday name). */
  skipped?: string;
}

/** Fire instants of `job` in (from, to], in the playbook's timezone and calendar. */
export function fireTimes(job: ScheduledJob, pb: Playbook, from: number, to: number): Fire[] {
  const out: Fire[] = [];
  const { cron } = job;
  const last = localDate(to, pb.timezone);
  for (let date = localDate(from, pb.timezone); date <= last; date = addDays(date, 1)) {
    if ((job.from && date < job.from) || (job.to && date > job.to)) continue;
    const day = pb.calendar.day(date);
    const [, month, dom] = date.split('-').map(Number) as [number, number, number];
    if (!cron.months.has(month)) continue;
    const domOk = cron.daysOfMonth.has(dom);
    const dowOk = cron.daysOfWeek.has(day.scheduleWeekday);
    if (cron.dayMatch === 'and' ? !(domOk && dowOk) : !(domOk || dowOk)) continue;
    for (const h of cron.hours) {
      for (const m of cron.minutes) {
        const at = zonedToUtc(date, h * 60 + m, pb.timezone);
        if (at <= from || at > to) continue;
        out.push(day.skipped && job.calendar !== false ? { at, date, skipped: day.reason } : { at, date });
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

export type FireStatus = 'sent' | 'missed' | 'skipped' | 'failed';

/**
 * Runs the features' jobs. Every fire is claimed by a unique (playbook, job, group, time) row
 * before it runs, in the same transaction as the messages it queues: across restarts and several
 * bots sharing one database, a fire happens at most once. Fires missed while the bot was down
 * run late within their grace window and are recorded as missed after it.
 */
export class Scheduler {
  private jobs: { playbook: Playbook; job: ScheduledJob }[] = [];
  private readonly claim: Statement;
  private readonly getMeta: Statement;
  private readonly setMeta: Statement;

  constructor(
    private readonly services: Services,
    private readonly features: Feature[],
  ) {
    const db = services.store.sqlite;
    this.claim = db.prepare(
      `INSERT OR IGNORE INTO schedule_fires (playbook_id, job_id, group_key, scheduled_at, status, claimed_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.getMeta = db.prepare(`SELECT value FROM meta WHERE key = 'scheduler.last_tick'`);
    this.setMeta = db.prepare(`INSERT INTO meta (key, value) VALUES ('scheduler.last_tick', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  }

  setPlaybooks(playbooks: Playbook[]): void {
    this.jobs = playbooks.flatMap((playbook) => this.features.flatMap((f) => f.jobs?.(playbook) ?? []).map((job) => ({ playbook, job })));
  }

  /** Runs everything due in (last tick, now]. */
  tick(now: number): void {
    const row = this.getMeta.get() as { value: string } | undefined;
    // The first start ever has nothing to catch up.
    const last = row ? Number(row.value) : now;
    const from = Math.max(last, now - MAX_CATCH_UP_MS);
    if (now <= from && row) return;
    for (const { playbook, job } of this.jobs) {
      for (const fire of fireTimes(job, playbook, from, now)) this.fire(playbook, job, fire, now);
    }
    this.setMeta.run(String(now));
  }

  private fire(playbook: Playbook, job: ScheduledJob, fire: Fire, now: number): void {
    const { store, log } = this.services;
    for (const groupKey of job.groups) {
      const group = groupByKey(playbook, groupKey);
      if (!group) continue;
      const late = now - fire.at > (job.graceMs ?? DEFAULT_GRACE_MS);
      const status: FireStatus = fire.skipped ? 'skipped' : late ? 'missed' : 'sent';
      try {
        store.tx(() => {
          const claimed = this.claim.run(playbook.id, job.id, groupKey, fire.at, status, now, fire.skipped ?? null).changes > 0;
          if (!claimed || status !== 'sent') return;
          job.run({
            services: this.services,
            playbook,
            group,
            jobId: job.id,
            scheduledAt: fire.at,
            now,
            key: `fire:${playbook.id}:${job.id}:${groupKey}:${fire.at}`,
          });
        });
        if (status === 'missed') log.warn({ playbook: playbook.id, job: job.id, group: groupKey, at: new Date(fire.at).toISOString() }, 'scheduled fire missed while the bot was down');
      } catch (e) {
        log.error({ playbook: playbook.id, job: job.id, group: groupKey, err: (e as Error).message }, 'scheduled job failed');
        this.claim.run(playbook.id, job.id, groupKey, fire.at, 'failed', now, (e as Error).message);
      }
    }
  }
}
