ALTER TABLE "scalepoint_mails" ADD COLUMN "kind" text DEFAULT 'access_request' NOT NULL;--> statement-breakpoint
-- Hand-written: an event's effect runs confined to its company (role kladde_app), and its cursor
-- move must commit in that same transaction (docs/events-api.md, "Exactly once"): the app role may
-- read the lease holder and move the cursor of its own company's connections, nothing more.
GRANT SELECT (lease_owner), UPDATE (cursor) ON scalepoint_connections TO kladde_app;
--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" DROP CONSTRAINT "scalepoint_deliveries_status_check";--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD CONSTRAINT "scalepoint_deliveries_status_check" CHECK ("status" in ('created', 'duplicate', 'updated', 'rejected', 'failed', 'ignored'));
