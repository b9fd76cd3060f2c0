ALTER TABLE `group_members` ADD `left_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `recalled_at` integer;