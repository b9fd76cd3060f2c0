/**
 * 3. Reports: the weekly report of a district's 500 class groups (model, then every format), on
 * a store holding 52 weeks of history and, as the baseline, on a store holding only that week.
 * The stores are file-backed like a running bot's and filled directly with the rows a year of
 * class life leaves: messages (a few worried), daily check-ins, badges, reminders sent and their
 * fires, follow-ups with their audit trail. The report runs alternately on each, median of five.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlaybookDir } from '../../src/playbook/load.js';
import type { Playbook } from '../../src/playbook/playbook.js';
import { buildReport } from '../../src/reports/model.js';
import { weekRange } from '../../src/reports/range.js';
import { FORMATS, reportBaseName, writeReport } from '../../src/reports/write.js';
import { openStore, type Store } from '../../src/store/db.js';
import { addDays, weekdayOf, zonedToUtc } from '../../src/time.js';
import { writeDistrict } from '../lib/district.js';
import { median, now, scratchDir } from '../lib/measure.js';
import { figure, type SectionResult } from '../lib/result.js';
import { Rng } from '../lib/rng.js';
import type { SectionContext } from './context.js';

const GROUPS_PER_PLAYBOOK = 10;
const MEMBERS = 20;
const WEEK = '2026-W47';
const REPORT_NOW = Date.parse('2026-11-23T09:00:00+08:00');
const TZ = 'Asia/Shanghai';
const RUNS = 5;
/** Messages a group gets on a day; a few of them worried. */
const MESSAGES_PER_DAY = 10;
const WORRIED_SHARE = 0.03;
const WORRY_LABELS = ['academic', 'wellbeing', 'complaint', 'refund', 'safety'];
/** Share of members checking in on a game day. */
const CHECKIN_SHARE = 0.7;

export async function run(ctx: SectionContext): Promise<SectionResult> {
  const started = now();
  const groupCount = ctx.n ?? (ctx.quick ? 50 : 500);
  const scratch = scratchDir('reports');
  try {
    const district = writeDistrict(scratch.dir, { playbooks: Math.max(1, Math.round(groupCount / GROUPS_PER_PLAYBOOK)), groupsPerPlaybook: GROUPS_PER_PLAYBOOK, platform: () => 'lark' });
    const loaded = loadPlaybookDir(scratch.dir);
    if (loaded.errors.length) throw new Error(`generated playbooks do not load: ${loaded.errors[0]!.message}`);
    const playbooks = loaded.playbooks;
    const groups = district.flatMap((p) => p.groups).length;
    const gameId = (playbooks[0]!.data.checkin ?? [])[0]?.id ?? 'reading';

    const t0 = now();
    const long = fill(openStore(join(scratch.dir, 'year.db')), playbooks, 52, gameId, (w) => ctx.progress(`reports: building 52 weeks, week ${w}`));
    const buildLongS = (now() - t0) / 1000;
    const short = fill(openStore(join(scratch.dir, 'week.db')), playbooks, 1, gameId, () => {});
    const rows = (store: Store, table: string) => (store.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const sizes = ['messages', 'checkins', 'followups', 'outbox'].map((t) => `${t} ${rows(long, t).toLocaleString('en-US')} vs ${rows(short, t).toLocaleString('en-US')}`);

    const range = weekRange(WEEK)!;
    let figures = '';
    const report = async (store: Store): Promise<number> => {
      const out = mkdtempSync(join(scratch.dir, 'out-'));
      const t = now();
      const model = buildReport(store, playbooks, range, { now: REPORT_NOW });
      await writeReport(model, FORMATS, out, reportBaseName(model, true));
      const ms = now() - t;
      const a = model.all;
      figures = `the week's report: ${model.groups.length} groups, ${JSON.stringify(a.activity).slice(0, 160)}…`;
      return ms;
    };
    // Warm both (JIT, page cache), then alternate.
    await report(short);
    await report(long);
    const longMs: number[] = [];
    const shortMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      shortMs.push(await report(short));
      longMs.push(await report(long));
      ctx.progress(`reports: run ${i + 1}/${RUNS}`);
    }
    long.close();
    short.close();

    const longMedian = median(longMs) / 1000;
    const shortMedian = median(shortMs) / 1000;
    return {
      section: 'reports',
      title: 'Reports',
      params: { groups, playbooks: playbooks.length, weeks: 52, formats: FORMATS, membersPerGroup: MEMBERS, messagesPerGroupDay: MESSAGES_PER_DAY, runs: RUNS },
      figures: [
        figure({ metric: `weekly report, ${groups} groups, 52-week store`, value: longMedian, unit: 's', baseline: { name: '1-week store', value: shortMedian }, target: { on: 'ratio', op: '<=', limit: 1.5 } }),
        figure({ metric: 'weekly report, 52-week store', value: longMedian, unit: 's', target: { on: 'value', op: '<', limit: 3 } }),
      ],
      notes: [
        `runs: 52 weeks ${longMs.map((t) => t.toFixed(0)).join(', ')} ms; 1 week ${shortMs.map((t) => t.toFixed(0)).join(', ')} ms`,
        `store rows (52 weeks vs 1): ${sizes.join('; ')}; building the year took ${buildLongS.toFixed(0)} s`,
        figures,
      ],
      seconds: (now() - started) / 1000,
    };
  } finally {
    scratch.cleanup();
  }
}

/** `weeks` weeks of class life ending with the report week, written straight into the tables. */
function fill(store: Store, playbooks: Playbook[], weeks: number, gameId: string, progress: (week: number) => void): Store {
  const db = store.sqlite;
  // Bulk load: the big tables' indexes are dropped and built again at the end (the same indexes,
  // from the schema's own statements), and nothing is synced until then.
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('messages', 'checkins', 'outbox', 'followups', 'followup_events', 'schedule_fires')`)
    .all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  db.pragma('synchronous = OFF');
  const rng = new Rng(weeks);
  const first = addDays(weekRange(WEEK)!.to, 1 - 7 * weeks);
  const start = zonedToUtc(first, 0, TZ);
  const stmt = {
    group: db.prepare(`INSERT INTO groups (platform, chat_id, name, playbook_id, group_key, first_seen_at) VALUES ('lark', ?, ?, ?, ?, ?)`),
    member: db.prepare(`INSERT INTO members (platform, user_id, name, first_seen_at) VALUES ('lark', ?, ?, ?)`),
    join: db.prepare(`INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, 'parent', ?)`),
    message: db.prepare(
      `INSERT INTO messages (platform, event_id, group_id, member_id, playbook_id, chat_type, text, addressed, sent_at, received_at, worry_label, worry_severity)
       VALUES ('lark', ?, ?, ?, ?, 'group', ?, 0, ?, ?, ?, ?)`,
    ),
    checkin: db.prepare(
      `INSERT INTO checkins (playbook_id, game_id, group_key, member_id, day, kind, amount, message_id, created_at) VALUES (?, ?, ?, ?, ?, 'normal', ?, NULL, ?)`,
    ),
    award: db.prepare(
      `INSERT OR IGNORE INTO checkin_awards (playbook_id, game_id, group_key, member_id, kind, name, threshold, day, awarded_at) VALUES (?, ?, ?, ?, 'level', ?, ?, ?, ?)`,
    ),
    outbox: db.prepare(
      `INSERT INTO outbox (key, platform, target_kind, target_id, payload, status, cause, playbook_id, attempts, not_before, created_at, sent_at, platform_ids)
       VALUES (?, 'lark', 'group', ?, ?, 'sent', 'reminder', ?, 1, ?, ?, ?, '["om_x"]')`,
    ),
    fire: db.prepare(`INSERT INTO schedule_fires (playbook_id, job_id, group_key, scheduled_at, status, claimed_at) VALUES (?, 'reminder:homework', ?, ?, 'sent', ?)`),
    followup: db.prepare(
      `INSERT INTO followups (playbook_id, platform, group_id, member_id, message_id, message, category, severity, source, status, assignee, opened_at, claimed_at,
         first_response_at, resolved_at, respond_by, resolve_by, escalation_level, rating, rated_at)
       VALUES (?, 'lark', ?, ?, ?, ?, ?, 'medium', 'detector', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    ),
    event: db.prepare(`INSERT INTO followup_events (followup_id, at, actor, action, status) VALUES (?, ?, ?, ?, ?)`),
  };
  const texts = ['收到，谢谢老师', '打卡 20分钟', '今天的作业是什么？', '好的', '孩子最近数学跟不上，有点着急'];
  const classes = playbooks.flatMap((pb) =>
    pb.groups.map((g) => {
      const groupId = Number(stmt.group.run(g.id, g.name, pb.id, g.key, start).lastInsertRowid);
      const members = Array.from({ length: MEMBERS }, (_, i) => {
        const memberId = Number(stmt.member.run(`${g.id}_m${i}`, `家长${i}`, start).lastInsertRowid);
        stmt.join.run(groupId, memberId, start);
        return memberId;
      });
      return { pb, key: g.key, chatId: g.id!, groupId, members, assignee: pb.staff[0]?.name ?? '李老师' };
    }),
  );
  let event = 0;
  let week = 0;
  for (let day = first, d = 0; d < 7 * weeks; day = addDays(day, 1), d++) {
    if (d % 7 === 0) progress(++week);
    const midnight = zonedToUtc(day, 0, TZ);
    const at = (minute: number) => midnight + minute * 60_000;
    const gameDay = weekdayOf(day) >= 1 && weekdayOf(day) <= 5;
    store.tx(() => {
      for (const c of classes) {
        for (let i = 0; i < MESSAGES_PER_DAY; i++) {
          const member = c.members[rng.int(MEMBERS)]!;
          const worried = rng.chance(WORRIED_SHARE);
          const sent = at(7 * 60 + rng.int(14 * 60));
          const id = Number(
            stmt.message.run(`om_${event++}`, c.groupId, member, c.pb.id, rng.pick(texts), sent, sent, worried ? rng.pick(WORRY_LABELS) : null, worried ? 'medium' : null).lastInsertRowid,
          );
          if (worried && rng.chance(0.5)) {
            // A follow-up: claimed within minutes, resolved within the day, most of them rated.
            const claimed = sent + (5 + rng.int(30)) * 60_000;
            const resolved = claimed + (1 + rng.int(8)) * 3_600_000;
            const f = Number(
              stmt.followup.run(c.pb.id, c.groupId, member, id, '孩子最近数学跟不上', 'academic', 'resolved', c.assignee, sent, claimed, claimed, resolved, sent + 900_000, sent + 86_400_000,
                rng.chance(0.7) ? 4 + rng.int(2) : null, resolved + 600_000).lastInsertRowid,
            );
            stmt.event.run(f, sent, 'system', 'opened', 'open');
            stmt.event.run(f, claimed, c.assignee, 'claimed', 'claimed');
            stmt.event.run(f, resolved, c.assignee, 'resolved', 'resolved');
          }
        }
        if (!gameDay) continue;
        const remindAt = at(19 * 60);
        stmt.fire.run(c.pb.id, c.key, remindAt, remindAt);
        stmt.outbox.run(`fire:${c.pb.id}:reminder:homework:${c.key}:${remindAt}:0`, c.chatId, '{"text":"今日作业"}', c.pb.id, remindAt, remindAt, remindAt + 2_000);
        c.members.forEach((member, i) => {
          if (!rng.chance(CHECKIN_SHARE)) return;
          const when = at(18 * 60 + rng.int(180));
          stmt.checkin.run(c.pb.id, gameId, c.key, member, day, 10 + rng.int(40), when);
          if (d % 35 === i % 35) stmt.award.run(c.pb.id, gameId, c.key, member, '第一关·小书童', 3 + d, day, when);
        });
      }
    });
  }
  for (const i of indexes) db.exec(i.sql);
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return store;
}
