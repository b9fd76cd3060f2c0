/**
 * A member's data: found, exported (a data-subject access request) and erased. Every table that
 * can hold a member's name, platform id or texts (see README, "Privacy"):
 * - members (name, user_id), group_members (their memberships), member_settings;
 * - messages.text: their own, and others' texts naming them or commanding on their follow-ups;
 * - checkins, checkin_awards: keyed by member id, no text;
 * - leave_requests: keyed by member id; reason (their words, often about health);
 * - followups (message, reasons), followup_events (actor: the parent's name; detail: their
 *   messages, staff notes, detector reasons);
 * - outbox (target_id of direct messages; payload: text, mentions, reply context), see about-member.ts;
 * - privacy_log: member id and counts only.
 */
import { quote } from '../features/followups/format.js';
import type { Store } from '../store/db.js';
import { localIso } from '../time.js';
import { commandsAbout, outboxAbout, subject, type Subject } from './about-member.js';

export type MemberRow = Omit<Subject, 'searchName'> & { firstSeenAt: number };

/** How long an erasure waits for other connections (a running bot) to let it empty the WAL. */
const RESIDUE_WAIT_MS = 10_000;
/** What erased texts and names read as afterwards. */
const ERASED_TEXT = '（已删除成员的数据）';
const ERASED_NAME = '已删除成员';

/** Members matching `query`: a name, a platform user id, or `platform:userId`. */
export function findMembers(store: Store, query: string): MemberRow[] {
  const [platform = '', ...rest] = query.split(':');
  return store.sqlite
    .prepare(
      `SELECT id, platform, user_id AS userId, name, first_seen_at AS firstSeenAt FROM members
       WHERE name = ? OR user_id = ? OR (platform = ? AND user_id = ?) ORDER BY id`,
    )
    .all(query, query, platform, rest.join(':')) as MemberRow[];
}

/** The playbooks whose groups the member is in (their timezone is the one the export's times are in). */
export function playbooksOf(store: Store, memberId: number): string[] {
  return store.sqlite
    .prepare(`SELECT DISTINCT g.playbook_id FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.member_id = ? AND g.playbook_id IS NOT NULL`)
    .pluck()
    .all(memberId) as string[];
}

function audit(store: Store, action: 'export' | 'forget', memberId: number, actor: string, at: number, detail: unknown): void {
  store.sqlite.prepare(`INSERT INTO privacy_log (at, action, member_id, actor, detail) VALUES (?, ?, ?, ?, ?)`).run(at, action, memberId, actor, JSON.stringify(detail));
}

const followupIdsOf = (store: Store, memberId: number) =>
  new Set(store.sqlite.prepare(`SELECT id FROM followups WHERE member_id = ?`).pluck().all(memberId) as number[]);

/** Epoch-ms fields (`…At`, `…By`, `at`) as local times in `tz`, e.g. 2026-11-23T18:00:00+08:00. */
function localTimes<T extends object>(rows: T[], tz: string): T[] {
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'number' && (k === 'at' || /[a-z](At|By)$/.test(k)) ? localIso(v, tz) : v;
    return out as T;
  });
}

/** Everything classbot holds about one member, as plain data, times local to `tz`. */
export function exportMember(store: Store, memberId: number, actor: string, now: number, tz: string) {
  const db = store.sqlite;
  const all = (sql: string) => localTimes(db.prepare(sql).all(memberId) as object[], tz);
  const member = subject(store, memberId);
  const followupIds = followupIdsOf(store, memberId);
  const data = {
    exportedAt: localIso(now, tz),
    timezone: tz,
    member: localTimes([{ id: member.id, platform: member.platform, userId: member.userId, name: member.name, firstSeenAt: member.firstSeenAt }], tz)[0],
    groups: all(`SELECT g.name, g.playbook_id AS playbookId, gm.role, gm.joined_at AS joinedAt FROM group_members gm JOIN groups g ON g.id = gm.group_id
      WHERE gm.member_id = ? ORDER BY gm.joined_at`),
    messages: all(`SELECT sent_at AS sentAt, received_at AS receivedAt, chat_type AS chatType, text, worry_label AS worryLabel, worry_severity AS worrySeverity
      FROM messages WHERE member_id = ? ORDER BY sent_at, id`),
    checkins: all(`SELECT playbook_id AS playbookId, game_id AS gameId, day, kind, amount, created_at AS createdAt FROM checkins WHERE member_id = ? ORDER BY day, id`),
    awards: all(`SELECT playbook_id AS playbookId, game_id AS gameId, kind, name, threshold, day, awarded_at AS awardedAt FROM checkin_awards WHERE member_id = ? ORDER BY day, id`),
    leaves: all(`SELECT playbook_id AS playbookId, group_key AS groupKey, days, reason, source, created_at AS createdAt FROM leave_requests WHERE member_id = ? ORDER BY first_day, id`),
    followups: all(`SELECT id, playbook_id AS playbookId, category, severity, source, status, assignee, message, score, reasons, opened_at AS openedAt,
      claimed_at AS claimedAt, first_response_at AS firstResponseAt, resolved_at AS resolvedAt, respond_by AS respondBy, resolve_by AS resolveBy,
      rating_asked_at AS ratingAskedAt, rating, rated_at AS ratedAt FROM followups WHERE member_id = ? ORDER BY opened_at, id`),
    // The audit trail of their follow-ups: staff notes about them, who did what and when.
    followupEvents: all(`SELECT e.followup_id AS followupId, e.at, e.actor, e.action, e.status, e.detail FROM followup_events e
      JOIN followups f ON f.id = e.followup_id WHERE f.member_id = ? ORDER BY e.id`),
    staffCommands: localTimes(commandsAbout(store, member, followupIds).map(({ sentAt, text }) => ({ sentAt, text })), tz),
    outbox: localTimes(outboxAbout(store, member).map((o) => {
      const p = JSON.parse(o.payload) as { text?: string; mentions?: { id: string }[] };
      return {
        createdAt: o.createdAt, sentAt: o.sentAt, status: o.status, cause: o.cause, target: o.targetKind, text: p.text,
        mentioned: p.mentions?.some((x) => x.id === member.userId) ?? false,
      };
    }), tz),
    settings: all(`SELECT leaderboard_opt_out AS leaderboardOptOut, updated_at AS updatedAt FROM member_settings WHERE member_id = ?`),
    privacyLog: all(`SELECT at, action, actor, detail FROM privacy_log WHERE member_id = ? ORDER BY id`),
  };
  audit(store, 'export', memberId, actor, now, { messages: data.messages.length });
  return data;
}

export interface ForgetSummary {
  messages: number;
  followups: number;
  leaves: number;
  outbox: number;
  settings: number;
  member: number;
  /** False when the WAL could not be emptied (another connection kept it busy): erased data may remain there until the next truncation. */
  erasedFromDisk: boolean;
}

/**
 * The member's texts as a post may quote them (whole, or cut as staff alerts and lists cut them),
 * longest first, so that a whole text goes before a quote that is its beginning.
 */
function quotedForms(store: Store, memberId: number): string[] {
  const texts = store.sqlite
    .prepare(`SELECT text FROM messages WHERE member_id = ? AND text <> '' UNION SELECT message FROM followups WHERE member_id = ? AND message <> ''`)
    .pluck()
    .all(memberId, memberId) as string[];
  const forms = new Set(texts.flatMap((t) => [t, quote(t), quote(t, 120)]).filter((f) => [...f].length >= 2));
  return [...forms].sort((a, b) => b.length - a.length);
}

/** A payload without the member: their @ dropped; their text, or (in a post to many) their name and texts, erased. */
function scrubPayload(payload: string, m: Subject, shared: boolean, texts: string[]): string {
  const p = JSON.parse(payload) as { text: string; mentions?: { id: string }[]; replyContext?: unknown };
  const mentions = p.mentions?.filter((x) => x.id !== m.userId);
  if (mentions?.length) p.mentions = mentions;
  else delete p.mentions;
  if (!shared) {
    p.text = ERASED_TEXT;
    delete p.replyContext;
    return JSON.stringify(p);
  }
  for (const t of texts) p.text = p.text.replaceAll(t, ERASED_TEXT);
  if (m.searchName) p.text = p.text.replaceAll(m.searchName, ERASED_NAME);
  return JSON.stringify(p);
}

/**
 * Erases a member's personal data wherever it is (see the list at the top): their texts and the
 * texts about them, their name and platform id (so a later message starts a new member), their
 * memberships (no reminder @-s them again), settings, the texts and notes of their follow-ups,
 * and the outbox rows about them (sent ones scrubbed, unsent ones cancelled). Then the WAL is
 * emptied, and secure_delete has zeroed the freed space: nothing remains in the files. Counts stay,
 * anonymous, so past reports keep adding up.
 */
export function forgetMember(store: Store, memberId: number, actor: string, now: number): ForgetSummary {
  const db = store.sqlite;
  const summary = store.tx((): Omit<ForgetSummary, 'erasedFromDisk'> => {
    const m = subject(store, memberId);
    const name = m.searchName;
    const followupIds = followupIdsOf(store, memberId);
    const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params).changes;
    const texts = quotedForms(store, memberId);
    let outbox = 0;
    for (const o of outboxAbout(store, m)) {
      if (!o.shared && o.status === 'pending') run(`DELETE FROM outbox WHERE id = ?`, o.id);
      else {
        const target = o.targetKind === 'direct' && o.targetId === m.userId ? `forgotten:${memberId}` : o.targetId;
        run(`UPDATE outbox SET payload = ?, target_id = ? WHERE id = ?`, scrubPayload(o.payload, m, o.shared, texts), target, o.id);
      }
      outbox++;
    }
    for (const c of commandsAbout(store, m, followupIds)) run(`UPDATE messages SET text = NULL WHERE id = ?`, c.id);
    if (name) {
      // Others' texts that name them (a staff @-reply, a note on another follow-up).
      for (const [table, column] of [['messages', 'text'], ['followups', 'message'], ['followup_events', 'detail']] as const) {
        run(`UPDATE ${table} SET ${column} = replace(${column}, ?, ?) WHERE instr(${column}, ?) > 0`, name, ERASED_NAME, name);
      }
    }
    const own = (sql: string) => run(sql, memberId);
    const summary = {
      messages: own(`UPDATE messages SET text = NULL WHERE member_id = ? AND text IS NOT NULL`),
      // Nobody can be alerted about, or answer, a person no longer known: no further escalations.
      followups: own(`UPDATE followups SET message = NULL, reasons = NULL, escalate_at = NULL WHERE member_id = ?`),
      // The days stay (a past report's excused days still add up); why is theirs.
      leaves: own(`UPDATE leave_requests SET reason = NULL WHERE member_id = ? AND reason IS NOT NULL`),
      outbox,
      settings: own(`DELETE FROM member_settings WHERE member_id = ?`),
      member: run(`UPDATE members SET name = ?, user_id = ? WHERE id = ?`, `${ERASED_NAME}#${memberId}`, `forgotten:${memberId}`, memberId),
    };
    own(`UPDATE followup_events SET detail = NULL WHERE followup_id IN (SELECT id FROM followups WHERE member_id = ?)`);
    run(`UPDATE followup_events SET actor = ? WHERE actor = ? AND followup_id IN (SELECT id FROM followups WHERE member_id = ?)`, `${ERASED_NAME}#${memberId}`, m.name, memberId);
    own(`DELETE FROM group_members WHERE member_id = ?`);
    audit(store, 'forget', memberId, actor, now, summary);
    return summary;
  });
  return { ...summary, erasedFromDisk: store.eraseResidue(RESIDUE_WAIT_MS) };
}
