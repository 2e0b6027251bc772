CREATE TABLE `people` (
	`user_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`tz` text,
	`tz_offset_sec` integer,
	`fetched_at` integer NOT NULL
);
