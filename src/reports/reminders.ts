/**
 * Reminders posted to class groups (outbox rows with cause 'reminder' that were sent), and the
 * check-ins made after one on the same local day.
 */
import type { Statement } from 'better-sqlite3';
import type { Store } from '../store/db.js';
import { localDate } from '../time.js';
import type { GroupScope } from './scope.js';

export interface Reminders {
  sent: number;
  /** Check-ins made on a reminder's day after the first reminder of that day had gone out. */
  checkinsAfter: number;
}

interface SentReminder {
  chatId: string;
  createdAt: number;
  sentAt: number;
}

export class ReminderQueries {
  private readonly sentBetween: Statement;
  private readonly checkinTimes: Statement;

  constructor(store: Store) {
    const db = store.sqlite;
    // `+status`: the status index would walk every message ever sent; the time index reads one week.
    this.sentBetween = db.prepare(
      `SELECT target_id AS chatId, created_at AS createdAt, sent_at AS sentAt FROM outbox
       WHERE created_at >= ? AND created_at < ? AND cause = 'reminder' AND +status = 'sent' AND target_kind = 'group'`,
    );
    // Made-up and corrected days are not answers to a reminder.
    this.checkinTimes = db.prepare(
      `SELECT day, created_at AS at FROM checkins WHERE playbook_id = ? AND group_key = ? AND day BETWEEN ? AND ? AND kind = 'normal'`,
    );
  }

  /** Reminders sent to any group in [start, end): read once per report, split per group by `reminders`. */
  sent(start: number, end: number): SentReminder[] {
    return this.sentBetween.all(start, end) as SentReminder[];
  }

  reminders(scope: GroupScope, sent: SentReminder[]): Reminders {
    const chats = new Set(scope.chatIds);
    const tz = scope.playbook.timezone;
    const firstOfDay = new Map<string, number>();
    let count = 0;
    for (const r of sent) {
      if (!chats.has(r.chatId) || r.createdAt < scope.start || r.createdAt >= scope.end) continue;
      count++;
      const day = localDate(r.sentAt, tz);
      firstOfDay.set(day, Math.min(firstOfDay.get(day) ?? Infinity, r.sentAt));
    }
    let checkinsAfter = 0;
    if (firstOfDay.size > 0) {
      for (const c of this.checkinTimes.all(scope.playbook.id, scope.group.key, scope.range.from, scope.range.to) as { day: string; at: number }[]) {
        const first = firstOfDay.get(c.day);
        if (first !== undefined && c.at >= first) checkinsAfter++;
      }
    }
    return { sent: count, checkinsAfter };
  }
}
