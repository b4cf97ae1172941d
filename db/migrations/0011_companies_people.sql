CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"company_id" uuid,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"created_by" uuid,
	"mail_status" text DEFAULT 'sending' NOT NULL,
	"mail_error" text,
	"mail_provider_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "order_types_company_name_key";--> statement-breakpoint
DROP INDEX "users_email_key";--> statement-breakpoint
-- E-mails are kept trimmed and lower-cased from now on; the new unique index is on lower(email).
UPDATE users SET email = lower(btrim(email));--> statement-breakpoint
DROP INDEX "users_company_idx";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "street" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "house_number" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "floor" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "postal_code" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "city" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "order_types" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "order_types" ADD COLUMN "name_sync_pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "order_types" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sessions_valid_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_live_user_key" ON "invitations" USING btree ("user_id") WHERE used_at is null and voided_at is null;--> statement-breakpoint
CREATE INDEX "invitations_company_idx" ON "invitations" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "order_types_company_name_lower_key" ON "order_types" USING btree ("company_id",lower("name"));--> statement-breakpoint
CREATE INDEX "order_types_name_sync_idx" ON "order_types" USING btree ("id") WHERE name_sync_pending;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "orders_type_idx" ON "orders" USING btree ("company_id","order_type_id","id");--> statement-breakpoint
CREATE INDEX "users_company_idx" ON "users" USING btree ("company_id","name");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_active_password_check" CHECK ("users"."status" <> 'active' or "users"."password_hash" is not null);--> statement-breakpoint
-- kladde_app (docs/tenancy.md): admins invite, re-role and deactivate their company's people and keep
-- order types and company details, all inside their company's transaction. Never password_hash.
GRANT SELECT (status, sessions_valid_after) ON users TO kladde_app;--> statement-breakpoint
GRANT INSERT (email, name, role, company_id, status) ON users TO kladde_app;--> statement-breakpoint
GRANT UPDATE (name, role, status, sessions_valid_after) ON users TO kladde_app;--> statement-breakpoint
GRANT INSERT (company_id, name), UPDATE (name, active, name_sync_pending) ON order_types TO kladde_app;--> statement-breakpoint
-- A company's CVR and its deactivation are support's (asSystem); the company itself may change the rest.
REVOKE UPDATE ON companies FROM kladde_app;--> statement-breakpoint
GRANT UPDATE (name, street, house_number, floor, postal_code, city, phone, email, last_customer_number) ON companies TO kladde_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON invitations TO kladde_app;--> statement-breakpoint
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON invitations TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());
