-- The background room's leases (docs/architecture.md, "Background work"): one row per piece of
-- background work and the instance that does it now. The Events API receiver's lease moves here
-- from the connection row; an instance renews all of its leases with one statement per period.
-- Exactly-once for events rests on the cursor's compare-and-set, not on the lease.
CREATE TABLE "background_leases" (
	"job" text NOT NULL,
	"key" text NOT NULL,
	"owner" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "background_leases_job_key_pk" PRIMARY KEY("job","key")
);
--> statement-breakpoint
REVOKE ALL ON background_leases FROM kladde_app;--> statement-breakpoint
ALTER TABLE "scalepoint_connections" DROP COLUMN "lease_owner";--> statement-breakpoint
ALTER TABLE "scalepoint_connections" DROP COLUMN "lease_expires_at";
