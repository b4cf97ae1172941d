CREATE TABLE "order_number_counters" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "orders_company_status_created_idx";--> statement-breakpoint
DROP INDEX "orders_company_status_heading_idx";--> statement-breakpoint
DROP INDEX "orders_company_status_requisition_idx";--> statement-breakpoint
DROP INDEX "orders_company_status_customer_name_idx";--> statement-breakpoint
DROP INDEX "orders_company_status_type_idx";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "order_number" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "missing_policyholder" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_close_reason" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "approved_by" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "rejected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "rejected_by" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "order_id" uuid GENERATED ALWAYS AS (case when (details->>'orderId') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (details->>'orderId')::uuid end) STORED;--> statement-breakpoint
ALTER TABLE "order_number_counters" ADD CONSTRAINT "order_number_counters_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_rejected_by_users_id_fk" FOREIGN KEY ("rejected_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_company_number_key" ON "orders" USING btree ("company_id","order_number") WHERE order_number is not null;--> statement-breakpoint
CREATE INDEX "orders_draft_created_idx" ON "orders" USING btree ("company_id","created_at","id") WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "orders_draft_heading_idx" ON "orders" USING btree ("company_id","heading","id") WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "orders_draft_requisition_idx" ON "orders" USING btree ("company_id","requisition_number","id") WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "orders_draft_customer_name_idx" ON "orders" USING btree ("company_id","customer_name","id") WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "orders_draft_type_idx" ON "orders" USING btree ("company_id","order_type_name","id") WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "orders_rejected_created_idx" ON "orders" USING btree ("company_id","created_at","id") WHERE status = 'rejected';--> statement-breakpoint
CREATE INDEX "orders_approved_number_idx" ON "orders" USING btree ("company_id","order_number","id") WHERE status in ('new', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_created_idx" ON "orders" USING btree ("company_id","created_at","id") WHERE status in ('new', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_heading_idx" ON "orders" USING btree ("company_id","heading","id") WHERE status in ('new', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_requisition_idx" ON "orders" USING btree ("company_id","requisition_number","id") WHERE status in ('new', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_customer_name_idx" ON "orders" USING btree ("company_id","customer_name","id") WHERE status in ('new', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_type_idx" ON "orders" USING btree ("company_id","order_type_name","id") WHERE status in ('new', 'closed');--> statement-breakpoint
CREATE INDEX "orders_approved_status_idx" ON "orders" USING btree ("company_id","status","id") WHERE status in ('new', 'closed');--> statement-breakpoint
CREATE INDEX "audit_log_company_order_idx" ON "audit_log" USING btree ("company_id","order_id","created_at") WHERE order_id is not null;--> statement-breakpoint
CREATE INDEX "scalepoint_deliveries_company_order_idx" ON "scalepoint_deliveries" USING btree ("company_id","order_id") WHERE order_id is not null;--> statement-breakpoint
-- Order statuses are draft / new / rejected / closed (docs/drafts.md); 'open' was the old word for 'new'.
-- Orders approved before numbering existed get numbers in creation order, and the counter continues after them.
UPDATE orders SET status = 'new' WHERE status = 'open';--> statement-breakpoint
UPDATE orders o SET order_number = n.num
  FROM (SELECT id, row_number() OVER (PARTITION BY company_id ORDER BY created_at, id) AS num
          FROM orders WHERE status IN ('new', 'closed') AND order_number IS NULL) n
 WHERE o.id = n.id;--> statement-breakpoint
INSERT INTO order_number_counters (company_id, last_number)
  SELECT company_id, max(order_number) FROM orders WHERE order_number IS NOT NULL GROUP BY company_id;--> statement-breakpoint
-- An approved order always has its number; a draft never has one.
ALTER TABLE orders ADD CONSTRAINT orders_number_status_check CHECK ((order_number IS NOT NULL) = (status IN ('new', 'closed')));--> statement-breakpoint
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('draft', 'new', 'rejected', 'closed'));--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON order_number_counters TO kladde_app;--> statement-breakpoint
ALTER TABLE order_number_counters ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON order_number_counters TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
-- One search function for the three lists (drafts, rejected drafts, orders); see 0004 for why
-- searches run as SECURITY DEFINER confined to the transaction's company.
DROP FUNCTION kladde_draft_search(text);--> statement-breakpoint
CREATE FUNCTION kladde_order_search(pattern text, statuses text[])
RETURNS TABLE (id uuid, order_number integer, status text, heading text, requisition_number text, customer_name text, order_type_name text,
               created_at timestamptz, source text, missing_policyholder boolean, scalepoint_closed_at timestamptz, scalepoint_close_reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT o.id, o.order_number, o.status, o.heading, o.requisition_number, o.customer_name, o.order_type_name, o.created_at, o.source,
         o.missing_policyholder, o.scalepoint_closed_at, o.scalepoint_close_reason
  FROM orders o
  WHERE o.company_id = kladde_company_id() AND o.status = ANY (statuses)
    AND (o.heading || ' ' || coalesce(o.requisition_number, '') || ' ' || o.customer_name) ILIKE pattern
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION kladde_order_search(text, text[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kladde_order_search(text, text[]) TO kladde_app;
