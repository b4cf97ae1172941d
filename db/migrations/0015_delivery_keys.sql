-- A delivery is the same delivery when its sender and message id match (docs/intake.md,
-- idempotency): the account and webhook-id (direct), the connection and event id (events). Until
-- now the key was the company, the channel and the id, so two connections of one company whose
-- event ids coincided dropped the second event as a duplicate. The columns get names that say what
-- they hold: webhook_id held event ids too (message_id), account_id held connection ids too
-- (connection_id for those).
ALTER TABLE "scalepoint_deliveries" RENAME COLUMN "webhook_id" TO "message_id";--> statement-breakpoint
DROP INDEX "scalepoint_deliveries_company_channel_webhook_key";--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ALTER COLUMN "account_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD COLUMN "connection_id" uuid;--> statement-breakpoint
-- Every events row was written with its connection's id in account_id. A value that is not a uuid
-- (none is known) still gets a stable connection id of its own rather than failing the migration.
UPDATE "scalepoint_deliveries"
SET "connection_id" = CASE
      WHEN "account_id" ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN "account_id"::uuid
      ELSE md5("account_id")::uuid
    END,
    "account_id" = NULL
WHERE "channel" = 'events';--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD CONSTRAINT "scalepoint_deliveries_sender_message_key" UNIQUE NULLS NOT DISTINCT("company_id","channel","account_id","connection_id","message_id");--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD CONSTRAINT "scalepoint_deliveries_sender_check" CHECK ((channel = 'direct' and account_id is not null and connection_id is null) or (channel = 'events' and connection_id is not null and account_id is null));
