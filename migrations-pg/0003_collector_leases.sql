CREATE TABLE "collector_leases" (
	"cluster" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"holder_pid" integer NOT NULL,
	"fence" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"last_tick" bigint
);
