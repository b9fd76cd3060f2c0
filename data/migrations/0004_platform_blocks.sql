CREATE TABLE `platform_blocks` (
	`platform` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`detail` text,
	`since` integer NOT NULL,
	`until` integer,
	`probe_at` integer NOT NULL
);
