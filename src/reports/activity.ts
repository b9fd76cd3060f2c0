/**
 * Chat activity of a class group: families, who posted, how much, what worried them, and who has
 * gone quiet. Every query is bounded by the group and a time range (index messages_group_time) or
 * by one member (messages_member_time), so a year of history costs what a week does.
 */
import type { Statement } from 'better-sqlite3';
import type { Store } from '../store/db.js';
import { addDays, daysBetween, localDate, zonedToUtc } from '../time.js';
import type { GroupScope } from './scope.js';

export interface ActivityCounts {
  /** Families in the group (everyone but staff). */
  members: number;
  /** Families who posted at least once. */
  activeMembers: number;
  /** Messages posted by families. */
  messages: number;
}

export interface Activity extends ActivityCounts {
  previous: ActivityCounts;
}

export interface WorryCount {
  category: string;
  messages: number;
}

export interface Inactive {
  memberId: number;
  /** Days from the member's last post in the group (or first, if none is left) to the scope's `asOf`. */
  days: number;
  /** Local date of the last post; null when they never posted here. */
  lastSeen: string | null;
}

/** Families silent this long at the end of the range are listed as needing care. */
export const INACTIVE_DAYS = 7;

export class ActivityQueries {
  private readonly perMember: Statement;
  private readonly postedSince: Statement;
  private readonly lastPost: Statement;

  constructor(store: Store) {
    const db = store.sqlite;
    this.perMember = db.prepare(
      `SELECT member_id AS memberId, worry_label AS worry, COUNT(*) AS n FROM messages
       WHERE group_id = ? AND sent_at >= ? AND sent_at < ? GROUP BY member_id, worry_label`,
    );
    this.postedSince = db.prepare(`SELECT DISTINCT member_id AS memberId FROM messages WHERE group_id = ? AND sent_at >= ? AND sent_at < ?`);
    // Walks the member's index backwards from the end and stops at the first post in the group
    // (`+group_id` keeps the planner off the group index, which would walk the group's history).
    this.lastPost = db.prepare(
      `SELECT sent_at AS at FROM messages WHERE member_id = ? AND sent_at < ? AND +group_id = ? ORDER BY sent_at DESC LIMIT 1`,
    );
  }

  activity(scope: GroupScope): { activity: Activity; worried: WorryCount[] } {
    const current = this.count(scope, scope.start, scope.end, scope.range.to);
    const previous = this.count(scope, scope.prevStart, scope.prevEnd, scope.previous.to);
    return {
      activity: { ...current.counts, previous: previous.counts },
      worried: [...current.worried].map(([category, messages]) => ({ category, messages })),
    };
  }

  private count(scope: GroupScope, start: number, end: number, lastDay: string): { counts: ActivityCounts; worried: Map<string, number> } {
    const families = new Set(scope.roster.filter((m) => m.joinedDay <= lastDay).map((m) => m.memberId));
    const active = new Set<number>();
    const worried = new Map<string, number>();
    let messages = 0;
    for (const groupId of scope.rowIds) {
      for (const r of this.perMember.all(groupId, start, end) as { memberId: number; worry: string | null; n: number }[]) {
        if (!families.has(r.memberId)) continue;
        active.add(r.memberId);
        messages += r.n;
        if (r.worry && r.worry !== 'none') worried.set(r.worry, (worried.get(r.worry) ?? 0) + r.n);
      }
    }
    return { counts: { members: families.size, activeMembers: active.size, messages }, worried };
  }

  /** Families who have not posted in the group in the last INACTIVE_DAYS days up to the scope's `asOf`. */
  inactive(scope: GroupScope): Inactive[] {
    const { timezone } = scope.playbook;
    const firstQuietDay = addDays(scope.asOf, 1 - INACTIVE_DAYS);
    const since = zonedToUtc(firstQuietDay, 0, timezone);
    const recent = new Set<number>();
    for (const groupId of scope.rowIds) {
      for (const r of this.postedSince.all(groupId, since, scope.end) as { memberId: number }[]) recent.add(r.memberId);
    }
    const out: Inactive[] = [];
    for (const m of scope.roster) {
      if (recent.has(m.memberId) || m.joinedDay >= firstQuietDay) continue;
      let last: number | null = null;
      for (const groupId of scope.rowIds) {
        const at = (this.lastPost.get(m.memberId, scope.end, groupId) as { at: number } | undefined)?.at;
        if (at !== undefined && (last === null || at > last)) last = at;
      }
      const lastSeen = last === null ? null : localDate(last, timezone);
      out.push({ memberId: m.memberId, days: daysBetween(lastSeen ?? m.joinedDay, scope.asOf), lastSeen });
    }
    return out;
  }
}
