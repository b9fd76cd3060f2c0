import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { AdapterCapabilities, InboundMessage, Platform, Role } from '../model.js';
import type { Playbook } from '../playbook/playbook.js';
import type { GroupConfig, StaffConfig } from '../playbook/schema.js';
import type { CronSpec } from '../playbook/cron.js';
import type { Store } from '../store/db.js';
import type { Messenger, SendOptions, SendOutcome } from './messenger.js';
import type { Router } from './router.js';

/** What every feature may use; one instance per running bot. */
export interface Services {
  store: Store;
  clock: Clock;
  log: Logger;
  messenger: Messenger;
  router: Router;
  /** All loaded playbooks (current good versions). */
  playbooks(): Playbook[];
  /** What the adapter registered for `platform` can do; undefined when none is (a CLI run). */
  capabilities(platform: Platform): AdapterCapabilities | undefined;
  /** Where relative paths the bot writes to (report files) resolve: the directory the bot runs in. */
  workDir: string;
}

export interface Sender {
  /** members.id */
  memberId: number;
  /** Platform user id. */
  id: string;
  name: string;
  role: Role;
  staff: StaffConfig | null;
  /** This is their first message in the store: they have no history to read yet. */
  firstSeen: boolean;
}

export type ReplyOptions = Partial<Omit<SendOptions, 'key'>> & { key?: string };

/** One inbound message, routed to one playbook, inside the transaction that records it. */
export interface MessageContext {
  services: Services;
  msg: InboundMessage;
  playbook: Playbook;
  /** The class group it came from; null in the staff group or a direct chat. */
  group: GroupConfig | null;
  /** groups.id of the chat, null for direct chats. */
  groupRowId: number | null;
  where: 'class' | 'staff' | 'direct';
  sender: Sender;
  /** messages.id of this message. */
  messageId: number;
  now: number;
  /** Answer where the message came from (the group, or the direct chat). */
  reply(text: string, opts?: ReplyOptions): SendOutcome;
  /** Alert the playbook's staff (staff group, else direct messages to staff). */
  toStaff(text: string, opts?: ReplyOptions): SendOutcome;
  /** Records the worry detector's verdict on the message row (for reports). */
  setWorry(label: string, severity: string): void;
}

export interface CommandSpec {
  /** Typed as `/name args`; the first name is the one shown in /帮助. */
  names: string[];
  /** Whole messages that also invoke the command without a slash (e.g. 我的打卡). */
  phrases?: string[];
  staffOnly?: boolean;
  summary: string;
  usage?: string;
  run(ctx: MessageContext, args: string[]): void;
}

/** A scheduled fire of a job for one group, claimed once before `run` is called. */
export interface FireContext {
  services: Services;
  playbook: Playbook;
  group: GroupConfig;
  jobId: string;
  scheduledAt: number;
  /** The local date (YYYY-MM-DD, playbook timezone) the fire belongs to. */
  date: string;
  now: number;
  /** Prefix for idempotency keys of messages this fire sends. */
  key: string;
  /**
   * Posts to the fire's group, keyed under this fire; quiet hours apply unless `quiet: false`.
   * The scheduler records the outcome on the fire (held, dropped, group not yet known…).
   */
  post(text: string, opts?: Partial<Omit<SendOptions, 'key'>>): SendOutcome;
}

export interface ScheduledJob {
  /** Unique within the playbook, e.g. 'reminder:homework'. */
  id: string;
  cron: CronSpec;
  /** Group keys to fire for (one claim each); 'staff' names the staff group. */
  groups: string[];
  /** Term dates: no fire outside [from, to] (local dates). */
  from?: string;
  to?: string;
  /** Whether calendar skip days apply (default true). */
  calendar?: boolean;
  /** A fire missed while the bot was down is still sent within this window. */
  graceMs?: number;
  run(ctx: FireContext): void;
}

export interface TickContext {
  services: Services;
  playbook: Playbook;
  now: number;
}

/** A message the bot recorded was recalled by its sender. */
export interface RecallContext {
  services: Services;
  playbook: Playbook;
  /** messages.id of the recalled message. */
  messageId: number;
  now: number;
}

/**
 * A feature decides what to do about a message or a moment; the engine records, claims and sends.
 * Hooks run synchronously inside the engine's transaction, so decisions and their messages commit together.
 */
export interface Feature {
  name: string;
  commands?: CommandSpec[];
  /** Return true to consume the message (later features do not see it). */
  onMessage?(ctx: MessageContext): boolean | void;
  /** Jobs declared from a playbook, run by the scheduler. */
  jobs?(playbook: Playbook): ScheduledJob[];
  /** The playbooks were loaded or reloaded: prepare what their messages will need. */
  onPlaybooks?(playbooks: Playbook[]): void;
  /** A message it may have acted on was recalled (inside the event's transaction). */
  onRecalled?(ctx: RecallContext): void;
  /** Runs on every engine tick (deadline checks and the like). */
  onTick?(ctx: TickContext): void;
  /**
   * Drops whatever the feature caches from the database: called when a message's writes were
   * rolled back and when another process (the CLI) changed the database.
   */
  forgetCaches?(): void;
}
