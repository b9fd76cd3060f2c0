/**
 * What one class group of a report is in the store: its groups rows (a chat can be re-learned
 * under a new id, e.g. WeChat ids after a re-login), its chat ids, and its families.
 */
import type { Statement } from 'better-sqlite3';
import { groupMembers, type GroupMember } from '../features/checkin/records.js';
import type { Playbook } from '../playbook/playbook.js';
import type { GroupConfig } from '../playbook/schema.js';
import type { Store } from '../store/db.js';
import { localDate } from '../time.js';
import { rangeBounds, type ReportRange } from './range.js';

export interface GroupScope {
  playbook: Playbook;
  group: GroupConfig;
  range: ReportRange;
  previous: ReportRange;
  /** The last local date judged (streaks, silence): the range's last day, or today while the range is in progress. */
  asOf: string;
  /** groups.id rows of this group. */
  rowIds: number[];
  chatIds: string[];
  /** Families (everyone who posted there but the staff) who had joined by the end of the range. */
  roster: GroupMember[];
  start: number;
  end: number;
  prevStart: number;
  prevEnd: number;
}

/** Prepared once per report; `scope` is called per group. */
export class Scopes {
  private readonly rows: Statement;

  constructor(private readonly store: Store) {
    this.rows = store.sqlite.prepare(`SELECT id, chat_id AS chatId FROM groups WHERE playbook_id = ? AND group_key = ?`);
  }

  scope(playbook: Playbook, group: GroupConfig, range: ReportRange, previous: ReportRange, now: number): GroupScope {
    const today = localDate(now, playbook.timezone);
    const { start, end } = rangeBounds(range, playbook.timezone);
    const prev = rangeBounds(previous, playbook.timezone);
    const rows = this.rows.all(playbook.id, group.key) as { id: number; chatId: string }[];
    const chatIds = new Set(rows.map((r) => r.chatId));
    if (group.id) chatIds.add(group.id);
    return {
      playbook,
      group,
      range,
      previous,
      asOf: range.to < today ? range.to : today,
      rowIds: rows.map((r) => r.id),
      chatIds: [...chatIds],
      roster: groupMembers(this.store, playbook, group.key).filter((m) => m.joinedDay <= range.to),
      start,
      end,
      prevStart: prev.start,
      prevEnd: prev.end,
    };
  }
}
