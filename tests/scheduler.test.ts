/**
 * The schedule engine with the reminders feature on the real engine and store: local firing time
 * on a server in another zone, calendar days off and 调休, quiet hours, restarts inside and
 * outside the grace window, two bots on one database, groups whose chat id is not known yet.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fireTimes } from '../src/engine/scheduler.js';
import { parsePlaybook } from '../src/playbook/load.js';
import type { Playbook } from '../src/playbook/playbook.js';
import { remindersFeature } from '../src/features/reminders/index.js';
import type { Feature } from '../src/engine/feature.js';
import { compileCron } from '../src/playbook/cron.js';
import { classPlaybook, playbookDir, testBot, type TestBot } from './helpers/harness.js';

const HOUR = 3_600_000;
const MIN = 60_000;

const running: TestBot[] = [];
async function start(...args: Parameters<typeof testBot>): Promise<TestBot> {
  const t = await testBot(...args);
  running.push(t);
  return t;
}
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop().catch(() => undefined);
});

function load(yaml: string): Playbook {
  const r = parsePlaybook(yaml, 'c1.yaml', 'c1');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.playbook;
}

interface FireRow {
  jobId: string;
  groupKey: string;
  scheduledAt: number;
  status: string;
  detail: string | null;
}
/** The reminders' fires (the follow-up digest fires every morning too, and is tested with follow-ups). */
function fires(t: TestBot): FireRow[] {
  return t.bot.store.sqlite
    .prepare(
      `SELECT job_id AS jobId, group_key AS groupKey, scheduled_at AS scheduledAt, status, detail FROM schedule_fires WHERE job_id <> 'followups:digest' ORDER BY scheduled_at, id`,
    )
    .all() as FireRow[];
}
/** When each message to `target` actually left the outbox. */
function sentTimes(t: TestBot, target: string): number[] {
  return (t.bot.store.sqlite.prepare(`SELECT sent_at AS s FROM outbox WHERE target_id = ? AND status = 'sent' ORDER BY id`).all(target) as { s: number }[]).map((r) => r.s);
}
const iso = (s: string) => Date.parse(s);

const HOMEWORK = `
reminders:
  - id: homework
    cron: "0 19 * * 1-5"
    message: "{date} {weekday} 作业：{homework}"
homework:
  周一: 口算第12页
  周三: 背诵古诗《山行》
  周五: 周末阅读30分钟
`;

describe('local firing time', () => {
  it('fires at 19:00 Asia/Shanghai whatever the server zone is', () => {
    const pb = load(classPlaybook(HOMEWORK));
    const [job] = remindersFeature.jobs!(pb);
    const expected = [iso('2026-11-23T11:00:00Z'), iso('2026-11-24T11:00:00Z'), iso('2026-11-25T11:00:00Z'), iso('2026-11-26T11:00:00Z'), iso('2026-11-27T11:00:00Z')];
    const original = process.env.TZ;
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
        process.env.TZ = zone;
        // The server zone really changed for this process, so a use of it would shift the instants.
        expect(new Date(iso('2026-07-01T00:00:00Z')).getTimezoneOffset()).toBe({ UTC: 0, 'America/Los_Angeles': 420, 'Asia/Kolkata': -330 }[zone]);
        const week = fireTimes(job!, pb, iso('2026-11-22T16:00:00Z'), iso('2026-11-29T16:00:00Z'));
        expect(week.map((f) => f.at)).toEqual(expected);
        expect(week.map((f) => f.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
      }
    } finally {
      process.env.TZ = original;
    }
  });

  it('a running bot on a UTC clock posts at 11:00Z, once', async () => {
    const original = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      const t = await start({ 'c1.yaml': classPlaybook(HOMEWORK) }, { now: '2026-11-24T10:30:00Z' });
      await t.advance(HOUR);
      expect(t.adapter.textsTo('class-1')).toEqual(['11月24日 周二 作业：今天没有书面作业，注意休息～']);
      expect(sentTimes(t, 'class-1')).toEqual([iso('2026-11-24T11:00:00Z')]);
      expect(fires(t)).toEqual([{ jobId: 'reminder:homework', groupKey: 'class', scheduledAt: iso('2026-11-24T11:00:00Z'), status: 'sent', detail: null }]);
    } finally {
      process.env.TZ = original;
    }
  });

  it('follows the zone of the playbook, not Shanghai by default', async () => {
    const t = await start({ 'c1.yaml': classPlaybook(HOMEWORK).replace('timezone: Asia/Shanghai', 'timezone: Europe/London') }, { now: '2026-11-24T18:30:00Z' });
    await t.advance(HOUR);
    expect(sentTimes(t, 'class-1')).toEqual([iso('2026-11-24T19:00:00Z')]);
  });

  it('a fire due at the very instant of the first start runs', async () => {
    const t = await start({ 'c1.yaml': classPlaybook(HOMEWORK) }, { now: '2026-11-24T19:00:00+08:00' });
    expect(t.adapter.textsTo('class-1')).toHaveLength(1);
    await t.advance(10 * MIN);
    expect(t.adapter.textsTo('class-1')).toHaveLength(1);
  });
});

describe('calendar', () => {
  const yaml = classPlaybook(`${HOMEWORK}
calendar:
  skip:
    - { from: 2026-11-25, to: 2026-11-25, name: 运动会 }
  workdays:
    - { date: 2026-11-28, as: 周三, name: 运动会调休 }
`);

  it('skips a day off (recorded with its name) and posts on a 调休 Saturday with the weekday it stands for', async () => {
    const t = await start({ 'c1.yaml': yaml }, { now: '2026-11-23T08:00:00+08:00' });
    await t.advance(8 * 24 * HOUR);
    expect(t.adapter.textsTo('class-1')).toEqual([
      '11月23日 周一 作业：口算第12页',
      '11月24日 周二 作业：今天没有书面作业，注意休息～',
      '11月26日 周四 作业：今天没有书面作业，注意休息～',
      '11月27日 周五 作业：周末阅读30分钟',
      // Saturday the 28th follows Wednesday's schedule, and Wednesday's homework.
      '11月28日 周六 作业：背诵古诗《山行》',
      '11月30日 周一 作业：口算第12页',
    ]);
    const rows = fires(t);
    expect(rows.map((r) => [r.scheduledAt, r.status, r.detail])).toEqual([
      [iso('2026-11-23T19:00:00+08:00'), 'sent', null],
      [iso('2026-11-24T19:00:00+08:00'), 'sent', null],
      [iso('2026-11-25T19:00:00+08:00'), 'skipped', '运动会'],
      [iso('2026-11-26T19:00:00+08:00'), 'sent', null],
      [iso('2026-11-27T19:00:00+08:00'), 'sent', null],
      [iso('2026-11-28T19:00:00+08:00'), 'sent', null],
      [iso('2026-11-30T19:00:00+08:00'), 'sent', null],
    ]);
  });

  it('a skip range pauses every day in it; term dates bound the reminder', async () => {
    const pb = load(
      classPlaybook(`
reminders:
  - id: reading
    cron: "30 7 * * *"
    from: 2026-11-20
    to: 2026-12-04
    message: 晨读时间到
calendar:
  skip: [2026-11-26..2026-11-29]
`),
    );
    const [job] = remindersFeature.jobs!(pb);
    const all = fireTimes(job!, pb, iso('2026-11-15T00:00:00+08:00'), iso('2026-12-10T00:00:00+08:00'));
    expect(all.filter((f) => !f.skipped).map((f) => f.date)).toEqual([
      '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25',
      '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04',
    ]);
    expect(all.filter((f) => f.skipped).map((f) => [f.date, f.skipped])).toEqual([
      ['2026-11-26', '放假'], ['2026-11-27', '放假'], ['2026-11-28', '放假'], ['2026-11-29', '放假'],
    ]);
  });

  it('calendar: false keeps a reminder going on days off', async () => {
    const pb = load(classPlaybook(`
reminders:
  - { id: greet, cron: "0 9 * * *", calendar: false, message: 节日快乐 }
calendar:
  skip: [2026-11-26]
`));
    const [job] = remindersFeature.jobs!(pb);
    const day = fireTimes(job!, pb, iso('2026-11-26T00:00:00+08:00'), iso('2026-11-27T00:00:00+08:00'));
    expect(day).toEqual([{ at: iso('2026-11-26T09:00:00+08:00'), date: '2026-11-26' }]);
  });
});

describe('quiet hours', () => {
  const late = (policy: string) =>
    classPlaybook(`
reminders:
  - { id: late, cron: "45 21 * * *", message: 明天记得带跳绳 }
quiet_hours: { start: "21:30", end: "07:00", policy: ${policy} }
`);

  it('holds a reminder due inside quiet hours until they end', async () => {
    const t = await start({ 'c1.yaml': late('hold') }, { now: '2026-11-24T21:00:00+08:00' });
    await t.advance(HOUR);
    expect(t.adapter.textsTo('class-1')).toEqual([]);
    expect(fires(t)).toEqual([
      { jobId: 'reminder:late', groupKey: 'class', scheduledAt: iso('2026-11-24T21:45:00+08:00'), status: 'held', detail: '2026-11-24T23:00:00.000Z' },
    ]);
    await t.advance(9 * HOUR + 30 * MIN); // to 07:30
    expect(t.adapter.textsTo('class-1')).toEqual(['明天记得带跳绳']);
    expect(sentTimes(t, 'class-1')).toEqual([iso('2026-11-25T07:00:00+08:00')]);
  });

  it('drops it when the playbook says so', async () => {
    const t = await start({ 'c1.yaml': late('drop') }, { now: '2026-11-24T21:00:00+08:00' });
    await t.advance(12 * HOUR);
    expect(t.adapter.textsTo('class-1')).toEqual([]);
    expect(fires(t).map((f) => f.status)).toEqual(['dropped']);
  });

  it('a late catch-up that lands inside quiet hours is held too', async () => {
    const pb = classPlaybook(`
reminders:
  - { id: homework, cron: "15 21 * * *", message: 作业提醒 }
quiet_hours: { start: "21:30", end: "07:00" }
`);
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-sched-')), 'bot.db');
    const dir = playbookDir({ 'c1.yaml': pb });
    const first = await start(dir, { dbPath, now: '2026-11-24T21:00:00+08:00' });
    await first.stop();
    running.length = 0;
    const second = await start(dir, { dbPath, now: '2026-11-24T21:40:00+08:00' });
    expect(second.adapter.textsTo('class-1')).toEqual([]);
    expect(fires(second).map((f) => f.status)).toEqual(['held']);
    await second.advance(10 * HOUR);
    expect(second.adapter.textsTo('class-1')).toEqual(['作业提醒']);
  });

  it('urgent staff messages are never held', async () => {
    const t = await start({ 'c1.yaml': late('hold') }, { now: '2026-11-24T23:00:00+08:00' });
    const { messenger } = t.bot.engine.services;
    const pb = t.bot.engine.playbooks[0]!;
    expect(messenger.toStaff(pb, '安全事件，请立即处理', { key: 'urgent-1', cause: 'followup', quiet: true, urgent: true })).toBe('queued');
    expect(messenger.toGroup(pb, pb.groups[0]!, '普通通知', { key: 'plain-1', cause: 'notice', quiet: true })).toBe('held');
    await t.bot.tick();
    expect(t.adapter.textsTo('staff-1')).toEqual(['安全事件，请立即处理']);
    expect(t.adapter.textsTo('class-1')).toEqual([]);
  });
});

describe('restarts', () => {
  const dir = () => playbookDir({ 'c1.yaml': classPlaybook(HOMEWORK) });
  const dbFile = () => join(mkdtempSync(join(tmpdir(), 'classbot-sched-')), 'bot.db');

  it('a fire missed while down is sent once when the bot is back within the grace window', async () => {
    const dbPath = dbFile();
    const pbDir = dir();
    const first = await start(pbDir, { dbPath, now: '2026-11-24T18:00:00+08:00' });
    await first.advance(30 * MIN);
    await first.stop();
    running.length = 0;

    const second = await start(pbDir, { dbPath, now: '2026-11-24T19:20:00+08:00' });
    expect(second.adapter.textsTo('class-1')).toHaveLength(1);
    await second.advance(2 * HOUR);
    await second.stop();
    running.length = 0;

    // A third start shortly after finds the fire claimed and sends nothing again.
    const third = await start(pbDir, { dbPath, now: '2026-11-24T19:25:00+08:00' });
    await third.advance(HOUR);
    expect(third.adapter.textsTo('class-1')).toEqual([]);
    expect(fires(third).map((f) => [f.scheduledAt, f.status])).toEqual([[iso('2026-11-24T19:00:00+08:00'), 'sent']]);
  });

  it('outside the grace window it is recorded as missed and never sent', async () => {
    const dbPath = dbFile();
    const pbDir = dir();
    const first = await start(pbDir, { dbPath, now: '2026-11-24T18:00:00+08:00' });
    await first.stop();
    running.length = 0;

    const second = await start(pbDir, { dbPath, now: '2026-11-24T19:31:00+08:00' });
    await second.advance(HOUR);
    expect(second.adapter.textsTo('class-1')).toEqual([]);
    expect(fires(second).map((f) => [f.scheduledAt, f.status])).toEqual([[iso('2026-11-24T19:00:00+08:00'), 'missed']]);
  });

  it('the grace window is the playbook’s', async () => {
    const dbPath = dbFile();
    const pbDir = playbookDir({ 'c1.yaml': classPlaybook(HOMEWORK.replace('message:', 'grace_minutes: 90\n    message:')) });
    const first = await start(pbDir, { dbPath, now: '2026-11-24T18:00:00+08:00' });
    await first.stop();
    running.length = 0;
    const second = await start(pbDir, { dbPath, now: '2026-11-24T20:15:00+08:00' });
    expect(second.adapter.textsTo('class-1')).toHaveLength(1);
  });
});

describe('several bots on one database', () => {
  it('two bots in the same group send one copy', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-sched-')), 'bot.db');
    const pbDir = playbookDir({ 'c1.yaml': classPlaybook(HOMEWORK) });
    const a = await start(pbDir, { dbPath, now: '2026-11-24T18:58:00+08:00' });
    const b = await start(pbDir, { dbPath, now: '2026-11-24T18:58:00+08:00' });
    for (let i = 0; i < 5; i++) {
      a.clock.advance(MIN);
      b.clock.advance(MIN);
      await Promise.all([a.bot.tick(), b.bot.tick()]);
    }
    expect([...a.adapter.textsTo('class-1'), ...b.adapter.textsTo('class-1')]).toEqual(['11月24日 周二 作业：今天没有书面作业，注意休息～']);
    expect(fires(a)).toHaveLength(1);
  });

  it('a job runs once per fire even when both bots see it due', async () => {
    // A job with a side effect besides posting: the claim, not the outbox key, must stop the second run.
    const runs: string[] = [];
    const counting: Feature = {
      name: 'counting',
      jobs: (pb) => [{ id: 'count', cron: compileCron('0 19 * * *'), groups: pb.groups.map((g) => g.key), run: (ctx) => void runs.push(ctx.date) }],
    };
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-sched-')), 'bot.db');
    const pbDir = playbookDir({ 'c1.yaml': classPlaybook() });
    const a = await start(pbDir, { dbPath, now: '2026-11-24T18:59:00+08:00', features: [counting] });
    const b = await start(pbDir, { dbPath, now: '2026-11-24T18:59:00+08:00', features: [counting] });
    a.clock.advance(MIN);
    b.clock.advance(MIN);
    await a.bot.tick();
    await b.bot.tick();
    expect(runs).toEqual(['2026-11-24']);
    expect(fires(b).map((f) => f.status)).toEqual(['sent']);
  });
});

describe('bots with different playbooks on one database', () => {
  it('one bot’s progress does not hide the other’s fires', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'classbot-sched-')), 'bot.db');
    const a = await start({ 'c1.yaml': classPlaybook(HOMEWORK) }, { dbPath, now: '2026-11-24T18:59:00+08:00' });
    const b = await start({ 'c2.yaml': classPlaybook(HOMEWORK, { id: 'c2' }).replace(/class-1/g, 'class-2').replace(/staff-1/g, 'staff-2') }, { dbPath, now: '2026-11-24T18:59:00+08:00' });
    a.clock.advance(60_000);
    b.clock.advance(60_000);
    await a.bot.tick();
    await b.bot.tick();
    expect(a.adapter.textsTo('class-1')).toHaveLength(1);
    expect(b.adapter.textsTo('class-2')).toHaveLength(1);
  });
});

describe('groups whose chat id is not known yet', () => {
  const yaml = classPlaybook(HOMEWORK).replace('    id: class-1\n', '');

  it('records the fire as no_target instead of losing it silently, and posts once the group is learned', async () => {
    const t = await start({ 'c1.yaml': yaml }, { now: '2026-11-24T18:30:00+08:00' });
    await t.advance(HOUR);
    expect(t.adapter.sent).toEqual([]);
    expect(fires(t).map((f) => [f.status, f.groupKey])).toEqual([['no_target', 'class']]);
    // Someone posts in the group: the bot learns its chat id from the title.
    await t.say('王妈妈', '老师好', { groupId: 'wx-room-9' });
    await t.advance(24 * HOUR);
    expect(t.adapter.textsTo('wx-room-9')).toEqual(['11月25日 周三 作业：背诵古诗《山行》']);
  });
});
