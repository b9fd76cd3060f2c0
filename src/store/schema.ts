/**
 * The whole database schema (drizzle). Migrations in data/migrations are generated from this file
 * with `npm run db:generate` and applied on start. Times are epoch milliseconds; local calendar
 * days are 'YYYY-MM-DD' strings in the playbook's timezone. The columns that can hold a member's
 * name, platform id or texts are listed in src/privacy/member-data.ts: a new one belongs there too
 * (export and erasure).
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, real, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Chats the bot has seen or been configured with; DingTalk and WeChat ids are learned here. */
export const groups = sqliteTable(
  'groups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    chatId: text('chat_id').notNull(),
    name: text('name'),
    playbookId: text('playbook_id'),
    /** The playbook's key for this group ('class' groups and the 'staff' group). */
    groupKey: text('group_key'),
    firstSeenAt: integer('first_seen_at').notNull(),
  },
  (t) => [
    uniqueIndex('groups_platform_chat').on(t.platform, t.chatId),
    // A playbook group's members are found from here (check-ins, reports): without it, every lookup scans group_members.
    index('groups_playbook_key').on(t.playbookId, t.groupKey),
  ],
);

/**
 * Chats that met the title-binding rules of one playbook group more than once (look-alikes or
 * duplicates): none of them is bound to it until the playbook gives the group's id.
 */
export const groupConflicts = sqliteTable(
  'group_conflicts',
  {
    platform: text('platform').notNull(),
    playbookId: text('playbook_id').notNull(),
    groupKey: text('group_key').notNull(),
    chatId: text('chat_id').notNull(),
    title: text('title').notNull(),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [uniqueIndex('group_conflicts_chat').on(t.platform, t.playbookId, t.groupKey, t.chatId)],
);

export const members = sqliteTable(
  'members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
  },
  (t) => [uniqueIndex('members_platform_user').on(t.platform, t.userId)],
);

export const groupMembers = sqliteTable(
  'group_members',
  {
    groupId: integer('group_id').notNull(),
    memberId: integer('member_id').notNull(),
    role: text('role').notNull(),
    joinedAt: integer('joined_at').notNull(),
    /** Set when the platform says they left (null while a member); a rejoin clears it. */
    leftAt: integer('left_at'),
  },
  (t) => [uniqueIndex('group_members_pk').on(t.groupId, t.memberId)],
);

/**
 * Every inbound message. The unique (platform, event_id) index is also the redelivery dedupe:
 * one insert both records and deduplicates, so a redelivered event costs one failed insert.
 */
export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    eventId: text('event_id').notNull(),
    groupId: integer('group_id'),
    memberId: integer('member_id').notNull(),
    playbookId: text('playbook_id'),
    chatType: text('chat_type').notNull(),
    /** Null once the playbook's retention period has passed; the row stays for reports. */
    text: text('text'),
    addressed: integer('addressed', { mode: 'boolean' }).notNull(),
    sentAt: integer('sent_at').notNull(),
    receivedAt: integer('received_at').notNull(),
    worryLabel: text('worry_label'),
    worrySeverity: text('worry_severity'),
    /** When the sender recalled it (the platform told us); the text stays for the follow-up it may have opened. */
    recalledAt: integer('recalled_at'),
  },
  (t) => [
    uniqueIndex('messages_platform_event').on(t.platform, t.eventId),
    index('messages_group_time').on(t.groupId, t.sentAt),
    index('messages_member_time').on(t.memberId, t.sentAt),
    index('messages_time').on(t.sentAt),
  ],
);

/** Claims of scheduled fires: the unique key makes a fire happen at most once, across restarts and bots. */
export const scheduleFires = sqliteTable(
  'schedule_fires',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playbookId: text('playbook_id').notNull(),
    jobId: text('job_id').notNull(),
    groupKey: text('group_key').notNull(),
    scheduledAt: integer('scheduled_at').notNull(),
    /** sent | held | dropped | no_target | missed | skipped | failed (see FireStatus in src/engine/scheduler.ts) */
    status: text('status').notNull(),
    claimedAt: integer('claimed_at').notNull(),
    detail: text('detail'),
  },
  (t) => [
    uniqueIndex('schedule_fires_claim').on(t.playbookId, t.jobId, t.groupKey, t.scheduledAt),
    index('schedule_fires_time').on(t.scheduledAt),
  ],
);

/** Messages to send, written in the same transaction as the decision that caused them. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Idempotency key: the same decision can never enqueue twice. */
    key: text('key').notNull(),
    platform: text('platform').notNull(),
    targetKind: text('target_kind').notNull(),
    targetId: text('target_id').notNull(),
    /** JSON of the OutboundMessage fields beyond platform and target. */
    payload: text('payload').notNull(),
    /** pending | sent | failed (dead letter) */
    status: text('status').notNull(),
    cause: text('cause').notNull(),
    playbookId: text('playbook_id'),
    urgent: integer('urgent', { mode: 'boolean' }).notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    notBefore: integer('not_before').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    lastError: text('last_error'),
    platformIds: text('platform_ids'),
  },
  (t) => [
    uniqueIndex('outbox_key').on(t.key),
    // Only rows still to send or to look at: a sent row leaves the index, which stays small and
    // cached however long the history (the OR form lets SQLite match `status = 'pending'` to it).
    index('outbox_open')
      .on(t.status, t.notBefore)
      .where(sql`${t.status} = 'pending' OR ${t.status} = 'sending' OR ${t.status} = 'failed'`),
    index('outbox_created').on(t.createdAt),
  ],
);

/**
 * A platform that refuses every send for a while (DingTalk's monthly call quota): its messages
 * wait, without spending attempts, until a probe send goes through. In the database so that the
 * CLI shows it and several bots share it.
 */
export const platformBlocks = sqliteTable('platform_blocks', {
  platform: text('platform').primaryKey(),
  /** A short code from the adapter (dingtalk-quota), and the platform's own words. */
  reason: text('reason').notNull(),
  detail: text('detail'),
  since: integer('since').notNull(),
  /** When the platform said it would lift, if it said. */
  until: integer('until'),
  /** When the next probe send may go. */
  probeAt: integer('probe_at').notNull(),
});

/** Small persisted settings of the bot itself (e.g. the scheduler's last tick). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Worried or unanswered parents, tracked until a human closes the loop. Categories are the worry
 * labels plus 'question' (a question to the bot that no FAQ entry answered).
 */
export const followups = sqliteTable(
  'followups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playbookId: text('playbook_id').notNull(),
    platform: text('platform').notNull(),
    /** groups.id of the class group; null when it came from a direct chat. */
    groupId: integer('group_id'),
    /** members.id of the parent. */
    memberId: integer('member_id').notNull(),
    /** messages.id of the message that opened it (null when staff opened it without one). */
    messageId: integer('message_id'),
    /** The parent's message, or the staff member's description. */
    message: text('message'),
    /** academic | wellbeing | complaint | refund | safety | question */
    category: text('category').notNull(),
    /** none | low | medium | high | urgent */
    severity: text('severity').notNull(),
    /** detector | question | staff */
    source: text('source').notNull(),
    /** open | claimed | resolved | dismissed */
    status: text('status').notNull(),
    /** Staff name (as in the playbook) who owns it. */
    assignee: text('assignee'),
    /** Detector score and reasons, kept for tuning (dismissed = false alarm). */
    score: real('score'),
    reasons: text('reasons'),
    openedAt: integer('opened_at').notNull(),
    claimedAt: integer('claimed_at'),
    firstResponseAt: integer('first_response_at'),
    /** When it was resolved or dismissed. */
    resolvedAt: integer('resolved_at'),
    respondBy: integer('respond_by').notNull(),
    resolveBy: integer('resolve_by').notNull(),
    /** 0 = the assigned assistant only; n = the n-th person of the escalation chain has been alerted. */
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** When the next re-alert is due while unclaimed; null when none is. */
    escalateAt: integer('escalate_at'),
    ratingAskedAt: integer('rating_asked_at'),
    /** 1–5, from the parent after resolution. */
    rating: integer('rating'),
    ratedAt: integer('rated_at'),
  },
  (t) => [
    index('followups_playbook_status').on(t.playbookId, t.status),
    index('followups_member').on(t.memberId, t.status),
    index('followups_escalate').on(t.status, t.escalateAt),
    index('followups_opened').on(t.openedAt),
  ],
);

/** Audit trail of follow-ups: one row per state change (who, when, what). */
export const followupEvents = sqliteTable(
  'followup_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    followupId: integer('followup_id').notNull(),
    at: integer('at').notNull(),
    /** Staff name, the parent's name, or 'system'. */
    actor: text('actor').notNull(),
    /** opened | message | alerted | escalated | claimed | noted | responded | resolved | dismissed | reassigned | rating_asked | rated */
    action: text('action').notNull(),
    /** Status after the change. */
    status: text('status').notNull(),
    detail: text('detail'),
  },
  (t) => [
    index('followup_events_followup').on(t.followupId, t.at),
    // Reports find the follow-ups that changed in a week by the time of their events.
    index('followup_events_time').on(t.at),
  ],
);

/**
 * Check-ins of the check-in games: one row per (playbook, game, group, member, local day), so a
 * member counts once a day however often the message comes. Excused days hold the slot too.
 */
export const checkins = sqliteTable(
  'checkins',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playbookId: text('playbook_id').notNull(),
    /** The game's id in the playbook's `checkin:` list. */
    gameId: text('game_id').notNull(),
    /** The playbook's key of the class group. */
    groupKey: text('group_key').notNull(),
    memberId: integer('member_id').notNull(),
    /** Local date 'YYYY-MM-DD' in the playbook's timezone. */
    day: text('day').notNull(),
    /** normal | makeup (补卡) | excused (staff-granted, neither counts nor breaks a streak) | corrected (by staff) */
    kind: text('kind').notNull(),
    /** The number the game asks for (e.g. minutes practised), when it asks for one. */
    amount: real('amount'),
    /** messages.id of the check-in or of the command that made the row. */
    messageId: integer('message_id'),
    /** members.id of the staff member who granted or corrected it. */
    byMemberId: integer('by_member_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('checkins_once_a_day').on(t.playbookId, t.gameId, t.groupKey, t.memberId, t.day),
    index('checkins_group_day').on(t.playbookId, t.groupKey, t.day),
  ],
);

/** Badges (streak thresholds) and challenge levels (cumulative check-ins) reached, each once per member and game. */
export const checkinAwards = sqliteTable(
  'checkin_awards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playbookId: text('playbook_id').notNull(),
    gameId: text('game_id').notNull(),
    groupKey: text('group_key').notNull(),
    memberId: integer('member_id').notNull(),
    /** badge | level */
    kind: text('kind').notNull(),
    /** The badge's or level's name as the playbook had it then. */
    name: text('name').notNull(),
    /** Streak days (badge) or cumulative check-ins (level). */
    threshold: integer('threshold').notNull(),
    /** Local date on which it was reached. */
    day: text('day').notNull(),
    awardedAt: integer('awarded_at').notNull(),
  },
  (t) => [
    uniqueIndex('checkin_awards_once').on(t.playbookId, t.gameId, t.groupKey, t.memberId, t.kind, t.threshold),
    index('checkin_awards_day').on(t.playbookId, t.groupKey, t.day),
  ],
);

/**
 * Leave (请假): asked for by a parent or granted by staff. Its days are excused in every check-in
 * game of the groups it covers (rows in `checkins` of kind excused); this row is what was asked,
 * for /请假记录 and the member's export.
 */
export const leaveRequests = sqliteTable(
  'leave_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playbookId: text('playbook_id').notNull(),
    memberId: integer('member_id').notNull(),
    /** The class group it covers; null for every group of the member in the playbook (asked in a direct chat). */
    groupKey: text('group_key'),
    /** Local dates 'YYYY-MM-DD', comma-separated, sorted; first and last for range queries. */
    days: text('days').notNull(),
    firstDay: text('first_day').notNull(),
    lastDay: text('last_day').notNull(),
    /** In the parent's words (personal: erased by forget and retention). */
    reason: text('reason'),
    /** parent | staff */
    source: text('source').notNull(),
    /** members.id of the staff member who granted it. */
    byMemberId: integer('by_member_id'),
    /** messages.id of the request or command. */
    messageId: integer('message_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('leave_requests_days').on(t.playbookId, t.lastDay), index('leave_requests_member').on(t.memberId)],
);

/** A member's own choices (one row per member, created when they first change one). */
export const memberSettings = sqliteTable('member_settings', {
  memberId: integer('member_id').primaryKey(),
  /** Set by `/不参与排行`: never shown on leaderboards. */
  leaderboardOptOut: integer('leaderboard_opt_out', { mode: 'boolean' }).notNull().default(false),
  updatedAt: integer('updated_at').notNull(),
});

/** Audit of privacy actions: exports, erasures and retention purges. */
export const privacyLog = sqliteTable(
  'privacy_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    /** export | forget | retention */
    action: text('action').notNull(),
    memberId: integer('member_id'),
    playbookId: text('playbook_id'),
    /** Who did it (a staff name, or the OS user on the CLI). */
    actor: text('actor').notNull(),
    detail: text('detail'),
  },
  (t) => [index('privacy_log_at').on(t.at)],
);
