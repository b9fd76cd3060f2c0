import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { MemberRef, OutboundAction, OutboundAttachment, OutboundMessage, Platform } from '../model.js';
import type { Playbook } from '../playbook/playbook.js';
import type { GroupConfig } from '../playbook/schema.js';
import type { Outbox, SentCard } from './outbox.js';
import { quietHoursDecision } from './quiet-hours.js';
import type { Router } from './router.js';

export interface SendOptions {
  /** Idempotency key: the same key is only ever queued once. */
  key: string;
  /** What caused the message (reminder, checkin, followup…), kept for reports and the outbox list. */
  cause: string;
  mentions?: MemberRef[];
  mentionAll?: boolean;
  /** Also reach these people beyond the chat, where the platform has urgent delivery. */
  urgentTo?: MemberRef[];
  format?: 'text' | 'markdown';
  actions?: OutboundAction[];
  /** A local file sent after the text; give it only where the platform's adapter declares `files`. */
  attachment?: OutboundAttachment;
  replyTo?: string;
  replyContext?: Record<string, string | number>;
  /** Urgent messages skip quiet hours and jump the queue. */
  urgent?: boolean;
  /** Proactive posts to families respect the playbook's quiet hours; replies and staff alerts do not. */
  quiet?: boolean;
  /** When the message is due (defaults to now). */
  at?: number;
}

export type SendOutcome = 'queued' | 'duplicate' | 'held' | 'dropped' | 'no-target';

/** Turns "say this to that group / person" into outbox rows, applying quiet hours. */
export class Messenger {
  constructor(
    private readonly outbox: Outbox,
    private readonly router: Router,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  toGroup(pb: Playbook, group: GroupConfig, text: string, opts: SendOptions): SendOutcome {
    const chatId = this.router.chatIdOf(pb, group);
    if (!chatId) {
      this.log.warn({ playbook: pb.id, group: group.key }, 'group chat id not known yet (send a message in the group first); message not sent');
      return 'no-target';
    }
    return this.enqueue(pb, group.platform, { kind: 'group', groupId: chatId }, text, opts);
  }

  toMember(pb: Playbook, platform: Platform, userId: string, text: string, opts: SendOptions): SendOutcome {
    return this.enqueue(pb, platform, { kind: 'direct', memberId: userId }, text, opts);
  }

  /**
   * To the playbook's staff group, or when it has none (or its chat is not known yet: an alert
   * must not wait for someone to speak there), to each staff member directly.
   */
  toStaff(pb: Playbook, text: string, opts: SendOptions): SendOutcome {
    if (pb.staffGroup && this.router.chatIdOf(pb, pb.staffGroup)) return this.toGroup(pb, pb.staffGroup, text, opts);
    const platform = pb.staffGroup?.platform ?? pb.groups[0]!.platform;
    let outcome: SendOutcome = 'no-target';
    pb.staff.forEach((s, i) => {
      const id = s.ids[platform];
      if (id) outcome = this.toMember(pb, platform, id, text, { ...opts, key: `${opts.key}:dm${i}` });
    });
    return outcome;
  }

  /**
   * To staff on any platform but `blocked` (which refuses sends): the staff group when it is
   * elsewhere, else each staff member on the first of `platforms` where they have an id.
   */
  toStaffAvoiding(pb: Playbook, blocked: Platform, platforms: Platform[], text: string, opts: SendOptions): SendOutcome {
    if (pb.staffGroup && pb.staffGroup.platform !== blocked && this.router.chatIdOf(pb, pb.staffGroup)) return this.toGroup(pb, pb.staffGroup, text, opts);
    let outcome: SendOutcome = 'no-target';
    pb.staff.forEach((s, i) => {
      const platform = platforms.find((p) => p !== blocked && s.ids[p]);
      if (platform) outcome = this.toMember(pb, platform, s.ids[platform]!, text, { ...opts, key: `${opts.key}:dm${i}` });
    });
    return outcome;
  }

  /** The bot's cards (messages with buttons) whose keys start with `prefix`, for `updateCard`. */
  cardsSent(prefix: string): SentCard[] {
    return this.outbox.cards(prefix);
  }

  /** Replaces the card queued under `cardKey` in place, where it went (adapters with `updatesMessages`). */
  updateCard(cardKey: string, text: string, opts: Pick<SendOptions, 'key' | 'cause' | 'actions'>): boolean {
    return this.outbox.enqueueUpdate(cardKey, text, opts.actions ?? [], opts.key, opts.cause);
  }

  private enqueue(
    pb: Playbook,
    platform: Platform,
    target: { kind: 'group'; groupId: string } | { kind: 'direct'; memberId: string },
    text: string,
    opts: SendOptions,
  ): SendOutcome {
    const due = opts.at ?? this.clock.now();
    const decision = opts.quiet ? quietHoursDecision(pb, due, opts.urgent ?? false) : ({ action: 'send', at: due } as const);
    if (decision.action === 'drop') return 'dropped';
    const notBefore = decision.action === 'hold' ? decision.until : decision.at;
    // Only the options given: the payload is stored as JSON with every message.
    const msg: OutboundMessage = { platform, target, text, idempotencyKey: opts.key };
    if (opts.mentions?.length) msg.mentions = opts.mentions;
    if (opts.mentionAll) msg.mentionAll = true;
    if (opts.urgentTo?.length) msg.urgentTo = opts.urgentTo;
    if (opts.format) msg.format = opts.format;
    if (opts.actions?.length) msg.actions = opts.actions;
    if (opts.attachment) msg.attachment = opts.attachment;
    if (opts.replyTo) msg.replyTo = opts.replyTo;
    if (opts.replyContext) msg.replyContext = opts.replyContext;
    const queued = this.outbox.enqueue(msg, { cause: opts.cause, playbookId: pb.id, urgent: opts.urgent ?? false, notBefore });
    if (!queued) return 'duplicate';
    return decision.action === 'hold' ? 'held' : 'queued';
  }
}
