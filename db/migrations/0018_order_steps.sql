-- After Godkend: the job (docs/drafts.md, "After Godkend: the job"). A new status in_progress
-- (I gang) between new (Ny) and closed (Afsluttet); a generated status_rank (Ny 1, I gang 2,
-- Afsluttet 3, else 0) so Ordrer sorts by Status in the job's order on an index; every partial
-- index of the approved orders now covers in_progress; and order_steps, one row per recorded step
-- of a case (Godkend, Afvis, Gendan, each milestone, Genåbn), which the next issue's outbox to
-- Scalepoint will reference by id.
CREATE TABLE "order_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"note" text,
	"reason" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_steps_kind_check" CHECK ("order_steps"."kind" in ('approved', 'rejected', 'restored', 'customer_contacted', 'inspection_scheduled', 'work_started', 'work_completed', 'reopened')),
	CONSTRAINT "order_steps_note_check" CHECK (char_length("order_steps"."note") <= 1000)
);
--> statement-breakpoint
DROP INDEX "orders_approved_number_idx";--> statement-breakpoint
DROP INDEX "orders_approved_created_idx";--> statement-breakpoint
DROP INDEX "orders_approved_heading_idx";--> statement-breakpoint
DROP INDEX "orders_approved_requisition_idx";--> statement-breakpoint
DROP INDEX "orders_approved_customer_name_idx";--> statement-breakpoint
DROP INDEX "orders_approved_type_idx";--> statement-breakpoint
DROP INDEX "orders_approved_status_idx";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "status_rank" smallint GENERATED ALWAYS AS (case status when 'new' then 1 when 'in_progress' then 2 when 'closed' then 3 else 0 end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "order_steps" ADD CONSTRAINT "order_steps_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_steps" ADD CONSTRAINT "order_steps_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_steps" ADD CONSTRAINT "order_steps_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_steps_order_idx" ON "order_steps" USING btree ("company_id","order_id","recorded_at");--> statement-breakpoint
CREATE INDEX "orders_approved_rank_idx" ON "orders" USING btree ("company_id","status_rank","id") WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_number_idx" ON "orders" USING btree ("company_id","order_number","id") WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_created_idx" ON "orders" USING btree ("company_id","created_at","id") WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_heading_idx" ON "orders" USING btree ("company_id","heading","id") WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_requisition_idx" ON "orders" USING btree ("company_id","requisition_number","id") WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_customer_name_idx" ON "orders" USING btree ("company_id","customer_name","id") WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_type_idx" ON "orders" USING btree ("company_id","order_type_name","id") WHERE status in ('new', 'in_progress', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_status_idx" ON "orders" USING btree ("company_id","status","id") WHERE status in ('new', 'in_progress', 'closed');;--> statement-breakpoint
-- Hand-written: the status CHECKs (0008) with the new status. An order number exists exactly
-- when the order is approved: Ny, I gang or Afsluttet.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;--> statement-breakpoint
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('draft', 'new', 'in_progress', 'rejected', 'closed'));--> statement-breakpoint
ALTER TABLE orders DROP CONSTRAINT orders_number_status_check;--> statement-breakpoint
ALTER TABLE orders ADD CONSTRAINT orders_number_status_check CHECK ((order_number IS NOT NULL) = (status IN ('new', 'in_progress', 'closed')));--> statement-breakpoint
-- The search function (0008) also answers status_rank, so a search sorted by Status orders as
-- the list does. Its result type changes, so it is dropped and created again, with its grants.
DROP FUNCTION kladde_order_search(text, text[], integer);--> statement-breakpoint
CREATE FUNCTION kladde_order_search(pattern text, statuses text[], order_no integer)
RETURNS TABLE (id uuid, order_number integer, status text, heading text, requisition_number text, customer_name text, order_type_name text,
               created_at timestamptz, source text, missing_policyholder boolean, scalepoint_closed_at timestamptz, scalepoint_close_reason text,
               status_rank smallint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.id, o.order_number, o.status, o.heading, o.requisition_number, o.customer_name, o.order_type_name, o.created_at, o.source,
         o.missing_policyholder, o.scalepoint_closed_at, o.scalepoint_close_reason, o.status_rank
  FROM orders o
  WHERE o.company_id = kladde_company_id() AND o.status = ANY (statuses)
    AND ((o.heading || ' ' || coalesce(o.requisition_number, '') || ' ' || o.customer_name) ILIKE pattern
         -- A search for a number also finds the order with that Ordrenr. (orders_company_number_key).
         OR o.order_number = order_no)
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION kladde_order_search(text, text[], integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kladde_order_search(text, text[], integer) TO kladde_app;--> statement-breakpoint
-- order_steps is a company table (docs/tenancy.md): row-level security with the company policy;
-- kladde_app reads and adds steps, never changes or deletes one.
GRANT SELECT, INSERT ON order_steps TO kladde_app;--> statement-breakpoint
ALTER TABLE order_steps ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON order_steps TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
-- The steps already taken, from the audit log: order.approve → approved, order.reject → rejected
-- (its details.reason when that is text), order.restore → restored; at and recorded_at are the
-- audit row's time, recorded_by its user. Only a row whose order_id (generated from
-- details.orderId, null unless it is a uuid: 0008) names an order of the row's own company is
-- taken, so an odd row (details not an object, a reason that is not text, an orderId that is no
-- uuid, another company's or a deleted order) is skipped or gets no reason; nothing here can fail
-- on a details value. Each step takes its audit row's id, so running it again adds nothing.
INSERT INTO order_steps (id, company_id, order_id, kind, at, reason, recorded_by, recorded_at)
SELECT a.id, a.company_id, a.order_id,
       CASE a.action WHEN 'order.approve' THEN 'approved' WHEN 'order.reject' THEN 'rejected' ELSE 'restored' END,
       a.created_at,
       CASE WHEN a.action = 'order.reject' AND jsonb_typeof(a.details) = 'object'
                 AND jsonb_typeof(a.details -> 'reason') = 'string'
            THEN nullif(a.details ->> 'reason', '') END,
       a.actor_user_id,
       a.created_at
FROM audit_log a
JOIN orders o ON o.id = a.order_id AND o.company_id = a.company_id
WHERE a.action IN ('order.approve', 'order.reject', 'order.restore')
ON CONFLICT (id) DO NOTHING;