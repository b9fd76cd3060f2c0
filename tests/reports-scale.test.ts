/**
 * A report reads only the weeks it needs: every query it runs searches an index (no full scan of
 * a growing table), and a store with a year of history hands it exactly the rows that a store
 * with two weeks does, for the same figures. (Timings belong to `npm run bench`.)
 */
import type { Statement } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { recordCheckin } from '../src/features/checkin/records.js';
import { followupRepo } from '../src/features/followups/repo.js';
import { parsePlaybook } from '../src/playbook/load.js';
import type { Playbook } from '../src/playbook/playbook.js';
import { buildReport, type ReportModel } from '../src/reports/model.js';
import { weekRange } from '../src/reports/range.js';
import { openStore, type Store } from '../src/store/db.js';
import { addDays, zonedToUtc } from '../src/time.js';

const RANGE = weekRange('2026-W47')!;
const NOW = Date.parse('2026-11-23T09:00:00+08:00');
const TZ = 'Asia/Shanghai';
const GROWING = ['messages', 'outbox', 'checkins', 'checkin_awards', 'followups', 'followup_events', 'schedule_fires', 'group_members', 'members'];
/** Index searches bounded by something other than time: a group's members, the follow-ups open now. */
const BOUNDED_INDEXES = ['group_members_pk', 'followups_playbook_status'];

/** Why a plan step reads a growing table without a bound, or null when it is fine. */
function unbounded(step: string): string | null {
  const m = /^(SCAN|SEARCH) (\w+)(?: AS \w+)?(?: USING (?:COVERING )?INDEX (\w+) \((.*)\)| USING INTEGER PRIMARY KEY)?/.exec(step);
  if (!m || !GROWING.includes(m[2]!)) return null;
  if (m[1] === 'SCAN') return 'full scan';
  if (step.includes('INTEGER PRIMARY KEY')) return null;
  const [index, constraint] = [m[3] ?? '', m[4] ?? ''];
  // A time range, one local day, or a bounded set.
  return /[<>]|\bday=/.test(constraint) || BOUNDED_INDEXES.includes(index) ? null : `search of ${index} (${constraint}) without a time bound`;
}

function playbook(): Playbook {
  const r = parsePlaybook(
    `id: p
name: 五年级一班
groups:
  - { key: a, platform: console, id: chat-a, name: 五年级一班家长群 }
staff_group: { platform: console, id: chat-staff, name: 五年级一班老师群 }
staff: [{ name: 李老师, role: assistant, ids: { console: li } }]
checkin:
  - { id: read, name: 晨读, trigger: { keywords: [打卡] }, days: [周一, 周二, 周三, 周四, 周五] }
`,
    'p.yaml',
    'p',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.playbook;
}

/** `weeks` identical weeks ending on Sunday 22 November: posts, check-ins, reminders and follow-ups every day. */
function history(weeks: number): Store {
  const store = openStore(':memory:');
  const db = store.sqlite;
  const first = addDays(RANGE.to, 1 - 7 * weeks);
  const start = zonedToUtc(first, 0, TZ);
  const groupId = Number(db.prepare(`INSERT INTO groups (platform, chat_id, name, playbook_id, group_key, first_seen_at) VALUES ('console', 'chat-a', '五年级一班家长群', 'p', 'a', ?)`).run(start).lastInsertRowid);
  const insertMessage = db.prepare(
    `INSERT INTO messages (platform, event_id, group_id, member_id, playbook_id, chat_type, text, addressed, sent_at, received_at, worry_label) VALUES ('console', ?, ?, ?, 'p', 'group', '收到', 0, ?, ?, ?)`,
  );
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (key, platform, target_kind, target_id, payload, status, cause, playbook_id, not_before, created_at, sent_at) VALUES (?, 'console', 'group', 'chat-a', '{}', 'sent', 'reminder', 'p', ?, ?, ?)`,
  );
  const members = Array.from({ length: 12 }, (_, i) => {
    const id = Number(db.prepare(`INSERT INTO members (platform, user_id, name, first_seen_at) VALUES ('console', ?, ?, ?)`).run(`m${i}`, `家长${i}`, start).lastInsertRowid);
    db.prepare(`INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, 'parent', ?)`).run(groupId, id, start);
    return id;
  });
  const repo = followupRepo(store);
  let event = 0;
  store.tx(() => {
    for (let day = first; day <= RANGE.to; day = addDays(day, 1)) {
      const at = (minute: number) => zonedToUtc(day, minute, TZ);
      insertOutbox.run(`r:${day}`, at(19 * 60), at(19 * 60), at(19 * 60));
      members.forEach((memberId, i) => {
        // Member 0 falls silent eight days before the end; member 1 never checks in.
        if (i > 0 || day <= '2026-11-14') insertMessage.run(`e${event++}`, groupId, memberId, at(8 * 60 + i), at(8 * 60 + i), i === 2 ? 'academic' : null);
        if (i !== 1) recordCheckin(store, { playbookId: 'p', gameId: 'read', groupKey: 'a', memberId }, { day, kind: 'normal', now: at(i % 2 ? 7 * 60 : 20 * 60) });
      });
      const f = repo.insert(
        {
          playbookId: 'p', platform: 'console', groupId, memberId: members[2]!, messageId: null, message: null, category: 'academic', severity: 'medium',
          source: 'detector', assignee: '李老师', score: null, reasons: null, openedAt: at(600), respondBy: at(615), resolveBy: at(600 + 1440), escalationLevel: 0, escalateAt: null,
        },
        'system',
        null,
      );
      repo.change(repo.change(f, { status: 'claimed', claimedAt: at(610) }, at(610), '李老师', 'claimed'), { status: 'resolved', resolvedAt: at(700) }, at(700), '李老师', 'resolved');
    }
  });
  return store;
}

interface Reads {
  model: ReportModel;
  /** SQL of the statements that ran. */
  ran: Set<string>;
  rows: number;
}

/** Builds the W47 report on `store`, recording the statements it runs and the rows they return. */
function observe(store: Store, pb: Playbook): Reads {
  const db = store.sqlite;
  const original = db.prepare.bind(db);
  const ran = new Set<string>();
  let rows = 0;
  db.prepare = ((sql: string) => {
    const stmt = original(sql) as Statement;
    const all = stmt.all.bind(stmt);
    const get = stmt.get.bind(stmt);
    return Object.assign(stmt, {
      all: (...args: unknown[]) => {
        ran.add(sql);
        const r = all(...args);
        rows += r.length;
        return r;
      },
      get: (...args: unknown[]) => {
        ran.add(sql);
        const r = get(...args);
        rows += r === undefined ? 0 : 1;
        return r;
      },
    });
  }) as typeof db.prepare;
  try {
    return { model: buildReport(store, [pb], RANGE, { now: NOW }), ran, rows };
  } finally {
    db.prepare = original;
  }
}

describe('report cost', () => {
  const pb = playbook();
  const short = observe(history(2), pb);
  const long = observe(history(52), pb);

  it('bounds every read of a growing table by an index on time (or a small set)', () => {
    const db = openStore(':memory:').sqlite;
    expect(long.ran.size).toBeGreaterThan(8);
    for (const sql of long.ran) {
      const names = [...new Set(sql.match(/@\w+/g) ?? [])];
      const params = names.length ? [Object.fromEntries(names.map((n) => [n.slice(1), 0]))] : Array((sql.match(/\?/g) ?? []).length).fill(0);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail);
      expect(plan.map(unbounded).filter(Boolean), `${sql}\n${plan.join('\n')}`).toEqual([]);
    }
  });

  it('reads the same rows from a year of history as from two weeks, for the same figures', () => {
    // Row ids differ (a year of follow-ups came first); nothing else may.
    const figures = (m: ReportModel) => JSON.parse(JSON.stringify(m, (k, v) => (k === 'id' ? undefined : v)));
    expect(figures(long.model)).toEqual(figures(short.model));
    expect(long.rows).toBe(short.rows);
    const g = long.model.groups[0]!;
    expect([g.activity.messages, g.checkins.checkins, g.reminders.sent, g.followups.overall.opened]).toEqual([77, 55, 7, 7]);
    expect(g.care.map((c) => [c.name, c.inactiveDays])).toEqual([['家长0', 8]]);
  });
});
