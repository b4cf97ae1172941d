CREATE TABLE "scalepoint_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"step_id" uuid NOT NULL,
	"connection_id" uuid,
	"correlation_id" uuid NOT NULL,
	"case_number" text NOT NULL,
	"property" text NOT NULL,
	"body" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"last_status" integer,
	"attempts" integer DEFAULT 0 NOT NULL,
	"first_attempt_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retry_until" timestamp with time zone,
	"held_since" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scalepoint_outbox_status_check" CHECK ("scalepoint_outbox"."status" in ('pending', 'sent', 'failed', 'not_sent'))
);
--> statement-breakpoint
ALTER TABLE "scalepoint_outbox" ADD CONSTRAINT "scalepoint_outbox_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_outbox" ADD CONSTRAINT "scalepoint_outbox_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_outbox" ADD CONSTRAINT "scalepoint_outbox_step_id_order_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."order_steps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_outbox" ADD CONSTRAINT "scalepoint_outbox_connection_id_scalepoint_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."scalepoint_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scalepoint_outbox_step_key" ON "scalepoint_outbox" USING btree ("step_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scalepoint_outbox_correlation_key" ON "scalepoint_outbox" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "scalepoint_outbox_pick_idx" ON "scalepoint_outbox" USING btree ("connection_id","status","next_attempt_at","created_at");--> statement-breakpoint
CREATE INDEX "scalepoint_outbox_case_idx" ON "scalepoint_outbox" USING btree ("company_id","case_number","created_at");--> statement-breakpoint
CREATE INDEX "scalepoint_outbox_company_created_idx" ON "scalepoint_outbox" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "scalepoint_outbox_order_idx" ON "scalepoint_outbox" USING btree ("company_id","order_id","created_at");--> statement-breakpoint
-- scalepoint_outbox is a company table (docs/tenancy.md): row-level security with the company
-- policy. kladde_app adds a step's row and reads them; it updates one only for Send igen
-- (lib/scalepoint/outbound/retry.ts) and the module's hold (settings/save.ts); the sender
-- works through the system door. It never deletes one.
GRANT SELECT, INSERT, UPDATE ON scalepoint_outbox TO kladde_app;--> statement-breakpoint
ALTER TABLE scalepoint_outbox ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON scalepoint_outbox TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());
