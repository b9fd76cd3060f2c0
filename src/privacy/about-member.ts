/**
 * Where a member's data lies beyond the rows keyed by their member id: outbox messages to them,
 * @-ing them, about their follow-ups or answering their messages, and staff commands on their
 * follow-ups (notes, descriptions). Export and erasure both read these, so they cannot disagree.
 */
import type { Store } from '../store/db.js';
import { followupCommands, parseId } from '../features/followups/commands.js';

export interface Subject {
  id: number;
  platform: string;
  userId: string;
  name: string;
  /** The name as searched for in free text (others' messages, outbox texts); null when it cannot identify them. */
  searchName: string | null;
}

export interface OutboxAbout {
  id: number;
  key: string;
  status: string;
  cause: string;
  targetKind: string;
  targetId: string;
  payload: string;
  createdAt: number;
  sentAt: number | null;
  /** A post to many that only @-s or names the member (a reminder): the rest of it is not theirs. */
  shared: boolean;
}

/**
 * Display names shorter than this are not searched for in others' texts: one character
 * (a surname) would match everywhere.
 */
const MIN_NAME_SEARCH = 2;

/**
 * The member as export and erasure see them. Their name is searched for in free text only when it
 * is theirs alone: long enough, and no other member goes by it (whose data must not be touched).
 */
export function subject(store: Store, memberId: number): Subject & { firstSeenAt: number } {
  const m = store.sqlite.prepare(`SELECT id, platform, user_id AS userId, name, first_seen_at AS firstSeenAt FROM members WHERE id = ?`).get(memberId) as Omit<Subject, 'searchName'> & { firstSeenAt: number };
  const shared = store.sqlite.prepare(`SELECT 1 FROM members WHERE name = ? AND id <> ?`).get(m.name, m.id) !== undefined;
  return { ...m, searchName: [...m.name].length >= MIN_NAME_SEARCH && !shared ? m.name : null };
}

/** How a string appears inside a JSON payload (escaped, without its quotes). */
const inJson = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * Outbox rows about the member. Replies to their messages (`in:<platform>:<event>:n`) and the
 * messages of their follow-ups (`followup:<id>:…`) are found by key through its index; rows sent
 * to them, @-ing or naming them by a scan of the payloads (an erasure is rare; the outbox is not
 * indexed by content).
 */
export function outboxAbout(store: Store, m: Subject): OutboxAbout[] {
  const name = m.searchName;
  const rows = store.sqlite
    .prepare(
      `WITH keyed AS (
         SELECT o.id FROM messages msg JOIN outbox o
           ON o.key >= 'in:' || msg.platform || ':' || msg.event_id || ':' AND o.key < 'in:' || msg.platform || ':' || msg.event_id || ';'
         WHERE msg.member_id = @id
         UNION SELECT o.id FROM followups f JOIN outbox o ON o.key >= 'followup:' || f.id || ':' AND o.key < 'followup:' || f.id || ';'
         WHERE f.member_id = @id
       )
       SELECT id, key, status, cause, target_kind AS targetKind, target_id AS targetId, payload, created_at AS createdAt, sent_at AS sentAt,
         id IN keyed OR (platform = @platform AND target_kind = 'direct' AND target_id = @userId) AS own
       FROM outbox
       WHERE id IN keyed OR (platform = @platform AND (target_id = @userId OR instr(payload, @userIdJson) > 0)) OR (@name IS NOT NULL AND instr(payload, @name) > 0)
       ORDER BY id`,
    )
    .all({ id: m.id, platform: m.platform, userId: m.userId, userIdJson: `"${inJson(m.userId)}"`, name: name && inJson(name) }) as (Omit<OutboxAbout, 'shared'> & { own: number })[];
  return rows.map(({ own, ...r }) => {
    const mentions = (JSON.parse(r.payload) as { mentions?: { id: string }[] }).mentions ?? [];
    const others = mentions.some((x) => x.id !== m.userId);
    return { ...r, shared: !own && (others || r.key.startsWith('fire:')) };
  });
}

const FOLLOWUP_COMMANDS = new Set(followupCommands.flatMap((c) => c.names.map((n) => n.toLowerCase())));

/**
 * Staff messages that are follow-up commands on the member's follow-ups (`/备注 12 …`,
 * `/解决 12 …`): their text is a note about the member. Commands naming the member
 * (`/新跟进 @名字 …`) are found by name.
 */
export function commandsAbout(store: Store, m: Subject, followupIds: Set<number>): { id: number; sentAt: number; text: string }[] {
  const name = m.searchName;
  const rows = store.sqlite
    .prepare(
      `SELECT id, sent_at AS sentAt, text FROM messages
       WHERE member_id <> ? AND text IS NOT NULL AND substr(ltrim(text), 1, 1) IN ('/', '／') ORDER BY id`,
    )
    .all(m.id) as { id: number; sentAt: number; text: string }[];
  return rows.filter((r) => {
    const [command = '', arg] = r.text.trim().slice(1).trim().split(/\s+/);
    if (!FOLLOWUP_COMMANDS.has(command.toLowerCase())) return false;
    const id = parseId(arg);
    return (id !== null && followupIds.has(id)) || (name !== null && r.text.includes(name));
  });
}
