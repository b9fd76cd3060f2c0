import type { Store } from '../store/db.js';

export interface MemberRow {
  id: number;
  platform: string;
  userId: string;
  name: string;
  firstSeenAt: number;
}

/** Members matching `query`: a name, a platform user id, or `platform:userId`. */
export function findMembers(store: Store, query: string): MemberRow[] {
  const [platform, ...rest] = query.split(':');
  const userId = rest.join(':');
  return store.sqlite
    .prepare(
      `SELECT id, platform, user_id AS userId, name, first_seen_at AS firstSeenAt FROM members
       WHERE name = ? OR user_id = ? OR (platform = ? AND user_id = ?) ORDER BY id`,
    )
    .all(query, query, platform, userId) as MemberRow[];
}

function log(store: Store, action: string, memberId: number | null, actor: string, at: number, detail: unknown): void {
  store.sqlite
    .prepare(`INSERT INTO privacy_log (at, action, member_id, actor, detail) VALUES (?, ?, ?, ?, ?)`)
    .run(at, action, memberId, actor, JSON.stringify(detail));
}

/** Everything classbot holds about one member, as plain data (a data-subject access request). */
export function exportMember(store: Store, memberId: number, actor: string, now: number) {
  const q = (sql: string) => store.sqlite.prepare(sql).all(memberId);
  const member = store.sqlite.prepare(`SELECT id, platform, user_id AS userId, name, first_seen_at AS firstSeenAt FROM members WHERE id = ?`).get(memberId);
  const data = {
    exportedAt: new Date(now).toISOString(),
    member,
    groups: q(`SELECT g.name, g.playbook_id AS playbookId, gm.role, gm.joined_at AS joinedAt FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.member_id = ?`),
    messages: q(`SELECT sent_at AS sentAt, chat_type AS chatType, text, worry_label AS worryLabel FROM messages WHERE member_id = ? ORDER BY sent_at`),
    checkins: q(`SELECT playbook_id AS playbookId, game_id AS gameId, day, kind, amount FROM checkins WHERE member_id = ? ORDER BY day`),
    awards: q(`SELECT playbook_id AS playbookId, game_id AS gameId, kind, name, day FROM checkin_awards WHERE member_id = ? ORDER BY day`),
    followups: q(`SELECT id, playbook_id AS playbookId, category, status, message, opened_at AS openedAt, resolved_at AS resolvedAt, rating FROM followups WHERE member_id = ? ORDER BY opened_at`),
    settings: q(`SELECT leaderboard_opt_out AS leaderboardOptOut FROM member_settings WHERE member_id = ?`),
  };
  log(store, 'export', memberId, actor, now, { messages: data.messages.length });
  return data;
}

/**
 * Erases a member's personal data: message texts, the name and the platform id (so a later
 * message starts a new member), settings and the texts of their follow-ups. Counts stay, without
 * anything that identifies the person, so past reports keep adding up.
 */
export function forgetMember(store: Store, memberId: number, actor: string, now: number) {
  return store.tx(() => {
    const run = (sql: string, ...args: unknown[]) => store.sqlite.prepare(sql).run(...args).changes;
    const summary = {
      messages: run(`UPDATE messages SET text = NULL WHERE member_id = ? AND text IS NOT NULL`, memberId),
      followups: run(`UPDATE followups SET message = NULL WHERE member_id = ?`, memberId),
      settings: run(`DELETE FROM member_settings WHERE member_id = ?`, memberId),
      member: run(`UPDATE members SET name = ?, user_id = ? WHERE id = ?`, `已删除成员#${memberId}`, `forgotten:${memberId}`, memberId),
    };
    log(store, 'forget', memberId, actor, now, summary);
    return summary;
  });
}
