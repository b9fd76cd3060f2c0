CREATE TABLE `group_conflicts` (
	`platform` text NOT NULL,
	`playbook_id` text NOT NULL,
	`group_key` text NOT NULL,
	`chat_id` text NOT NULL,
	`title` text NOT NULL,
	`seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_conflicts_chat` ON `group_conflicts` (`platform`,`playbook_id`,`group_key`,`chat_id`);--> statement-breakpoint
-- DingTalk session webhooks are bearer URLs: the adapter now keeps them in memory only.
UPDATE `outbox` SET `payload` = json_remove(`payload`, '$.replyContext.sessionWebhook', '$.replyContext.sessionWebhookExpiredTime')
  WHERE json_extract(`payload`, '$.replyContext.sessionWebhook') IS NOT NULL;--> statement-breakpoint
-- A staff group learned from a chat's title alone may be a look-alike: it is bound again when a staff member speaks there.
UPDATE `groups` SET `playbook_id` = NULL, `group_key` = NULL WHERE `group_key` = 'staff';
