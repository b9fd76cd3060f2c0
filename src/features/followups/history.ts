/**
 * What the store knows about a parent's recent messages: context for the worry detector and the
 * staff alert, and since when an earlier question of theirs has waited for a staff answer.
 */
import type { Statement } from 'better-sqlite3';
import type { MessageContext } from '../../engine/feature.js';
import type { Store } from '../../store/db.js';
import { DAY } from '../../time.js';
import { looksLikeQuestion, matchFaq } from '../faq.js';
import { followupRepo } from './repo.js';
import { oncePer } from '../../memo.js';

/** Earlier messages the detector sees (repetition) and the alert quotes. */
const RECENT = 5;
const ALERT_CONTEXT = 3;
const RECENT_WINDOW = DAY;
/** An unanswered question older than this no longer counts as waiting. */
const WAIT_WINDOW = 3 * DAY;

export interface PastMessage {
  text: string;
  timestamp: number;
  addressed: number;
}

export interface History {
  /** The parent's previous messages in this chat (last day), newest first. */
  recent: PastMessage[];
  /** Those of them the FAQ did not answer: asking one again is a repeat nobody answered. */
  unanswered: PastMessage[];
  /** Epoch ms of their earliest question still without a staff answer, if any. */
  unansweredSinceMs?: number;
}

class Queries {
  readonly inGroup: Statement;
  readonly inDirect: Statement;
  readonly lastStaff: Statement;

  constructor(store: Store) {
    const db = store.sqlite;
    const cols = `SELECT text, sent_at AS timestamp, addressed FROM messages`;
    this.inGroup = db.prepare(`${cols} WHERE member_id = ? AND group_id = ? AND id < ? AND sent_at >= ? AND text <> '' ORDER BY sent_at DESC, id DESC LIMIT 20`);
    this.inDirect = db.prepare(`${cols} WHERE member_id = ? AND chat_type = 'direct' AND id < ? AND sent_at >= ? AND text <> '' ORDER BY sent_at DESC, id DESC LIMIT 20`);
    this.lastStaff = db.prepare(
      `SELECT MAX(sent_at) AS at FROM messages WHERE group_id = ? AND sent_at >= ?
       AND member_id IN (SELECT member_id FROM group_members WHERE group_id = ? AND role = 'staff')`,
    );
  }
}

const q = oncePer((store: Store) => new Queries(store));

/** A member's messages in a group (or their direct chat when `groupRowId` is null) before message `beforeId`, since `since`, newest first. */
export function pastMessages(store: Store, memberId: number, groupRowId: number | null, beforeId: number, since: number): PastMessage[] {
  const db = q(store);
  return (groupRowId !== null ? db.inGroup.all(memberId, groupRowId, beforeId, since) : db.inDirect.all(memberId, beforeId, since)) as PastMessage[];
}

/** The few messages a staff alert quotes as context, oldest first. */
export function alertContext(rows: PastMessage[], now: number): { text: string; at: number }[] {
  return rows
    .filter((r) => r.timestamp >= now - RECENT_WINDOW)
    .slice(0, ALERT_CONTEXT)
    .reverse()
    .map((r) => ({ text: r.text, at: r.timestamp }));
}

/** The sender's messages in this chat before this one, since `since`, newest first; none to read on their first message. */
function earlierMessages(ctx: MessageContext, since: number): PastMessage[] {
  return ctx.sender.firstSeen ? [] : pastMessages(ctx.services.store, ctx.sender.memberId, ctx.groupRowId, ctx.messageId, since);
}

/** Histories read for a message, so a later feature (unanswered questions) reuses what the detector read. */
const read = new WeakMap<MessageContext, History>();

/** The parent's previous messages in this chat (last day), newest first: all a staff alert needs. */
export function recentOf(ctx: MessageContext): PastMessage[] {
  const history = read.get(ctx);
  if (history) return history.recent;
  return earlierMessages(ctx, ctx.now - RECENT_WINDOW).slice(0, RECENT);
}

export function historyOf(ctx: MessageContext): History {
  const db = q(ctx.services.store);
  const { memberId } = ctx.sender;
  const since = ctx.now - WAIT_WINDOW;
  const recentSince = ctx.now - RECENT_WINDOW;
  const inGroup = ctx.groupRowId !== null;
  const rows = earlierMessages(ctx, since);
  const recent: PastMessage[] = [];
  const unanswered: PastMessage[] = [];
  // Earlier questions in the group that nothing answered, newest first.
  const asked: PastMessage[] = [];
  for (const r of rows) {
    const isRecent = recent.length < RECENT && r.timestamp >= recentSince;
    if (!isRecent && !inGroup) break;
    const question = looksLikeQuestion(r.text);
    if (!isRecent && !question) continue;
    // What the FAQ feature answered (a question, or addressed to the bot, matching an entry) waits for nobody.
    const answered = (r.addressed === 1 || question) && matchFaq(ctx.playbook, r.text) !== null;
    if (isRecent) {
      recent.push(r);
      if (!answered) unanswered.push(r);
    }
    if (inGroup && question && !answered) asked.push(r);
  }
  const waits: number[] = [];
  if (asked.length) {
    // Only staff messages since the earliest of those questions matter (bounds the scan of a busy group).
    const staffAt = (db.lastStaff.get(ctx.groupRowId, asked[asked.length - 1]!.timestamp, ctx.groupRowId) as { at: number | null }).at ?? 0;
    const waiting = asked.filter((r) => r.timestamp > staffAt);
    if (waiting.length) waits.push(waiting[waiting.length - 1]!.timestamp);
  }
  const open = followupRepo(ctx.services.store).openQuestionSince(memberId, since);
  if (open !== null) waits.push(open);
  const history: History = waits.length ? { recent, unanswered, unansweredSinceMs: Math.min(...waits) } : { recent, unanswered };
  read.set(ctx, history);
  return history;
}
