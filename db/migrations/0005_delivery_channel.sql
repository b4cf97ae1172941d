DROP INDEX "scalepoint_deliveries_company_webhook_key";--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD COLUMN "channel" text DEFAULT 'direct' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "scalepoint_deliveries_company_channel_webhook_key" ON "scalepoint_deliveries" USING btree ("company_id","channel","webhook_id");--> statement-breakpoint
-- Hand-written: the channel and status words the code knows (docs/intake.md). The table's RLS policy and grants (0002) cover the new column.
ALTER TABLE "scalepoint_deliveries" ADD CONSTRAINT "scalepoint_deliveries_channel_check" CHECK ("channel" in ('direct', 'events'));--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD CONSTRAINT "scalepoint_deliveries_status_check" CHECK ("status" in ('created', 'duplicate', 'rejected', 'failed', 'ignored'));
