import type { Statement } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { SendError, type Adapter, type OutboundMessage, type Platform, type RateBudget } from '../model.js';
import type { Store } from '../store/db.js';
import { PlatformBlocks, type PlatformBlock } from './platform-blocks.js';
import { RateLimiter } from './rate-limiter.js';

/** No platform call takes this long: a row 'sending' for longer was cut off by a crash. */
const SEND_TIMEOUT_MS = 5 * 60_000;
const INTERRUPTED_CHECK_MS = 10_000;
/** Sends in flight at once (to different chats), within the platform's rate limits. */
const MAX_PARALLEL_SENDS = 32;

interface Sending {
  adapter: Adapter;
  row: OutboxRow;
  targetKey: string;
  /** Platform ids of the earlier message this one replaces. */
  updateOf?: string[];
}

interface WavePlan {
  /** Claimed, to send now. */
  wave: Sending[];
  /** Due, for later waves of the same drain. */
  later: OutboxRow[];
  /** Targets that wait for a later drain. */
  blocked: Set<string>;
}

export interface EnqueueMeta {
  cause: string;
  playbookId?: string | null;
  urgent?: boolean;
  /** Not before this instant (quiet hours hold); defaults to now. */
  notBefore?: number;
}

export interface OutboxRow {
  id: number;
  key: string;
  platform: Platform;
  targetKind: 'group' | 'direct';
  targetId: string;
  payload: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  cause: string;
  playbookId: string | null;
  urgent: number;
  attempts: number;
  notBefore: number;
  createdAt: number;
  sentAt: number | null;
  lastError: string | null;
  platformIds: string | null;
}

/** A platform started or stopped refusing every send; `held` counts its messages waiting. */
export interface BlockChange {
  platform: Platform;
  state: 'blocked' | 'resumed';
  reason: string;
  detail: string;
  held: number;
}

/** A message with buttons the bot queued, which a later message may replace in place. */
export interface SentCard {
  key: string;
  platform: Platform;
  text: string;
}

export interface OutboxOptions {
  /** Attempts before a message becomes a dead letter (status failed). */
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long one send may take (wall-clock) before it counts as failed. */
  sendTimeoutMs?: number;
}

type Payload = Omit<OutboundMessage, 'platform' | 'target' | 'idempotencyKey'>;

export function rowToMessage(row: OutboxRow): OutboundMessage {
  const payload = JSON.parse(row.payload) as Payload;
  return {
    ...payload,
    platform: row.platform,
    target: row.targetKind === 'group' ? { kind: 'group', groupId: row.targetId } : { kind: 'direct', memberId: row.targetId },
    idempotencyKey: row.key,
  };
}

/**
 * The one path every outgoing message takes. Rows are inserted inside the caller's transaction
 * (so a decision and its messages commit together) and drained per platform and target under the
 * adapter's rate limits, with retries and exponential backoff, ending sent or failed — never lost.
 */
export class Outbox {
  private readonly adapters = new Map<Platform, Adapter>();
  private readonly limiter = new RateLimiter();
  private readonly insert: Statement;
  private readonly due: Statement;
  private readonly markSending: Statement;
  private readonly markSent: Statement;
  private readonly markRetry: Statement;
  private readonly markFailed: Statement;
  private readonly markInterrupted: Statement;
  private readonly markHeld: Statement;
  private readonly earlier: Statement;
  private readonly countHeld: Statement;
  readonly blocks: PlatformBlocks;
  /** Blocked platforms as of the last look at the database. */
  private blocked = new Map<Platform, PlatformBlock>();
  /** Rows claimed as the probe of a blocked platform. */
  private readonly probes = new Set<number>();
  /** Told, inside the transaction that records it, when a platform blocks or resumes (the engine alerts staff). */
  onBlockChange: ((change: BlockChange) => void) | undefined;
  private draining: Promise<void> | null = null;
  private again = false;
  /** A wave claimed by `prepare`, sent first by the next drain. */
  private prepared: WavePlan | null = null;
  private interruptedCheckedAt = -Infinity;
  /** Outcomes of finished sends not yet written. */
  private readonly unsettled: (() => void)[] = [];
  private readonly opts: Required<OutboxOptions>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: OutboxOptions = {},
  ) {
    this.opts = { maxAttempts: 6, baseBackoffMs: 2_000, maxBackoffMs: 10 * 60_000, sendTimeoutMs: 30_000, ...opts };
    const db = store.sqlite;
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO outbox (key, platform, target_kind, target_id, payload, status, cause, playbook_id, urgent, attempts, not_before, created_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, 0, ?, ?)`,
    );
    this.due = db.prepare(
      `SELECT id, key, platform, target_kind AS targetKind, target_id AS targetId, payload, status, cause, playbook_id AS playbookId,
              urgent, attempts, not_before AS notBefore, created_at AS createdAt, sent_at AS sentAt, last_error AS lastError, platform_ids AS platformIds
       FROM outbox WHERE status = 'pending' AND platform = ? AND not_before <= ? ORDER BY urgent DESC, id LIMIT 1000`,
    );
    // Claiming a row by its status lets several bots drain one database without sending a row twice.
    // A wave is claimed, and its successes recorded, in one statement each (ids as a JSON array).
    this.markSending = db.prepare(
      `UPDATE outbox SET status = 'sending', attempts = attempts + 1, not_before = ? WHERE id IN (SELECT value FROM json_each(?)) AND status = 'pending' RETURNING id`,
    );
    // A row still 'sending' long after it was claimed was interrupted (a crash) and may or may not
    // have reached the platform. Resending risks a duplicate, dropping risks a loss: it becomes a
    // dead letter for staff to check and retry.
    this.markInterrupted = db.prepare(
      `UPDATE outbox SET status = 'failed', last_error = '发送结果未知（进程中断），请人工确认后用 classbot outbox retry 重发' WHERE status = 'sending' AND not_before <= ?`,
    );
    this.markSent = db.prepare(
      `UPDATE outbox SET status = 'sent', sent_at = ?, platform_ids = sent.value ->> 1, last_error = NULL
       FROM json_each(?) AS sent WHERE outbox.id = sent.value ->> 0`,
    );
    this.markRetry = db.prepare(`UPDATE outbox SET status = 'pending', not_before = ?, last_error = ? WHERE id = ?`);
    this.markFailed = db.prepare(`UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?`);
    // A send the platform refused as a whole (quota) was never the message's fault: its attempt is given back.
    this.markHeld = db.prepare(`UPDATE outbox SET status = 'pending', attempts = ?, last_error = ? WHERE id = ?`);
    this.earlier = db.prepare(`SELECT status, platform_ids AS platformIds FROM outbox WHERE key = ?`);
    this.countHeld = db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE platform = ? AND status = 'pending'`);
    this.blocks = new PlatformBlocks(store);
  }

  registerAdapter(adapter: Adapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  /** Queues `msg` once per idempotency key; returns false when the key was already queued. */
  enqueue(msg: OutboundMessage, meta: EnqueueMeta): boolean {
    const { platform, target, idempotencyKey, ...payload } = msg;
    const now = this.clock.now();
    const r = this.insert.run(
      idempotencyKey,
      platform,
      target.kind,
      target.kind === 'group' ? target.groupId : target.memberId,
      JSON.stringify(payload),
      meta.cause,
      meta.playbookId ?? null,
      meta.urgent ? 1 : 0,
      meta.notBefore ?? now,
      now,
    );
    return r.changes > 0;
  }

  /** Sends everything due now that the rate limits allow. Concurrent calls share one pass. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          await this.drainOnce();
          // Recording the last outcomes may queue more (a platform blocked or resumed: staff are told).
          if (!this.again && this.unsettled.length) this.settleAnd(() => undefined);
        } while (this.again);
      } catch (e) {
        // The database refused a claim or an outcome (locked, disk full): the rows keep their
        // status for the next drain; whoever waits on this one must not hang or crash.
        this.log.error({ err: (e as Error).message }, 'outbox drain failed; will retry on the next tick');
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  /**
   * Inside the caller's transaction: claims the first wave of what is due, so that the engine's
   * batch commit is also the claim and the next drain sends at once.
   */
  prepare(): void {
    try {
      this.prepared = this.store.atomic(() => this.claimNext(this.dueRows(), new Set()));
    } catch (e) {
      // The batch's messages must not fail with it: the drain claims on its own.
      this.prepared = null;
      this.log.error({ err: (e as Error).message }, 'could not claim messages to send');
    }
  }

  /** The caller's transaction that ran `prepare` was rolled back: its claims are void. */
  rolledBack(): void {
    this.prepared = null;
  }

  /** One transaction that records finished sends, then runs `fn`; should it fail, the outcomes wait for the next. */
  private settleAnd<T>(fn: () => T): T {
    const outcomes = this.unsettled.splice(0);
    try {
      return this.store.tx(() => {
        for (const write of outcomes) write();
        return fn();
      });
    } catch (e) {
      this.unsettled.unshift(...outcomes);
      throw e;
    }
  }

  private async drainOnce(): Promise<void> {
    let plan = this.prepared ?? this.settleAnd(() => this.claimNext(this.dueRows(), new Set()));
    this.prepared = null;
    while (plan.wave.length > 0) {
      this.unsettled.push(await this.sendWave(plan.wave, plan.blocked));
      if (plan.later.length === 0) break;
      const { later, blocked } = plan;
      // One commit per wave: the last wave's outcomes and this wave's claims.
      plan = this.settleAnd(() => this.claimNext(later, blocked));
    }
  }

  /** Everything due now, oldest first with urgent messages ahead. */
  private dueRows(): OutboxRow[] {
    const now = this.clock.now();
    // Interrupted sends are minutes old by definition: looking for them every few seconds is enough.
    if (now - this.interruptedCheckedAt >= INTERRUPTED_CHECK_MS || now < this.interruptedCheckedAt) {
      this.interruptedCheckedAt = now;
      const interrupted = this.markInterrupted.run(now - SEND_TIMEOUT_MS).changes;
      if (interrupted > 0) this.log.warn({ messages: interrupted }, 'sends interrupted by a crash are now dead letters (classbot outbox list --failed)');
    }
    // Read per platform: a backlog on a slow platform (WeChat's 20 a minute) must not fill the
    // window and hold back the others' messages.
    this.blocked = new Map(this.blocks.all().map((b) => [b.platform, b]));
    return [...this.adapters.keys()].flatMap((platform) => this.dueOn(platform, now)).sort((a, b) => b.urgent - a.urgent || a.id - b.id);
  }

  /**
   * A blocked platform's messages wait, but for one probe when it is due, and for those its
   * adapter can still deliver another way (claimNext asks it).
   */
  private dueOn(platform: Platform, now: number): OutboxRow[] {
    const block = this.blocked.get(platform);
    const bypass = this.adapters.get(platform)?.deliversWhileBlocked !== undefined;
    if (block && !bypass && block.probeAt > now) return [];
    const rows = this.due.all(platform, now) as OutboxRow[];
    if (!block || rows.length === 0) return rows;
    if (block.probeAt <= now && this.blocks.claimProbe(platform, now)) this.probes.add(rows[0]!.id);
    return bypass ? rows : rows.filter((r) => this.probes.has(r.id));
  }

  /**
   * Inside a transaction: picks and claims the next wave among `rows`.
   * A wave takes at most one message per chat: its sends go out together, and a chat's next message
   * waits for the next wave. Sending chats in parallel is what lets a burst reach the platform's
   * own rate (one call at a time, 100 ms each, would cap Lark at a fifth of it). A target that must
   * wait holds back its later messages too (`blocked`), so order within a chat is kept.
   */
  private claimNext(rows: OutboxRow[], blocked: Set<string>): WavePlan {
    const wave: Sending[] = [];
    const later: OutboxRow[] = [];
    const inWave = new Set<string>();
    for (const row of rows) {
      const targetKey = `${row.platform}|${row.targetKind}|${row.targetId}`;
      if (blocked.has(targetKey)) continue;
      if (inWave.has(targetKey) || wave.length >= MAX_PARALLEL_SENDS) {
        later.push(row);
        continue;
      }
      const adapter = this.adapters.get(row.platform);
      if (this.blocked.has(row.platform) && !this.probes.has(row.id) && !adapter?.deliversWhileBlocked?.(rowToMessage(row))) {
        blocked.add(targetKey);
        continue;
      }
      const update = this.updateOf(row);
      if (update === 'wait') {
        blocked.add(targetKey);
        continue;
      }
      // Logged out or reconnecting: wait without spending an attempt.
      if (!adapter || !(adapter.canSend ? adapter.canSend() : adapter.status().state === 'connected')) {
        blocked.add(targetKey);
        continue;
      }
      const { perTarget, global = [] } = adapter.rateLimits;
      const sendAt = this.clock.now();
      if (
        this.limiter.availableAt(targetKey, perTarget, sendAt) > sendAt ||
        global.some((budget) => this.limiter.availableAt(appKey(row.platform, budget), budget, sendAt) > sendAt)
      ) {
        blocked.add(targetKey);
        continue;
      }
      this.limiter.record(targetKey, perTarget, sendAt);
      for (const budget of global) this.limiter.record(appKey(row.platform, budget), budget, sendAt);
      inWave.add(targetKey);
      wave.push({ adapter, row, targetKey, ...(update ? { updateOf: update } : {}) });
    }
    if (wave.length === 0) return { wave, later, blocked };
    // Another bot may have claimed a row first: it is its to send.
    const claimed = new Set((this.markSending.all(this.clock.now(), JSON.stringify(wave.map((w) => w.row.id))) as { id: number }[]).map((r) => r.id));
    return { wave: claimed.size === wave.length ? wave : wave.filter((w) => claimed.has(w.row.id)), later, blocked };
  }

  /** Sends a claimed wave; returns what records the outcomes, for the next transaction. */
  private async sendWave(wave: Sending[], blocked: Set<string>): Promise<() => void> {
    // A platform call that hangs must not stall every chat behind it: past the deadline it counts
    // as a retryable failure (platforms with an idempotency key, like Lark's uuid, absorb a late
    // success). One timer for the whole wave, whose sends start together.
    const ms = this.opts.sendTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SendError(`no answer from the platform within ${ms / 1000} s`, true)), ms);
    });
    const results = await Promise.allSettled(wave.map(async (s) => Promise.race([s.adapter.send(s.updateOf ? { ...rowToMessage(s.row), updateOf: s.updateOf } : rowToMessage(s.row)), deadline])));
    clearTimeout(timer);
    const sentAt = this.clock.now();
    // A failed chat holds back its next message from the very next wave.
    wave.forEach((s, i) => results[i]!.status === 'rejected' && blocked.add(s.targetKey));
    return () => {
      const sent: [number, string][] = [];
      // Only a probe that went through says the platform takes sends again (not one that went around the block).
      const through = new Set(wave.filter((s, i) => results[i]!.status === 'fulfilled' && this.probes.has(s.row.id)).map((s) => s.row.platform));
      wave.forEach((s, i) => {
        const result = results[i]!;
        this.probes.delete(s.row.id);
        if (result.status === 'fulfilled') sent.push([s.row.id, JSON.stringify(result.value.platformMessageIds)]);
        else this.failed(s, result.reason, blocked);
      });
      for (const platform of through) this.resumed(platform);
      if (sent.length) this.markSent.run(sentAt, JSON.stringify(sent));
    };
  }

  private failed({ row, targetKey }: Sending, reason: unknown, blocked: Set<string>): void {
    const err = reason instanceof SendError ? reason : new SendError((reason as Error)?.message ?? String(reason), true);
    const attempt = row.attempts + 1;
    blocked.add(targetKey);
    if (err.blocked) {
      this.markHeld.run(row.attempts, err.message, row.id);
      this.platformBlocked(row.platform, err.blocked, err.message);
      return;
    }
    if (!err.retryable || attempt >= this.opts.maxAttempts) {
      this.markFailed.run(err.message, row.id);
      this.log.error({ outboxId: row.id, platform: row.platform, target: row.targetId, attempts: attempt, err: err.message }, 'message failed for good: dead letter');
      return;
    }
    const backoff = Math.min(this.opts.maxBackoffMs, this.opts.baseBackoffMs * 2 ** (attempt - 1));
    const retryAt = this.clock.now() + Math.max(backoff, err.retryAfterMs ?? 0);
    this.markRetry.run(retryAt, err.message, row.id);
    this.log.warn({ outboxId: row.id, platform: row.platform, attempts: attempt, retryAt, err: err.message }, 'send failed, will retry');
  }

  /**
   * A message that replaces an earlier card goes once that card is sent, carrying its platform ids;
   * when the card never arrived it is sent as a new message (staff still see the case's state).
   */
  private updateOf(row: OutboxRow): string[] | 'wait' | null {
    // Parsed only for the rare update: every due row passes here on each wave.
    if (!row.payload.includes('"updates":')) return null;
    const key = (JSON.parse(row.payload) as Payload).updates;
    if (!key) return null;
    const earlier = this.earlier.get(key) as { status: OutboxRow['status']; platformIds: string | null } | undefined;
    if (earlier?.status === 'pending' || earlier?.status === 'sending') return 'wait';
    const ids = earlier?.status === 'sent' && earlier.platformIds ? (JSON.parse(earlier.platformIds) as string[]) : [];
    return ids.length ? ids : null;
  }

  private platformBlocked(platform: Platform, block: { reason: string; untilMs?: number }, detail: string): void {
    const now = this.clock.now();
    const fresh = this.blocks.block(platform, block.reason, detail, block.untilMs, now);
    this.blocked.set(platform, { platform, reason: block.reason, detail, since: now, until: block.untilMs ?? null, probeAt: now });
    if (!fresh) return;
    this.again = true;
    const held = this.pendingOn(platform);
    this.log.error({ platform, reason: block.reason, held, err: detail }, 'platform refuses every send: messages held until it takes them again (classbot outbox list)');
    this.onBlockChange?.({ platform, state: 'blocked', reason: block.reason, detail, held });
  }

  private resumed(platform: Platform): void {
    const block = this.blocked.get(platform);
    if (!block || !this.blocks.lift(platform)) return;
    this.blocked.delete(platform);
    this.again = true;
    const held = this.pendingOn(platform);
    this.log.info({ platform, held }, 'platform takes sends again: held messages go out');
    this.onBlockChange?.({ platform, state: 'resumed', reason: block.reason, detail: block.detail ?? '', held });
  }

  /** Puts a dead letter back in the queue (a staff decision); false when `id` is not failed. */
  retry(id: number): boolean {
    return (
      this.store.sqlite.prepare(`UPDATE outbox SET status = 'pending', attempts = 0, not_before = ? WHERE id = ? AND status = 'failed'`).run(this.clock.now(), id)
        .changes > 0
    );
  }

  /** Cards (messages with actions, not themselves updates) whose keys start with `prefix`. */
  cards(prefix: string): SentCard[] {
    return this.store.sqlite
      .prepare(
        `SELECT key, platform, payload ->> '$.text' AS text FROM outbox
         WHERE key >= ? AND key < ? AND status != 'failed' AND json_array_length(payload, '$.actions') > 0 AND payload ->> '$.updates' IS NULL ORDER BY id`,
      )
      .all(prefix, `${prefix}\uffff`) as SentCard[];
  }

  /** Queues a replacement of the card queued under `cardKey`, to the same chat; false when that card is unknown or the key was queued. */
  enqueueUpdate(cardKey: string, text: string, actions: OutboundMessage['actions'], key: string, cause: string): boolean {
    const card = this.store.sqlite
      .prepare(`SELECT platform, target_kind AS targetKind, target_id AS targetId, playbook_id AS playbookId, urgent FROM outbox WHERE key = ?`)
      .get(cardKey) as Pick<OutboxRow, 'platform' | 'targetKind' | 'targetId' | 'playbookId' | 'urgent'> | undefined;
    if (!card) return false;
    const target: OutboundMessage['target'] = card.targetKind === 'group' ? { kind: 'group', groupId: card.targetId } : { kind: 'direct', memberId: card.targetId };
    return this.enqueue({ platform: card.platform, target, text, actions: actions ?? [], updates: cardKey, idempotencyKey: key }, { cause, playbookId: card.playbookId, urgent: card.urgent === 1 });
  }

  pendingOn(platform: Platform): number {
    return (this.countHeld.get(platform) as { n: number }).n;
  }

  list(status?: OutboxRow['status'], limit = 100): OutboxRow[] {
    const where = status ? `WHERE status = ?` : '';
    const args = status ? [status, limit] : [limit];
    return this.store.sqlite
      .prepare(
        `SELECT id, key, platform, target_kind AS targetKind, target_id AS targetId, payload, status, cause, playbook_id AS playbookId,
                urgent, attempts, not_before AS notBefore, created_at AS createdAt, sent_at AS sentAt, last_error AS lastError, platform_ids AS platformIds
         FROM outbox ${where} ORDER BY id DESC LIMIT ?`,
      )
      .all(...args) as OutboxRow[];
  }
}

/** One sliding window per app-wide budget: windows of different lengths cannot share a key. */
function appKey(platform: string, budget: RateBudget): string {
  return `${platform}|app|${budget.windowMs}`;
}
