ALTER TABLE `outbox` ADD `target` text DEFAULT 'slack' NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_target_pending` ON `outbox` (`target`,`next_attempt_at`,`id`) WHERE state = 'pending';