-- Row-level security by default (docs/tenancy.md). The app's connections now start as
-- kladde_app; the owner is reached only through the named system door (SET LOCAL ROLE NONE).
-- users: kladde_app sees only the users of the transaction's company, and (0002) never the
-- password_hash column.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY company_isolation ON users TO kladde_app USING (company_id = kladde_company_id());--> statement-breakpoint
-- SECURITY DEFINER functions run as their owner: a search_path without pg_temp last would let a
-- caller's temporary objects shadow the tables they name.
ALTER FUNCTION kladde_draft_search(text) SET search_path = public, pg_temp;--> statement-breakpoint
ALTER FUNCTION kladde_customer_search(text) SET search_path = public, pg_temp;
