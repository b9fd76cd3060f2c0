/** The leave_requests table: what was asked for or granted, by whom, for which days. */
import type { Database } from 'better-sqlite3';
import { oncePer } from '../../memo.js';
import type { Store } from '../../store/db.js';

export interface NewLeave {
  playbookId: string;
  memberId: number;
  /** null: every class group of the member in the playbook. */
  groupKey: string | null;
  days: string[];
  reason: string | null;
  source: 'parent' | 'staff';
  byMemberId: number | null;
  messageId: number | null;
  now: number;
}

export interface LeaveRow {
  id: number;
  memberId: number;
  name: string;
  groupKey: string | null;
  days: string[];
  reason: string | null;
  source: 'parent' | 'staff';
  byName: string | null;
  createdAt: number;
}

const SELECT = `SELECT l.id, l.member_id AS memberId, m.name, l.group_key AS groupKey, l.days, l.reason, l.source, b.name AS byName, l.created_at AS createdAt
  FROM leave_requests l JOIN members m ON m.id = l.member_id LEFT JOIN members b ON b.id = l.by_member_id`;

const statementsOf = oncePer((db: Database) => ({
  insert: db.prepare(
    `INSERT INTO leave_requests (playbook_id, member_id, group_key, days, first_day, last_day, reason, source, by_member_id, message_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  since: db.prepare(`${SELECT} WHERE l.playbook_id = ? AND l.last_day >= ? ORDER BY l.first_day, l.id`),
}));

export function recordLeave(store: Store, l: NewLeave): number {
  const days = [...l.days].sort();
  const r = statementsOf(store.sqlite).insert.run(
    l.playbookId, l.memberId, l.groupKey, days.join(','), days[0], days.at(-1), l.reason, l.source, l.byMemberId, l.messageId, l.now,
  );
  return Number(r.lastInsertRowid);
}

/** The playbook's leaves with a day on or after `from`, earliest first. */
export function leavesSince(store: Store, playbookId: string, from: string): LeaveRow[] {
  const rows = statementsOf(store.sqlite).since.all(playbookId, from) as (Omit<LeaveRow, 'days'> & { days: string })[];
  return rows.map((r) => ({ ...r, days: r.days.split(',') }));
}
