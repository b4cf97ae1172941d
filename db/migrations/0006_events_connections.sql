CREATE TABLE "scalepoint_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"tenant" text NOT NULL,
	"environment" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"private_key_enc" text NOT NULL,
	"previous_certificate_pem" text,
	"previous_private_key_enc" text,
	"previous_valid_until" timestamp with time zone,
	"cursor" text,
	"last_success_at" timestamp with time zone,
	"last_error_code" text,
	"last_error_at" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"alerted_at" timestamp with time zone,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "scalepoint_connections" ADD CONSTRAINT "scalepoint_connections_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_connections" ADD CONSTRAINT "scalepoint_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scalepoint_connections" ADD CONSTRAINT "scalepoint_connections_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scalepoint_connections_company_tenant_env_key" ON "scalepoint_connections" USING btree ("company_id","tenant","environment");--> statement-breakpoint
CREATE INDEX "scalepoint_connections_changed_idx" ON "scalepoint_connections" USING btree ("changed_at");--> statement-breakpoint
CREATE INDEX "companies_name_idx" ON "companies" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "companies_search_trgm_idx" ON "companies" USING gin ((name || ' ' || cvr) gin_trgm_ops);--> statement-breakpoint
-- Hand-written: the database's own checks on what the form validates (docs/events-api.md).
ALTER TABLE "scalepoint_connections" ADD CONSTRAINT "scalepoint_connections_environment_check" CHECK (environment IN ('sandbox', 'production'));--> statement-breakpoint
ALTER TABLE "scalepoint_connections" ADD CONSTRAINT "scalepoint_connections_tenant_check" CHECK (tenant ~ '^[a-z0-9-]{1,63}$');--> statement-breakpoint
-- Company pages may read a connection's state, never its keys: support and the poller go
-- through the system door.
GRANT SELECT (id, company_id, client_id, tenant, environment, certificate_pem, previous_valid_until, cursor, last_success_at, last_error_code, last_error_at, failing_since, version, changed_at, created_at, updated_at) ON scalepoint_connections TO kladde_app;--> statement-breakpoint
ALTER TABLE scalepoint_connections ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON scalepoint_connections TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());
