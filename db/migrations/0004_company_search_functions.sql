-- Text search under row-level security. ILIKE is not LEAKPROOF, so under a policy PostgreSQL may
-- not use it as an index condition, and a search would read every row of the company. These
-- functions run the search as their owner (so the trigram index is used) but are confined to
-- the company the transaction has set (kladde_company_id(): no company, no rows) and return only
-- the columns the lists show.
CREATE FUNCTION kladde_draft_search(pattern text)
RETURNS TABLE (id uuid, heading text, requisition_number text, customer_name text, order_type_name text, created_at timestamptz, source text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT o.id, o.heading, o.requisition_number, o.customer_name, o.order_type_name, o.created_at, o.source
  FROM orders o
  WHERE o.company_id = kladde_company_id() AND o.status = 'draft'
    AND (o.heading || ' ' || coalesce(o.requisition_number, '') || ' ' || o.customer_name) ILIKE pattern
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION kladde_draft_search(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kladde_draft_search(text) TO kladde_app;--> statement-breakpoint
CREATE FUNCTION kladde_customer_search(pattern text)
RETURNS TABLE (id uuid, customer_number text, name text, street text, house_number text, floor text, postal_code text, city text, phone text, mobile text, email text, cvr text, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.id, c.customer_number, c.name, c.street, c.house_number, c.floor, c.postal_code, c.city, c.phone, c.mobile, c.email, c.cvr, c.created_at
  FROM customers c
  WHERE c.company_id = kladde_company_id()
    AND (c.name || ' ' || c.customer_number || ' ' || coalesce(c.phone, '') || ' ' || coalesce(c.street, '') || ' ' || coalesce(c.house_number, '') || ' ' || coalesce(c.postal_code, '') || ' ' || coalesce(c.city, '')) ILIKE pattern
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION kladde_customer_search(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kladde_customer_search(text) TO kladde_app;
