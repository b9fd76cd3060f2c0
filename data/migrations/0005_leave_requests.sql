CREATE TABLE `leave_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`playbook_id` text NOT NULL,
	`member_id` integer NOT NULL,
	`group_key` text,
	`days` text NOT NULL,
	`first_day` text NOT NULL,
	`last_day` text NOT NULL,
	`reason` text,
	`source` text NOT NULL,
	`by_member_id` integer,
	`message_id` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `leave_requests_days` ON `leave_requests` (`playbook_id`,`last_day`);--> statement-breakpoint
CREATE INDEX `leave_requests_member` ON `leave_requests` (`member_id`);