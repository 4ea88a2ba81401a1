PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_state_checkpoints` (
	`source` text NOT NULL,
	`snapshot_id` integer NOT NULL,
	`facts` integer NOT NULL,
	`state` blob NOT NULL,
	`summary` blob,
	PRIMARY KEY(`source`, `snapshot_id`),
	FOREIGN KEY (`snapshot_id`) REFERENCES `snapshots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_state_checkpoints`("source", "snapshot_id", "facts", "state", "summary") SELECT "source", "snapshot_id", "facts", "state", "summary" FROM `state_checkpoints`;--> statement-breakpoint
DROP TABLE `state_checkpoints`;--> statement-breakpoint
ALTER TABLE `__new_state_checkpoints` RENAME TO `state_checkpoints`;--> statement-breakpoint
PRAGMA foreign_keys=ON;