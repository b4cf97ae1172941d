CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "companies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"cvr" text NOT NULL,
	"last_customer_number" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"company_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_company_check" CHECK (("users"."role" = 'support') = ("users"."company_id" is null))
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"customer_number" text NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"street" text,
	"house_number" text,
	"floor" text,
	"postal_code" text,
	"city" text,
	"phone" text,
	"mobile" text,
	"email" text,
	"cvr" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text,
	"role" text,
	"street" text,
	"house_number" text,
	"floor" text,
	"postal_code" text,
	"city" text,
	"phone" text,
	"mobile" text,
	"email" text,
	"text" text
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"order_type_id" uuid NOT NULL,
	"heading" text NOT NULL,
	"requisition_number" text,
	"work_description" text,
	"customer_id" uuid NOT NULL,
	"customer_name" text NOT NULL,
	"installation_street" text,
	"installation_house_number" text,
	"installation_floor" text,
	"installation_postal_code" text,
	"installation_city" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"scalepoint_case_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid,
	"actor_user_id" uuid,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scalepoint_credentials" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"secret_enc" text NOT NULL,
	"secret_last4" text NOT NULL,
	"previous_secret_enc" text,
	"previous_valid_until" timestamp with time zone,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stored_by" uuid
);
--> statement-breakpoint
CREATE TABLE "scalepoint_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"webhook_id" text NOT NULL,
	"account_id" text NOT NULL,
	"case_number" text,
	"status" text NOT NULL,
	"reason" text,
	"issues" jsonb,
	"warnings" jsonb,
	"raw_body" text NOT NULL,
	"headers" jsonb NOT NULL,
	"order_id" uuid,
	"customer_id" uuid,
	"attempts" integer DEFAULT 1 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scalepoint_mails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"to_address" text NOT NULL,
	"cc_address" text,
	"reply_to" text,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"provider_id" text,
	"error" text,
	"idempotency_key" text NOT NULL,
	"sent_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scalepoint_settings" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"order_type_id" uuid,
	"customer_mode" text DEFAULT 'policyholder' NOT NULL,
	"phone_as_customer_number" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "order_types" ADD CONSTRAINT "order_types_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_notes" ADD CONSTRAINT "order_notes_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_notes" ADD CONSTRAINT "order_notes_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_order_type_id_order_types_id_fk" FOREIGN KEY ("order_type_id") REFERENCES "public"."order_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_credentials" ADD CONSTRAINT "scalepoint_credentials_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_credentials" ADD CONSTRAINT "scalepoint_credentials_stored_by_users_id_fk" FOREIGN KEY ("stored_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD CONSTRAINT "scalepoint_deliveries_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD CONSTRAINT "scalepoint_deliveries_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_deliveries" ADD CONSTRAINT "scalepoint_deliveries_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_mails" ADD CONSTRAINT "scalepoint_mails_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_mails" ADD CONSTRAINT "scalepoint_mails_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD CONSTRAINT "scalepoint_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD CONSTRAINT "scalepoint_settings_order_type_id_order_types_id_fk" FOREIGN KEY ("order_type_id") REFERENCES "public"."order_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_settings" ADD CONSTRAINT "scalepoint_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "companies_cvr_key" ON "companies" USING btree ("cvr");--> statement-breakpoint
CREATE UNIQUE INDEX "order_types_company_name_key" ON "order_types" USING btree ("company_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_company_idx" ON "users" USING btree ("company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_company_number_key" ON "customers" USING btree ("company_id","customer_number");--> statement-breakpoint
CREATE INDEX "customers_company_number_sort_idx" ON "customers" USING btree ("company_id",length("customer_number"),"customer_number");--> statement-breakpoint
CREATE INDEX "customers_company_name_key_idx" ON "customers" USING btree ("company_id","name_key");--> statement-breakpoint
CREATE INDEX "customers_company_name_idx" ON "customers" USING btree ("company_id","name","id");--> statement-breakpoint
CREATE INDEX "customers_company_created_idx" ON "customers" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "customers_name_trgm_idx" ON "customers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_search_trgm_idx" ON "customers" USING gin ((coalesce(customer_number,'') || ' ' || coalesce(phone,'') || ' ' || coalesce(street,'') || ' ' || coalesce(city,'')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "order_notes_order_idx" ON "order_notes" USING btree ("company_id","order_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_company_case_key" ON "orders" USING btree ("company_id","scalepoint_case_number") WHERE scalepoint_case_number is not null;--> statement-breakpoint
CREATE INDEX "orders_company_status_created_idx" ON "orders" USING btree ("company_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_company_status_heading_idx" ON "orders" USING btree ("company_id","status","heading","id");--> statement-breakpoint
CREATE INDEX "orders_company_status_requisition_idx" ON "orders" USING btree ("company_id","status","requisition_number","id");--> statement-breakpoint
CREATE INDEX "orders_company_status_customer_name_idx" ON "orders" USING btree ("company_id","status","customer_name","id");--> statement-breakpoint
CREATE INDEX "orders_company_status_type_idx" ON "orders" USING btree ("company_id","status","order_type_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("company_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_search_trgm_idx" ON "orders" USING gin ((heading || ' ' || coalesce(requisition_number,'') || ' ' || customer_name) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_log_company_idx" ON "audit_log" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "scalepoint_credentials_account_key" ON "scalepoint_credentials" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scalepoint_deliveries_company_webhook_key" ON "scalepoint_deliveries" USING btree ("company_id","webhook_id");--> statement-breakpoint
CREATE INDEX "scalepoint_deliveries_company_received_idx" ON "scalepoint_deliveries" USING btree ("company_id","received_at");--> statement-breakpoint
CREATE INDEX "scalepoint_deliveries_company_status_idx" ON "scalepoint_deliveries" USING btree ("company_id","status","received_at");--> statement-breakpoint
CREATE INDEX "scalepoint_mails_company_idx" ON "scalepoint_mails" USING btree ("company_id","created_at");