import type { Statement } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Adapter, AdapterCapabilities, InboundMessage, Platform, Role } from '../model.js';
import { findStaff, text, type Playbook } from '../playbook/playbook.js';
import type { GroupConfig } from '../playbook/schema.js';
import type { Store } from '../store/db.js';
import { isStoreUnavailable } from '../store/errors.js';
import type { InboundSpool } from '../store/spool.js';
import { alertBlockChange } from './block-alerts.js';
import { Commands } from './commands.js';
import type { Feature, MessageContext, ReplyOptions, Sender, Services } from './feature.js';
import { validateInbound } from './inbound.js';
import { Directory } from './members.js';
import { Messenger, type SendOptions, type SendOutcome } from './messenger.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { PlatformEvents } from './platform-events.js';
import { Router, type ConflictChat, type Route } from './router.js';
import { Scheduler } from './scheduler.js';

export interface EngineOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  features: Feature[];
  outbox?: OutboxOptions;
  /** Directory relative output paths resolve against (default the process's working directory). */
  workDir?: string;
  /** Where inbound messages wait when the database cannot take them (none: in memory only, for ':memory:' stores). */
  spool?: InboundSpool;
}

/** Inbound messages committed together at most; bounds the latency a burst adds to each. */
const MAX_BATCH = 200;
/** After the database refused a batch, new messages join the waiting ones for this long (wall clock) before it is tried again: each try may block for the busy timeout. */
const RETRY_MS = 1000;

/** `queued`: the database could not take the message now (busy, full); it is spooled and stored on a later tick. */
export type InboundOutcome = 'handled' | 'duplicate' | 'ignored' | 'invalid' | 'queued';

interface Pending {
  raw: unknown;
  resolve: (o: InboundOutcome) => void;
  /** Already in the spool (written ahead for a platform that acknowledged it on receipt). */
  spooled: boolean;
}

/**
 * Routes inbound messages to playbooks and features, records them (the insert is also the
 * redelivery dedupe), runs scheduled jobs, and drains the outbox.
 */
export class Engine {
  readonly services: Services;
  readonly outbox: Outbox;
  readonly router: Router;
  readonly scheduler: Scheduler;
  readonly commands: Commands;
  private readonly directory: Directory;
  private readonly features: Feature[];
  private readonly capabilities = new Map<Platform, AdapterCapabilities>();
  private readonly insertMessage: Statement;
  private readonly setWorryStmt: Statement;
  private readonly memberPlaybook: Statement;
  private readonly recorded: Statement;
  private playbookList: Playbook[] = [];
  private readonly queue: Pending[] = [];
  /** Messages the database could not take yet, oldest first; all in the spool unless it is not writable. */
  private readonly waiting: InboundMessage[] = [];
  private readonly spool: InboundSpool | null;
  /** Platforms that acknowledge a message on receipt, before it is committed: their messages are written ahead to the spool. */
  private readonly acksOnReceipt = new Set<Platform>();
  /** Wall-clock instant before which messages arriving are not tried against a database that just refused. */
  private retryAt = 0;
  private flushScheduled = false;
  /** Settles when the flush scheduled last has stored its messages. */
  private flushing: Promise<void> = Promise.resolve();
  /** Platform events; set `events.onGroupsChanged` to look title-bound groups up again. */
  readonly events: PlatformEvents;
  /**
   * Group messages from chats not bound yet on platforms whose adapter lists its groups: the
   * look-up their arrival started may bind the chat, and then they are handled after all.
   */
  private readonly unrouted = new Map<Platform, { msg: InboundMessage; at: number }[]>();
  private readonly retrying = new Set<string>();
  /** Something other than a handled message queued a send in this batch (a binding conflict's warning). */
  private queuedAside = false;
  private dataVersion = -1;

  constructor(opts: EngineOptions) {
    const { store, clock, log } = opts;
    this.features = opts.features;
    this.spool = opts.spool ?? null;
    this.outbox = new Outbox(store, clock, log, opts.outbox);
    this.router = new Router(store, log);
    const messenger = new Messenger(this.outbox, this.router, clock, log);
    this.services = {
      store,
      clock,
      log,
      messenger,
      router: this.router,
      playbooks: () => this.playbookList,
      capabilities: (platform) => this.capabilities.get(platform),
      workDir: opts.workDir ?? process.cwd(),
    };
    this.router.onConflict = (route, chats) => this.warnOfConflict(route, chats);
    this.outbox.onBlockChange = (change) => alertBlockChange(this.services, [...this.capabilities.keys()], change);
    this.scheduler = new Scheduler(this.services, this.features);
    this.commands = new Commands(this.features);
    this.directory = new Directory(store);
    this.events = new PlatformEvents(this.services, this.directory, this.features);
    this.insertMessage = store.sqlite.prepare(
      `INSERT OR IGNORE INTO messages (platform, event_id, group_id, member_id, playbook_id, chat_type, text, addressed, sent_at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.recorded = store.sqlite.prepare(`SELECT 1 FROM messages WHERE platform = ? AND event_id = ?`).pluck();
    this.setWorryStmt = store.sqlite.prepare(`UPDATE messages SET worry_label = ?, worry_severity = ? WHERE id = ?`);
    this.memberPlaybook = store.sqlite.prepare(
      `SELECT g.playbook_id AS playbookId FROM group_members gm JOIN groups g ON g.id = gm.group_id
       JOIN members m ON m.id = gm.member_id WHERE m.platform = ? AND m.user_id = ? AND g.playbook_id IS NOT NULL LIMIT 1`,
    );
  }

  get playbooks(): Playbook[] {
    return this.playbookList;
  }

  setPlaybooks(playbooks: Playbook[]): void {
    this.playbookList = playbooks;
    this.router.setPlaybooks(playbooks);
    this.scheduler.setPlaybooks(playbooks);
    for (const f of this.features) f.onPlaybooks?.(playbooks);
  }

  registerAdapter(adapter: Adapter): void {
    this.outbox.registerAdapter(adapter);
    this.capabilities.set(adapter.platform, adapter.capabilities);
    if (adapter.acknowledgesOnReceipt) this.acksOnReceipt.add(adapter.platform);
    if (adapter.resolveGroups) this.router.lookUpChatsOn(adapter.platform);
  }

  /**
   * Handles one inbound message; never throws (a bad message is logged and skipped). Messages
   * arriving together are processed in one transaction (see storeBatch) and the outbox
   * is drained once per batch: commits, not features, dominate the cost of a message.
   *
   * A message of a platform that acknowledges on receipt is written to the spool before this
   * returns (a write, no fsync: it survives the process being killed, like the WAL's commits).
   */
  handleInbound(raw: unknown): Promise<InboundOutcome> {
    return new Promise((resolve) => {
      const platform = (raw as { platform?: unknown } | null)?.platform;
      const spooled = this.spool !== null && this.acksOnReceipt.has(platform as Platform) && this.spool.append([raw], false);
      this.queue.push({ raw, resolve, spooled });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        this.flushing = new Promise((done) => setImmediate(() => void this.flush().finally(done)));
      }
    });
  }

  private holdUntilLookUp(msg: InboundMessage, now: number): void {
    // Held once: a message still unrouted after the look-up it waited for is ignored for good.
    if (this.retrying.has(msg.eventId)) return;
    const held = (this.unrouted.get(msg.platform) ?? []).filter((h) => now - h.at < HOLD_UNROUTED_MS);
    held.push({ msg, at: now });
    // Bounded: a flood from chats that never bind must not grow without end.
    this.unrouted.set(msg.platform, held.slice(-MAX_UNROUTED));
  }

  /**
   * A look-up of the platform's groups has answered: the messages that arrived from chats not
   * bound yet are handled again (now routed; or held again, until they are too old to answer).
   */
  async lookedUp(platform: Platform): Promise<void> {
    const held = this.unrouted.get(platform);
    if (!held?.length) return;
    this.unrouted.delete(platform);
    const now = this.services.clock.now();
    const again = held.filter((h) => now - h.at < HOLD_UNROUTED_MS);
    for (const h of again) this.retrying.add(h.msg.eventId);
    await Promise.all(again.map((h) => this.handleInbound(h.msg)));
    for (const h of again) this.retrying.delete(h.msg.eventId);
  }

  /**
   * Handles what a platform says besides messages (see PlatformEvents); never throws. Messages
   * received before it are stored first: a recall refers to one.
   */
  async handleEvent(raw: unknown): Promise<void> {
    await this.flushing;
    const lookUp = this.events.handle(raw);
    await this.outbox.drain();
    await lookUp;
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      // Older messages wait for the database: try them first once it may work again (else these join them, in order).
      if (this.waiting.length > 0 && Date.now() >= this.retryAt) await this.storeWaiting();
      // From here to the store or the waiting list, no await: the spool is never emptied under a batch.
      const batch = this.queue.splice(0, MAX_BATCH);
      const msgs = batch.map((item) => this.validate(item.raw));
      const outcomes = this.waiting.length > 0 ? this.keep(batch, msgs) : this.tryStore(msgs) ?? this.keep(batch, msgs);
      await this.drainAfter(outcomes);
      batch.forEach((item, i) => item.resolve(outcomes[i]!));
    }
    this.spoolDone();
  }

  /** Sends what a stored batch queued. */
  private async drainAfter(outcomes: InboundOutcome[]): Promise<void> {
    if (!outcomes.includes('handled') && !this.queuedAside) return;
    this.queuedAside = false;
    await this.outbox.drain();
  }

  /** Stores a batch; null when the database could not take it (nothing of it was kept). */
  private tryStore(msgs: (InboundMessage | null)[]): InboundOutcome[] | null {
    try {
      return this.storeBatch(msgs);
    } catch (e) {
      this.batchRolledBack();
      this.retryAt = Date.now() + RETRY_MS;
      const err = (e as Error).message;
      if (isStoreUnavailable(e)) this.services.log.warn({ err, messages: msgs.length }, 'database busy or full: inbound messages spooled, stored on a later tick');
      else this.services.log.error({ err, messages: msgs.length }, 'could not store inbound messages; spooled, retried on a later tick');
      return null;
    }
  }

  /** Keeps messages the database cannot take now: spooled (and on disk before the caller hears back), stored by the next tick or flush after RETRY_MS. */
  private keep(batch: Pending[], msgs: (InboundMessage | null)[]): InboundOutcome[] {
    const toSpool = msgs.filter((m, i): m is InboundMessage => m !== null && !batch[i]!.spooled);
    if (toSpool.length > 0) this.spool?.append(toSpool, true);
    for (const m of msgs) if (m) this.waiting.push(m);
    return msgs.map((m) => (m ? 'queued' : 'invalid'));
  }

  /** Everything spooled is committed: empty the spool. */
  private spoolDone(): void {
    if (this.queue.length === 0 && this.waiting.length === 0) this.spool?.clear();
  }

  /** Takes back what a previous run left in the spool (a crash, a full disk); stored by the next tick. */
  replaySpool(): void {
    if (!this.spool) return;
    const entries = this.spool.read();
    this.spool.open();
    for (const raw of entries) {
      const msg = this.validate(raw);
      if (msg) this.waiting.push(msg);
    }
    if (entries.length > 0) this.services.log.info({ messages: entries.length }, 'inbound messages from the spool are stored again (already stored ones are skipped)');
  }

  /** Stores the messages waiting for the database, oldest first; false when it still cannot take them. */
  private async storeWaiting(): Promise<boolean> {
    while (this.waiting.length > 0) {
      const msgs = this.waiting.slice(0, MAX_BATCH);
      const outcomes = this.tryStore(msgs);
      if (!outcomes) return false;
      this.waiting.splice(0, msgs.length);
      await this.drainAfter(outcomes);
    }
    this.spoolDone();
    return true;
  }

  /** Another process (the CLI erasing a member, say) changed the database: cached rows may be stale. */
  private forgetCacheIfChangedElsewhere(): void {
    const version = this.services.store.sqlite.pragma('data_version', { simple: true }) as number;
    if (version !== this.dataVersion) this.forgetCaches();
    this.dataVersion = version;
  }

  /** Rows cached in memory may no longer be in the database (a rollback, another process). */
  private forgetCaches(): void {
    this.directory.clear();
    this.router.reload();
    for (const f of this.features) f.forgetCaches?.();
  }

  /** What the batch's transaction wrote is gone: so are the rows cached from it and its claims. */
  private batchRolledBack(): void {
    this.forgetCaches();
    this.outbox.rolledBack();
  }

  private validate(raw: unknown): InboundMessage | null {
    const checked = validateInbound(raw);
    if (checked.ok) return checked.msg;
    this.services.log.warn({ problem: checked.problem }, 'malformed inbound message skipped');
    return null;
  }

  /**
   * Records a batch in one transaction, whose commit is also the claim on the first replies to
   * send. Optimistically without a savepoint per message (they cost about as much as a feature):
   * should anything throw, the batch is rolled back and redone with one, so that only the failing
   * message loses its effects.
   */
  private storeBatch(msgs: (InboundMessage | null)[]): InboundOutcome[] {
    const run = (isolated: boolean) =>
      this.services.store.tx(() => {
        // Inside the transaction, which holds the write lock: nothing can change after this look.
        this.forgetCacheIfChangedElsewhere();
        const done = msgs.map((msg): InboundOutcome => (!msg ? 'invalid' : isolated ? this.recordIsolated(msg) : this.record(msg, this.services.clock.now(), true)));
        if (done.includes('handled')) this.outbox.prepare();
        return done;
      });
    try {
      return run(false);
    } catch (e) {
      // The database itself refused: isolating messages would only meet the same refusal.
      if (isStoreUnavailable(e)) throw e;
      this.batchRolledBack();
      return run(true);
    }
  }

  private recordIsolated(msg: InboundMessage): InboundOutcome {
    const { log, clock, store } = this.services;
    try {
      return store.atomic(() => this.record(msg, clock.now(), true));
    } catch (e) {
      if (isStoreUnavailable(e)) throw e;
      // A feature failed: keep the message (and its dedupe key) without the features' effects.
      this.forgetCaches();
      log.error({ err: (e as Error).stack ?? String(e), platform: msg.platform, eventId: msg.eventId }, 'feature failed on a message; recorded it without reaction');
      try {
        return store.atomic(() => this.record(msg, clock.now(), false));
      } catch (e2) {
        if (isStoreUnavailable(e2)) throw e2;
        this.forgetCaches();
        log.error({ err: (e2 as Error).message, eventId: msg.eventId }, 'could not record message');
        return 'invalid';
      }
    }
  }

  private resolve(msg: InboundMessage, now: number): { playbook: Playbook; route: Route | null } | null {
    if (msg.chatType === 'group') {
      const route = this.router.route(msg.platform, msg.groupId!, msg.groupName, msg.sender.id, now);
      return route ? { playbook: route.playbook, route } : null;
    }
    const asStaff = this.playbookList.find((pb) => findStaff(pb, msg.platform, msg.sender.id));
    if (asStaff) return { playbook: asStaff, route: null };
    const row = this.memberPlaybook.get(msg.platform, msg.sender.id) as { playbookId: string } | undefined;
    const known = row && this.playbookList.find((pb) => pb.id === row.playbookId);
    if (known) return { playbook: known, route: null };
    // A stranger's first direct message: unambiguous only when one class uses this platform.
    const onPlatform = this.playbookList.filter((pb) => pb.groups.some((g) => g.platform === msg.platform));
    return onPlatform.length === 1 ? { playbook: onPlatform[0]!, route: null } : null;
  }

  private record(msg: InboundMessage, now: number, runFeatures: boolean): InboundOutcome {
    const resolved = this.resolve(msg, now);
    if (!resolved) {
      this.services.log.debug({ platform: msg.platform, groupId: msg.groupId, groupName: msg.groupName }, 'message outside any playbook ignored');
      if (msg.chatType === 'group' && this.router.looksUpChatsOn(msg.platform)) this.holdUntilLookUp(msg, now);
      return 'ignored';
    }
    const { playbook, route } = resolved;
    // A redelivered event of a member not cached (after a restart, or erased since: their row no
    // longer carries this platform id) is recognised before their row is looked up or created,
    // so an erased member's old event cannot bring them back. One indexed read, once per member.
    if (!this.directory.cached(msg.platform, msg.sender.id) && this.recorded.get(msg.platform, msg.eventId) !== undefined) return 'duplicate';
    const staff = findStaff(playbook, msg.platform, msg.sender.id) ?? null;
    const role: Role = staff ? 'staff' : msg.sender.role === 'student' ? 'student' : 'parent';
    const member = this.directory.member(msg.platform, msg.sender.id, msg.sender.name, now);
    const memberId = member.id;
    const groupRowId = route ? this.directory.group(msg.platform, msg.groupId!, msg.groupName ?? route.group.name, playbook.id, route.group.key, now) : null;
    const inserted = this.insertMessage.run(
      msg.platform, msg.eventId, groupRowId, memberId, playbook.id, msg.chatType, msg.text, msg.addressed ? 1 : 0, msg.timestamp, now,
    );
    if (inserted.changes === 0) return 'duplicate';
    if (groupRowId !== null) this.directory.join(groupRowId, memberId, role, now);
    if (!runFeatures) return 'handled';
    const sender: Sender = { memberId, id: msg.sender.id, name: msg.sender.name, role, staff, firstSeen: member.firstSeen };
    const ctx = new InboundContext(this.services, this.setWorryStmt, msg, playbook, route, groupRowId, sender, Number(inserted.lastInsertRowid), now);
    if (!this.commands.handle(ctx)) {
      for (const f of this.features) if (f.onMessage?.(ctx)) break;
    }
    return 'handled';
  }

  /**
   * Tells the staff, once, that several chats match a group bound by title: in the staff group if
   * it is bound, else each staff member directly (their ids on that platform), else the log only.
   */
  private warnOfConflict(route: Route, chats: ConflictChat[]): void {
    const { playbook, group } = route;
    const list = chats.map((c) => `“${c.title}”（id：${c.chatId}）`).join('、');
    const outcome = this.services.messenger.toStaff(playbook, text(playbook, 'group_conflict', { count: chats.length, group: group.name, platform: group.platform, chats: list }), {
      key: `group-conflict:${playbook.id}:${group.key}:${group.platform}`,
      cause: 'system',
    });
    if (outcome === 'no-target') this.services.log.warn({ playbook: playbook.id, group: group.key, chats }, 'could not tell the staff about a group binding conflict: no staff group or staff id on this platform');
    else this.queuedAside = true;
  }

  /**
   * Stores messages waiting for the database, runs due scheduled jobs and feature checks for the
   * current time, then sends what is due. While the database is busy or full, the rest waits for
   * the next tick: each attempt costs at most one busy timeout of blocking.
   */
  async tick(): Promise<void> {
    const { clock, log } = this.services;
    const now = clock.now();
    if (!(await this.storeWaiting())) return;
    try {
      this.scheduler.tick(now);
    } catch (e) {
      if (isStoreUnavailable(e)) {
        log.warn({ err: (e as Error).message }, 'database busy or full: scheduled jobs run on the next tick');
        return;
      }
      log.error({ err: (e as Error).message }, 'scheduler tick failed');
    }
    for (const playbook of this.playbookList) {
      for (const f of this.features) {
        if (!f.onTick) continue;
        try {
          this.services.store.tx(() => f.onTick!({ services: this.services, playbook, now }));
        } catch (e) {
          this.forgetCaches();
          log.error({ err: (e as Error).message, feature: f.name, playbook: playbook.id }, 'feature tick failed');
          if (isStoreUnavailable(e)) return;
        }
      }
    }
    await this.outbox.drain();
  }
}

/** How long a message from a chat not bound yet waits for a group look-up, and how many wait per platform. */
const HOLD_UNROUTED_MS = 10 * 60_000;
const MAX_UNROUTED = 200;

/** A message's context: a class, so the per-message path allocates one object, not a set of closures. */
class InboundContext implements MessageContext {
  readonly group: GroupConfig | null;
  readonly where: MessageContext['where'];
  /** Replies and alerts are keyed by the message's event: a redelivery can never send them twice. */
  private sends = 0;

  constructor(
    readonly services: Services,
    private readonly setWorryStmt: Statement,
    readonly msg: InboundMessage,
    readonly playbook: Playbook,
    private readonly route: Route | null,
    readonly groupRowId: number | null,
    readonly sender: Sender,
    readonly messageId: number,
    readonly now: number,
  ) {
    this.group = route?.kind === 'class' ? route.group : null;
    this.where = route ? route.kind : 'direct';
  }

  private key(): string {
    return `in:${this.msg.platform}:${this.msg.eventId}:${this.sends++}`;
  }

  reply(text: string, opts: ReplyOptions = {}): SendOutcome {
    const { messenger } = this.services;
    const { msg, route, playbook } = this;
    const o: SendOptions = { cause: 'reply', ...opts, key: opts.key ?? this.key(), ...(msg.replyContext ? { replyContext: msg.replyContext } : {}) };
    return route ? messenger.toGroup(playbook, route.group, text, o) : messenger.toMember(playbook, msg.platform, msg.sender.id, text, o);
  }

  toStaff(text: string, opts: ReplyOptions = {}): SendOutcome {
    return this.services.messenger.toStaff(this.playbook, text, { cause: 'staff', ...opts, key: opts.key ?? this.key() });
  }

  setWorry(label: string, severity: string): void {
    this.setWorryStmt.run(label, severity, this.messageId);
  }
}
