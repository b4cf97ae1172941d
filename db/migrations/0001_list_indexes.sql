CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
DROP INDEX "customers_name_trgm_idx";--> statement-breakpoint
DROP INDEX "customers_search_trgm_idx";--> statement-breakpoint
DROP INDEX "orders_company_status_type_idx";--> statement-breakpoint
DROP INDEX "orders_search_trgm_idx";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "order_type_name" text;--> statement-breakpoint
UPDATE "orders" o SET "order_type_name" = t."name" FROM "order_types" t WHERE t."id" = o."order_type_id";--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "order_type_name" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "customers_search_trgm_idx" ON "customers" USING gin ("company_id",(name || ' ' || customer_number || ' ' || coalesce(phone,'') || ' ' || coalesce(street,'') || ' ' || coalesce(house_number,'') || ' ' || coalesce(postal_code,'') || ' ' || coalesce(city,'')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "orders_company_status_type_idx" ON "orders" USING btree ("company_id","status","order_type_name","id");--> statement-breakpoint
CREATE INDEX "orders_search_trgm_idx" ON "orders" USING gin ("company_id",(heading || ' ' || coalesce(requisition_number,'') || ' ' || customer_name) gin_trgm_ops);