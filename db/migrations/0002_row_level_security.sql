-- Row-level security: a second wall behind the query layer. The app does its company work in
-- transactions that switch to the role kladde_app and set app.company_id (both transaction-local,
-- so a pooled connection never carries them into the next transaction). kladde_app owns nothing,
-- so the policies below apply to it; without a company set it sees no company rows at all.
-- The few cross-company paths (sign-in, the intake's account look-up, support's page, migrations,
-- seed) run as the connecting role, explicitly.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kladde_app') THEN
    CREATE ROLE kladde_app NOLOGIN NOINHERIT;
  END IF;
  -- The migrating role must be able to SET ROLE kladde_app.
  IF NOT pg_has_role(current_user, 'kladde_app', 'MEMBER') THEN
    EXECUTE format('GRANT kladde_app TO %I', current_user);
  END IF;
END $$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO kladde_app;--> statement-breakpoint
GRANT SELECT, UPDATE ON companies TO kladde_app;--> statement-breakpoint
GRANT SELECT (id, email, name, role, company_id, created_at) ON users TO kladde_app;--> statement-breakpoint
GRANT SELECT ON order_types TO kladde_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON customers, orders, order_notes, scalepoint_settings, scalepoint_mails, scalepoint_deliveries TO kladde_app;--> statement-breakpoint
GRANT SELECT, INSERT ON audit_log TO kladde_app;--> statement-breakpoint
GRANT SELECT (company_id, account_id, secret_last4, stored_at, stored_by) ON scalepoint_credentials TO kladde_app;--> statement-breakpoint
CREATE FUNCTION kladde_company_id() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.company_id', true), '')::uuid $$;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kladde_company_id() TO kladde_app;--> statement-breakpoint
ALTER TABLE companies ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON companies TO kladde_app USING (id = kladde_company_id()) WITH CHECK (id = kladde_company_id());--> statement-breakpoint
ALTER TABLE order_types ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON order_types TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON customers TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON orders TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
ALTER TABLE order_notes ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON order_notes TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
ALTER TABLE scalepoint_settings ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON scalepoint_settings TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
ALTER TABLE scalepoint_credentials ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON scalepoint_credentials TO kladde_app USING (company_id = kladde_company_id());--> statement-breakpoint
ALTER TABLE scalepoint_mails ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON scalepoint_mails TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
ALTER TABLE scalepoint_deliveries ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON scalepoint_deliveries TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON audit_log TO kladde_app USING (company_id = kladde_company_id()) WITH CHECK (company_id = kladde_company_id());
