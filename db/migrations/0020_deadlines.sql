-- Frister (docs/deadlines.md): each case's clocks on its order row — the contact, visit and work
-- deadlines and when each clock stopped — and the generated deadline_at (Frist: the earliest open
-- one), sorted both ways with the empty cells last and filtered (Forsinkede) on partial indexes
-- of each list; the company's hours, the re-date generations and the morning mail's day on its
-- Scalepoint settings. Cases from before this migration keep null clocks: no deadlines.
ALTER TABLE "orders" ADD COLUMN "contact_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "inspection_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "work_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "contact_stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "inspection_stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "work_stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "deadline_at" timestamp with time zone GENERATED ALWAYS AS (case when status in ('draft', 'new', 'in_progress') and scalepoint_closed_at is null then least(case when contact_stopped_at is null then contact_due_at end, case when inspection_stopped_at is null then inspection_due_at end, case when work_stopped_at is null then work_due_at end) end) STORED;--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD COLUMN "contact_hours" smallint DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD COLUMN "inspection_hours" smallint DEFAULT 72 NOT NULL;--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD COLUMN "deadlines_generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD COLUMN "deadlines_applied" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD COLUMN "late_mail_on" date;--> statement-breakpoint
CREATE INDEX "orders_draft_deadline_idx" ON "orders" USING btree ("company_id","deadline_at","id") WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "orders_draft_deadline_desc_idx" ON "orders" USING btree ("company_id","deadline_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "orders_approved_deadline_idx" ON "orders" USING btree ("company_id","deadline_at","id") WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_deadline_desc_idx" ON "orders" USING btree ("company_id","deadline_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD CONSTRAINT "scalepoint_settings_contact_hours_check" CHECK ("scalepoint_settings"."contact_hours" between 1 and 168);--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD CONSTRAINT "scalepoint_settings_inspection_hours_check" CHECK ("scalepoint_settings"."inspection_hours" between 1 and 720);;--> statement-breakpoint
-- Hand-written: the search function (0018) also answers deadline_at, so a search sorted by Frist
-- orders as the list does, and takes late_before: with a time, only the cases whose Frist lies
-- before it (Forsinkede). Its signature changes, so it is dropped and created again, with its grants.
DROP FUNCTION kladde_order_search(text, text[], integer);--> statement-breakpoint
CREATE FUNCTION kladde_order_search(pattern text, statuses text[], order_no integer, late_before timestamptz)
RETURNS TABLE (id uuid, order_number integer, status text, heading text, requisition_number text, customer_name text, order_type_name text,
               created_at timestamptz, source text, missing_policyholder boolean, scalepoint_closed_at timestamptz, scalepoint_close_reason text,
               status_rank smallint, deadline_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.id, o.order_number, o.status, o.heading, o.requisition_number, o.customer_name, o.order_type_name, o.created_at, o.source,
         o.missing_policyholder, o.scalepoint_closed_at, o.scalepoint_close_reason, o.status_rank, o.deadline_at
  FROM orders o
  WHERE o.company_id = kladde_company_id() AND o.status = ANY (statuses)
    AND (late_before IS NULL OR o.deadline_at < late_before)
    AND ((o.heading || ' ' || coalesce(o.requisition_number, '') || ' ' || o.customer_name) ILIKE pattern
         -- A search for a number also finds the order with that Ordrenr. (orders_company_number_key).
         OR o.order_number = order_no)
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION kladde_order_search(text, text[], integer, timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kladde_order_search(text, text[], integer, timestamptz) TO kladde_app;
