CREATE TABLE `github_issues` (
	`action_item_id` integer PRIMARY KEY NOT NULL,
	`incident_id` integer NOT NULL,
	`number` integer NOT NULL,
	`url` text NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`action_item_id`) REFERENCES `action_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `github_issues_number` ON `github_issues` (`number`);--> statement-breakpoint
CREATE INDEX `github_issues_incident` ON `github_issues` (`incident_id`);--> statement-breakpoint
CREATE TABLE `statuspage_incidents` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`page_incident_id` text NOT NULL,
	`shortlink` text,
	`status` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `statuspage_publications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`status` text NOT NULL,
	`message` text NOT NULL,
	`by` text NOT NULL,
	`at` integer NOT NULL,
	`published_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `statuspage_publications_incident` ON `statuspage_publications` (`incident_id`,`id`);