/**
 * 4. Scheduler: a district of 5,000 class groups with three reminders each, on Lark, DingTalk and
 * WeChat. Start-up (load and validate the playbooks, schedule their jobs) is timed; then the
 * 19:00 homework reminder fires for every group at once and the outbox drains it on a simulated
 * clock, one engine tick per simulated second as the running bot does, to null adapters that
 * declare the real adapters' rate limits. DingTalk's monthly call quota runs out part-way and comes
 * back 40 minutes later. An independent check replays every send against each limit (per chat,
 * each app-wide window), counts the calls made into the exhausted quota beyond the outbox's
 * probes, and counts each reminder's deliveries: none lost, none twice.
 */
import { join } from 'node:path';
import { startBot } from '../../src/bot.js';
import { FakeClock } from '../../src/clock.js';
import { PROBE_EVERY_MS } from '../../src/engine/platform-blocks.js';
import { SendError, type OutboundMessage, type Platform, type RateBudget, type RateLimits } from '../../src/model.js';
import { writeDistrict } from '../lib/district.js';
import { now, peakRssMb, rssMb, scratchDir } from '../lib/measure.js';
import { NullAdapter } from '../lib/null-adapter.js';
import { figure, skipped, type SectionResult } from '../lib/result.js';
import type { SectionContext } from './context.js';

const GROUPS_PER_PLAYBOOK = 100;
/** Playbook i's platform: two in five on Lark, two on DingTalk, one on WeChat. */
const PLATFORM_CYCLE: Platform[] = ['lark', 'dingtalk', 'lark', 'dingtalk', 'wechaty'];
const DAY = '2026-11-24';
const BURST_AT = Date.parse(`${DAY}T19:00:00+08:00`);
/** Give up draining after this much simulated time. */
const MAX_DRAIN_MS = 6 * 3_600_000;
/** DingTalk's quota runs out half-way through its burst, for this long. */
const QUOTA_OUT_MS = 40 * 60_000;

const REMINDERS = [
  { id: 'morning', cron: '30 7 * * 1-5', message: '☀️ {date} {weekday} 早上好！今天的晨读别忘了打卡哦～' },
  { id: 'homework', cron: '0 19 * * 1-5', message: '📚 {date} {weekday} 今日作业\n{homework}\n完成后拍照发到群里，{assistant}会逐一查看～' },
  { id: 'weekend', cron: '30 17 * * 5', mention: 'all', message: '本周辛苦啦！周末请保证孩子作息规律，下周见～' },
];

interface Send {
  at: number;
  key: string;
  target: string;
}

export async function run(ctx: SectionContext): Promise<SectionResult> {
  const started = now();
  const groupsWanted = ctx.n ?? (ctx.quick ? 1_000 : 5_000);
  const playbookCount = Math.max(1, Math.round(groupsWanted / GROUPS_PER_PLAYBOOK));
  const limits = ctx.rateLimits;
  for (const p of new Set(PLATFORM_CYCLE)) if (!limits[p]) return skipped('scheduler', 'Scheduler', `no rate limits for ${p} from the parent`);
  const scratch = scratchDir('scheduler');
  try {
    const playbooks = writeDistrict(scratch.dir, {
      playbooks: playbookCount,
      groupsPerPlaybook: GROUPS_PER_PLAYBOOK,
      platform: (i) => PLATFORM_CYCLE[i % PLATFORM_CYCLE.length]!,
      edit: (doc) => {
        doc.reminders = REMINDERS;
      },
    });
    const groups = playbooks.flatMap((p) => p.groups);

    const clock = new FakeClock(BURST_AT - 60_000);
    const sends = new Map<Platform, Send[]>();
    const quotaSends = Math.floor(groups.filter((g) => g.platform === 'dingtalk').length / 2);
    const quota = { outAt: Infinity, refused: 0, inFlight: 0 };
    const adapters = (['lark', 'dingtalk', 'wechaty'] as const).map((platform) => {
      const list: Send[] = [];
      sends.set(platform, list);
      return new NullAdapter(platform, limits[platform]!, (msg: OutboundMessage) => {
        const at = clock.now();
        if (platform === 'dingtalk') {
          if (list.length === quotaSends && quota.outAt === Infinity) quota.outAt = at;
          if (at >= quota.outAt && at < quota.outAt + QUOTA_OUT_MS) {
            // The sends in flight when it ran out all meet it; after that, only probes should.
            if (at === quota.outAt) quota.inFlight++;
            else quota.refused++;
            throw new SendError('Forbidden.AccessDenied.ApiCountLimitForOrg', false, undefined, { reason: 'dingtalk-quota' });
          }
        }
        list.push({ at, key: msg.idempotencyKey, target: msg.target.kind === 'group' ? msg.target.groupId : msg.target.memberId });
      });
    });

    const rssBefore = rssMb();
    const t0 = now();
    const bot = await startBot({ playbookDir: scratch.dir, dbPath: join(scratch.dir, 'classbot.db'), adapters, clock, watch: false, autoTick: false });
    const startupMs = now() - t0;
    const rssAfterStart = rssMb();
    const jobs = bot.engine.playbooks.reduce((sum, pb) => sum + (pb.data.reminders?.length ?? 0) * pb.groups.length, 0);
    if (bot.startupErrors.length) {
      await bot.stop();
      return skipped('scheduler', 'Scheduler', `generated playbooks do not load: ${bot.startupErrors[0]!.message}`);
    }

    // 19:00: every group's homework reminder is due at once.
    clock.set(BURST_AT);
    const t1 = now();
    await bot.tick();
    const burstTickMs = now() - t1;
    const isBurst = (key: string) => key.includes(':reminder:homework:') && key.includes(`:${BURST_AT}:`);
    const pendingBurst = bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND key LIKE '%:reminder:homework:%'`);
    const queued = (bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE key LIKE '%:reminder:homework:%'`).get() as { n: number }).n;
    let ticks = 1;
    const t2 = now();
    while ((pendingBurst.get() as { n: number }).n > 0 && clock.now() - BURST_AT < MAX_DRAIN_MS) {
      clock.advance(1_000);
      await bot.tick();
      ticks++;
      if (ticks % 300 === 0) ctx.progress(`scheduler: simulated ${Math.round((clock.now() - BURST_AT) / 60_000)} min, ${(pendingBurst.get() as { n: number }).n} reminders pending`);
    }
    const drainRealMs = now() - t2;
    const stillPending = (pendingBurst.get() as { n: number }).n;
    const failed = (bot.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'`).get() as { n: number }).n;
    await bot.stop();
    const peak = peakRssMb();

    // Independent checks: each reminder delivered once, every send within the declared limits.
    const deliveries = new Map<string, number>();
    let violations = 0;
    const perLimit: string[] = [];
    const perPlatform: string[] = [];
    const drainFigures = [];
    for (const [platform, list] of sends) {
      const burst = list.filter((s) => isBurst(s.key));
      for (const s of burst) deliveries.set(s.key, (deliveries.get(s.key) ?? 0) + 1);
      for (const v of countViolations(list, limits[platform]!)) {
        violations += v.over;
        perLimit.push(`${platform} ${v.limit}: ${v.over}`);
      }
      const count = groups.filter((g) => g.platform === platform).length;
      const lastAt = burst.reduce((m, s) => Math.max(m, s.at), BURST_AT);
      const ideal = minimumDrainMs(count, limits[platform]!);
      perPlatform.push(`${platform}: ${burst.length}/${count} reminders in ${((lastAt - BURST_AT) / 1000).toFixed(0)} s simulated (limits allow ${(ideal / 1000).toFixed(0)} s), ${list.length - burst.length} other sends`);
      drainFigures.push(
        figure({
          metric: `${platform} drain (simulated)`,
          value: (lastAt - BURST_AT) / 1000,
          unit: 's',
          // No global budget (DingTalk): any time is the fastest, so there is no ratio to show.
          ...(ideal > 0 ? { baseline: { name: 'fastest the limits allow', value: ideal / 1000 } } : {}),
        }),
      );
    }
    const expected = groups.length;
    const once = [...deliveries.values()].filter((c) => c === 1).length;
    const twice = [...deliveries.values()].filter((c) => c > 1).length;
    const lost = expected - deliveries.size;
    // After the wave in flight when it ran out, one probe per interval while it lasts.
    const probesAllowed = Math.floor(QUOTA_OUT_MS / PROBE_EVERY_MS);

    return {
      section: 'scheduler',
      title: 'Scheduler',
      params: { groups: groups.length, playbooks: playbooks.length, remindersPerGroup: REMINDERS.length, jobs },
      figures: [
        figure({ metric: 'start-up (load, validate, schedule)', value: startupMs / 1000, unit: 's', target: { on: 'value', op: '<', limit: 2 } }),
        figure({ metric: 'peak RSS', value: peak, unit: 'MB', target: { on: 'value', op: '<', limit: 200 } }),
        figure({ metric: '19:00 reminders delivered once', value: once, unit: `of ${expected.toLocaleString('en-US')}`, target: { on: 'value', op: '=', limit: expected } }),
        figure({ metric: 'lost or delivered twice', value: lost + twice, unit: 'msgs', target: { on: 'value', op: '=', limit: 0 } }),
        figure({ metric: 'sends over a rate limit', value: violations, unit: 'sends', target: { on: 'value', op: '=', limit: 0 } }),
        figure({ metric: 'calls into the exhausted DingTalk quota beyond the probes', value: Math.max(0, quota.refused - probesAllowed), unit: 'calls', target: { on: 'value', op: '=', limit: 0 } }),
        ...drainFigures,
      ],
      notes: [
        ...perPlatform,
        `sends over each limit: ${perLimit.join(', ')}`,
        quota.outAt === Infinity
          ? 'the DingTalk quota never ran out (too few DingTalk sends)'
          : `DingTalk quota out after ${quotaSends} sends for ${QUOTA_OUT_MS / 60_000} simulated min: ${quota.inFlight} calls in flight refused at once, then ${quota.refused} probes (at most one per ${PROBE_EVERY_MS / 60_000} min: ${probesAllowed})`,
        `RSS ${rssBefore.toFixed(0)} MB before start-up, ${rssAfterStart.toFixed(0)} MB after; queued ${queued} homework reminders, ${stillPending} still pending and ${failed} dead letters at the end`,
        `real time: the 19:00 tick (${expected.toLocaleString('en-US')} claims, renders and outbox rows, the first sends) ${burstTickMs.toFixed(0)} ms; draining the rest, ${ticks} ticks, ${(drainRealMs / 1000).toFixed(1)} s`,
      ],
      seconds: (now() - started) / 1000,
    };
  } finally {
    scratch.cleanup();
  }
}

const describe = (b: RateBudget) => `${b.max}/${b.windowMs >= 60_000 ? `${b.windowMs / 60_000}min` : `${b.windowMs / 1000}s`}`;

/** Sends beyond each sliding-window budget: per target, and each app-wide one. */
function countViolations(list: Send[], limits: RateLimits): { limit: string; over: number }[] {
  let perChat = 0;
  const byTarget = new Map<string, number[]>();
  for (const s of list) {
    const times = byTarget.get(s.target);
    if (times) times.push(s.at);
    else byTarget.set(s.target, [s.at]);
  }
  for (const times of byTarget.values()) perChat += overBudget(times, limits.perTarget);
  const times = list.map((s) => s.at);
  return [
    { limit: `${describe(limits.perTarget)} per chat`, over: perChat },
    ...(limits.global ?? []).map((budget) => ({ limit: `${describe(budget)} per app`, over: overBudget(times, budget) })),
  ];
}

function overBudget(times: number[], budget: RateBudget): number {
  const sorted = [...times].sort((a, b) => a - b);
  let n = 0;
  for (let i = budget.max; i < sorted.length; i++) if (sorted[i]! - sorted[i - budget.max]! < budget.windowMs) n++;
  return n;
}

/**
 * How long `count` sends to distinct targets take at best under all of the platform's app-wide
 * budgets at once: each send at the earliest instant every window allows (greedy is optimal for
 * sliding windows).
 */
function minimumDrainMs(count: number, limits: RateLimits): number {
  const budgets = limits.global ?? [];
  if (budgets.length === 0) return 0;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    let t = i > 0 ? times[i - 1]! : 0;
    for (const b of budgets) if (i >= b.max) t = Math.max(t, times[i - b.max]! + b.windowMs);
    times.push(t);
  }
  return times[count - 1] ?? 0;
}
