CREATE TABLE `checkin_awards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`playbook_id` text NOT NULL,
	`game_id` text NOT NULL,
	`group_key` text NOT NULL,
	`member_id` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`threshold` integer NOT NULL,
	`day` text NOT NULL,
	`awarded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkin_awards_once` ON `checkin_awards` (`playbook_id`,`game_id`,`group_key`,`member_id`,`kind`,`threshold`);--> statement-breakpoint
CREATE INDEX `checkin_awards_day` ON `checkin_awards` (`playbook_id`,`group_key`,`day`);--> statement-breakpoint
CREATE TABLE `checkins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`playbook_id` text NOT NULL,
	`game_id` text NOT NULL,
	`group_key` text NOT NULL,
	`member_id` integer NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`amount` real,
	`message_id` integer,
	`by_member_id` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkins_once_a_day` ON `checkins` (`playbook_id`,`game_id`,`group_key`,`member_id`,`day`);--> statement-breakpoint
CREATE INDEX `checkins_group_day` ON `checkins` (`playbook_id`,`group_key`,`day`);--> statement-breakpoint
CREATE TABLE `followup_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`followup_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `followup_events_followup` ON `followup_events` (`followup_id`,`at`);--> statement-breakpoint
CREATE INDEX `followup_events_time` ON `followup_events` (`at`);--> statement-breakpoint
CREATE TABLE `followups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`playbook_id` text NOT NULL,
	`platform` text NOT NULL,
	`group_id` integer,
	`member_id` integer NOT NULL,
	`message_id` integer,
	`message` text,
	`category` text NOT NULL,
	`severity` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`assignee` text,
	`score` real,
	`reasons` text,
	`opened_at` integer NOT NULL,
	`claimed_at` integer,
	`first_response_at` integer,
	`resolved_at` integer,
	`respond_by` integer NOT NULL,
	`resolve_by` integer NOT NULL,
	`escalation_level` integer DEFAULT 0 NOT NULL,
	`escalate_at` integer,
	`rating_asked_at` integer,
	`rating` integer,
	`rated_at` integer
);
--> statement-breakpoint
CREATE INDEX `followups_playbook_status` ON `followups` (`playbook_id`,`status`);--> statement-breakpoint
CREATE INDEX `followups_member` ON `followups` (`member_id`,`status`);--> statement-breakpoint
CREATE INDEX `followups_escalate` ON `followups` (`status`,`escalate_at`);--> statement-breakpoint
CREATE INDEX `followups_opened` ON `followups` (`opened_at`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`role` text NOT NULL,
	`joined_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_members_pk` ON `group_members` (`group_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`chat_id` text NOT NULL,
	`name` text,
	`playbook_id` text,
	`group_key` text,
	`first_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_platform_chat` ON `groups` (`platform`,`chat_id`);--> statement-breakpoint
CREATE INDEX `groups_playbook_key` ON `groups` (`playbook_id`,`group_key`);--> statement-breakpoint
CREATE TABLE `member_settings` (
	`member_id` integer PRIMARY KEY NOT NULL,
	`leaderboard_opt_out` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`first_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_platform_user` ON `members` (`platform`,`user_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`event_id` text NOT NULL,
	`group_id` integer,
	`member_id` integer NOT NULL,
	`playbook_id` text,
	`chat_type` text NOT NULL,
	`text` text,
	`addressed` integer NOT NULL,
	`sent_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`worry_label` text,
	`worry_severity` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_platform_event` ON `messages` (`platform`,`event_id`);--> statement-breakpoint
CREATE INDEX `messages_group_time` ON `messages` (`group_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `messages_member_time` ON `messages` (`member_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `messages_time` ON `messages` (`sent_at`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`platform` text NOT NULL,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`cause` text NOT NULL,
	`playbook_id` text,
	`urgent` integer DEFAULT false NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`last_error` text,
	`platform_ids` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`not_before`);--> statement-breakpoint
CREATE INDEX `outbox_created` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE TABLE `privacy_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`member_id` integer,
	`playbook_id` text,
	`actor` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `privacy_log_at` ON `privacy_log` (`at`);--> statement-breakpoint
CREATE TABLE `schedule_fires` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`playbook_id` text NOT NULL,
	`job_id` text NOT NULL,
	`group_key` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`status` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schedule_fires_claim` ON `schedule_fires` (`playbook_id`,`job_id`,`group_key`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `schedule_fires_time` ON `schedule_fires` (`scheduled_at`);