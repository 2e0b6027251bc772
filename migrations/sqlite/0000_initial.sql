CREATE TABLE `action_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`text` text NOT NULL,
	`owner` text,
	`due_date` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `action_items_seq` ON `action_items` (`incident_id`,`seq`);--> statement-breakpoint
CREATE TABLE `handled_requests` (
	`key` text PRIMARY KEY NOT NULL,
	`response` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `handled_requests_created` ON `handled_requests` (`created_at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`services` text DEFAULT '[]' NOT NULL,
	`channel_id` text,
	`channel_name` text,
	`summary_ts` text,
	`declared_by` text NOT NULL,
	`declared_at` integer NOT NULL,
	`identified_at` integer,
	`mitigating_at` integer,
	`monitoring_at` integer,
	`resolved_at` integer,
	`closed_at` integer,
	`resolution` text,
	`last_update_at` integer,
	`next_update_due_at` integer,
	`missed_updates` integer DEFAULT 0 NOT NULL,
	`postmortem_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_channel_id` ON `incidents` (`channel_id`);--> statement-breakpoint
CREATE INDEX `incidents_status` ON `incidents` (`status`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`lane` text,
	`incident_id` integer,
	`effect` text NOT NULL,
	`coalesce_key` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`done_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`next_attempt_at`,`id`) WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_lane_open` ON `outbox` (`lane`,`id`) WHERE state IN ('pending', 'inflight');--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_coalesce_pending` ON `outbox` (`coalesce_key`) WHERE state = 'pending';--> statement-breakpoint
CREATE TABLE `reminders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`kind` text NOT NULL,
	`action_item_id` integer DEFAULT 0 NOT NULL,
	`due_at` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`fired_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reminders_due` ON `reminders` (`due_at`) WHERE state = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_pending_one` ON `reminders` (`incident_id`,`kind`,`action_item_id`) WHERE state = 'pending';--> statement-breakpoint
CREATE TABLE `role_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`role` text NOT NULL,
	`user_id` text NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `role_assignments_incident` ON `role_assignments` (`incident_id`,`role`);--> statement-breakpoint
CREATE UNIQUE INDEX `role_assignments_current` ON `role_assignments` (`incident_id`,`role`) WHERE ended_at IS NULL;--> statement-breakpoint
CREATE TABLE `severity_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`at` integer NOT NULL,
	`from_severity` text NOT NULL,
	`to_severity` text NOT NULL,
	`by` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `severity_changes_incident` ON `severity_changes` (`incident_id`);--> statement-breakpoint
CREATE TABLE `status_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`at` integer NOT NULL,
	`author` text NOT NULL,
	`status` text NOT NULL,
	`severity` text NOT NULL,
	`text` text NOT NULL,
	`next_due_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `status_updates_incident` ON `status_updates` (`incident_id`,`at`);--> statement-breakpoint
CREATE TABLE `timeline_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`actor` text,
	`text` text NOT NULL,
	`source_ts` text,
	`permalink` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `timeline_incident_at` ON `timeline_entries` (`incident_id`,`at`);--> statement-breakpoint
CREATE UNIQUE INDEX `timeline_source` ON `timeline_entries` (`incident_id`,`source_ts`) WHERE source_ts IS NOT NULL;