import type { Statement } from 'better-sqlite3';
import type { Playbook } from '../playbook/playbook.js';
import { groupByKey } from '../playbook/playbook.js';
import type { GroupConfig } from '../playbook/schema.js';
import { DAY, addDays, localDate, zonedToUtc } from '../time.js';
import type { Feature, FireContext, ScheduledJob, Services } from './feature.js';
import { isStoreUnavailable } from '../store/errors.js';
import type { SendOutcome } from './messenger.js';
import { quietHoursDecision } from './quiet-hours.js';

export const DEFAULT_GRACE_MS = 30 * 60_000;
/** After a long outage, older fires are not even recorded as missed. */
const MAX_CATCH_UP_MS = 8 * DAY;
/**
 * How often a playbook's progress is written down. A restart rescans at most this much already
 * handled time, which costs nothing: those fires are claimed and do not run again.
 */
const PERSIST_EVERY_MS = 60_000;

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

/**
 * What became of a fire. `sent`: the job ran and its posts were queued; `held`: queued for the end
 * of quiet hours (detail: ISO instant of release); `dropped`: inside quiet hours with policy drop;
 * `no_target`: the group's chat id is not known yet, nothing could be queued; `missed`: the bot was
 * down past the grace window; `skipped`: a calendar day off (detail: its name); `failed`: the job
 * threw (detail: the error).
 */
export type FireStatus = 'sent' | 'held' | 'dropped' | 'no_target' | 'missed' | 'skipped' | 'failed';

/** The fire's status from what its posts became; the least successful post decides. */
function statusOf(outcomes: SendOutcome[]): FireStatus {
  if (outcomes.includes('no-target')) return 'no_target';
  if (outcomes.includes('dropped')) return 'dropped';
  if (outcomes.includes('held')) return 'held';
  return 'sent';
}

/**
 * Runs the features' jobs. Every fire is claimed by a unique (playbook, job, group, time) row
 * before it runs, in the same transaction as the messages it queues: across restarts and several
 * bots sharing one database, a fire happens at most once. Fires missed while the bot was down
 * run late within their grace window and are recorded as missed after it.
 *
 * Each bot scans from its own last tick, per playbook (bots sharing a database may run different
 * playbooks, and one bot's progress must not hide another's fires); the persisted tick per
 * playbook only tells a restarted bot where to resume.
 */
export class Scheduler {
  private jobs: { playbook: Playbook; job: ScheduledJob }[] = [];
  private playbookList: Playbook[] = [];
  /** Playbook id → the instant this bot has scanned up to, and when it last persisted it. */
  private readonly progress = new Map<string, { last: number; persisted: number }>();
  private readonly claim: Statement;
  private readonly settle: Statement;
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
    this.settle = db.prepare(`UPDATE schedule_fires SET status = ?, detail = ? WHERE id = ?`);
    this.getMeta = db.prepare(`SELECT value FROM meta WHERE key = ?`);
    // Several bots may persist one playbook's progress: it only ever moves forward.
    this.setMeta = db.prepare(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
    );
  }

  setPlaybooks(playbooks: Playbook[]): void {
    this.playbookList = playbooks;
    this.jobs = playbooks.flatMap((playbook) => this.features.flatMap((f) => f.jobs?.(playbook) ?? []).map((job) => ({ playbook, job })));
  }

  /**
   * Runs everything due in (last tick, now], oldest first. Throws when the store is busy or full:
   * then this bot's progress stays where it was, and the next tick runs the fires again (those
   * already claimed are skipped), late but within their grace window.
   */
  tick(now: number): void {
    const windows = new Map<string, number>();
    for (const pb of this.playbookList) {
      const from = Math.max(this.lastTick(pb.id, now), now - MAX_CATCH_UP_MS);
      if (now > from) windows.set(pb.id, from);
    }
    const due = this.jobs.flatMap(({ playbook, job }) => {
      const from = windows.get(playbook.id);
      return from === undefined ? [] : fireTimes(job, playbook, from, now).map((fire) => ({ playbook, job, fire }));
    });
    due.sort((a, b) => a.fire.at - b.fire.at);
    for (const { playbook, job, fire } of due) this.fire(playbook, job, fire, now);
    for (const id of windows.keys()) {
      const p = this.progress.get(id)!;
      p.last = now;
      if (now - p.persisted >= PERSIST_EVERY_MS) {
        this.setMeta.run(`scheduler.last_tick:${id}`, String(now));
        p.persisted = now;
      }
    }
  }

  /** Where this bot resumes scanning a playbook: its own progress, else the persisted one, else now. */
  private lastTick(id: string, now: number): number {
    let p = this.progress.get(id);
    if (!p) {
      const row = this.getMeta.get(`scheduler.last_tick:${id}`) as { value: string } | undefined;
      // A playbook never run before has nothing to catch up, but a fire due this very instant still runs.
      const last = row ? Number(row.value) : now - 1;
      p = { last, persisted: row ? last : -Infinity };
      this.progress.set(id, p);
    }
    return p.last;
  }

  private fire(playbook: Playbook, job: ScheduledJob, fire: Fire, now: number): void {
    const { store, log } = this.services;
    const late = now - fire.at > (job.graceMs ?? DEFAULT_GRACE_MS);
    const initial: FireStatus = fire.skipped ? 'skipped' : late ? 'missed' : 'sent';
    for (const groupKey of job.groups) {
      const group = groupByKey(playbook, groupKey);
      if (!group) continue;
      const where = { playbook: playbook.id, job: job.id, group: groupKey, at: new Date(fire.at).toISOString() };
      try {
        const status = store.tx(() => {
          const claim = this.claim.run(playbook.id, job.id, groupKey, fire.at, initial, now, fire.skipped ?? null);
          if (claim.changes === 0) return null;
          if (initial !== 'sent') return initial;
          const outcomes = this.run(playbook, job, group, fire, now);
          const status = statusOf(outcomes);
          const detail = status === 'held' ? heldUntil(playbook, now) : null;
          if (status !== 'sent') this.settle.run(status, detail, claim.lastInsertRowid);
          return status;
        });
        if (status === 'missed') log.warn(where, 'scheduled fire missed while the bot was down');
        if (status === 'no_target') log.warn(where, 'scheduled fire found no chat id for its group (nobody has posted there yet); recorded, not sent');
      } catch (e) {
        // Nothing of the fire was kept: it is not a failed job, it is tried again next tick.
        if (isStoreUnavailable(e)) throw e;
        log.error({ ...where, err: (e as Error).message }, 'scheduled job failed');
        this.claim.run(playbook.id, job.id, groupKey, fire.at, 'failed', now, (e as Error).message);
      }
    }
  }

  private run(playbook: Playbook, job: ScheduledJob, group: GroupConfig, fire: Fire, now: number): SendOutcome[] {
    const { messenger } = this.services;
    const key = `fire:${playbook.id}:${job.id}:${group.key}:${fire.at}`;
    const outcomes: SendOutcome[] = [];
    let n = 0;
    const ctx: FireContext = {
      services: this.services,
      playbook,
      group,
      jobId: job.id,
      scheduledAt: fire.at,
      date: fire.date,
      now,
      key,
      post: (text, opts = {}) => {
        const outcome = messenger.toGroup(playbook, group, text, { cause: job.id, quiet: true, ...opts, key: `${key}:${n++}` });
        outcomes.push(outcome);
        return outcome;
      },
    };
    job.run(ctx);
    return outcomes;
  }
}

/** When a post held at `now` by quiet hours goes out, as recorded on its fire. */
function heldUntil(playbook: Playbook, now: number): string | null {
  const d = quietHoursDecision(playbook, now, false);
  return d.action === 'hold' ? new Date(d.until).toISOString() : null;
}
