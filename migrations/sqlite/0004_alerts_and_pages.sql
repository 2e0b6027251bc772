CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`fingerprint` text NOT NULL,
	`starts_at` integer NOT NULL,
	`group_key` text NOT NULL,
	`incident_id` integer NOT NULL,
	`status` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_firing` ON `alerts` (`source`,`fingerprint`,`starts_at`);--> statement-breakpoint
CREATE INDEX `alerts_group` ON `alerts` (`source`,`group_key`);--> statement-breakpoint
CREATE INDEX `alerts_incident` ON `alerts` (`incident_id`);--> statement-breakpoint
CREATE TABLE `incident_pages` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`triggered_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
