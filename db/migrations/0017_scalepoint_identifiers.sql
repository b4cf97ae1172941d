-- Scalepoint's identifiers kept with the case (docs/intake.md, "Scalepoint's identifiers"): the
-- columns an outbound message to Scalepoint names the case by, stored on the order by both
-- channels as a case arrives. The orders table's grants (0002: SELECT, INSERT, UPDATE for
-- kladde_app) and its company policy cover the new columns. The connection's foreign key is
-- checked by PostgreSQL as the tables' owner, so kladde_app needs no REFERENCES grant.
ALTER TABLE "orders" ADD COLUMN "scalepoint_case_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_case_external_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_service_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_service_reference" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_tenant" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_connection_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_case_url" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_case_type" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_policy_number" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "scalepoint_insurer_alias" text;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_scalepoint_connection_id_scalepoint_connections_id_fk" FOREIGN KEY ("scalepoint_connection_id") REFERENCES "public"."scalepoint_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Hand-written: the cases already in the database get the identifiers from the delivery that made
-- their draft (status 'created', order_id = the order), read from its stored body. A stored body
-- need not be jsonb: a delivery keeps a JSON text as sent, and `\u0000` or a lone `\ud800` is
-- JSON but not jsonb (rejected claims hold them on purpose). So each body is read by a function
-- that answers null for anything it cannot read, one body at a time (an EXCEPTION block per call),
-- and such a case keeps all its identifiers null: the migration never fails on a body. Only text
-- is taken (a non-negative integer as its digits where the zod schema takes one), trimmed as zod
-- trims, blank or holding a control character as null, at most the zod schema's length
-- (event-content.ts: case.id 100, case.externalId 200, service.id 100, service.referenceNumber
-- 100; claim.ts: caseUrl 2000, caseType 100, policyNumber 100, insurer.alias 100). An event's
-- connection is the delivery's, if it still exists in the company, with its tenant as it is now.
-- Only orders with none of the identifiers are written, so running it again changes nothing.
CREATE OR REPLACE FUNCTION kladde_0017_body(body text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN body::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION kladde_0017_text(v jsonb, max_length integer, as_digits boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  s text;
BEGIN
  IF jsonb_typeof(v) = 'string' THEN
    s := v #>> '{}';
  ELSIF as_digits AND jsonb_typeof(v) = 'number' AND (v #>> '{}') ~ '^[0-9]{1,16}$' THEN
    s := v #>> '{}';
  ELSE
    RETURN NULL;
  END IF;
  -- JavaScript's trim(): its white space and line terminators.
  s := btrim(s, E' \t\n\r\f\u000b\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff');
  IF s = '' OR s ~ '[\x01-\x08\x0b\x0c\x0e-\x1f]' THEN
    RETURN NULL;
  END IF;
  RETURN left(s, max_length);
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;--> statement-breakpoint
WITH made AS (
  SELECT DISTINCT ON (d.order_id)
         d.order_id, d.company_id, d.channel, d.connection_id, kladde_0017_body(d.raw_body) AS body
  FROM scalepoint_deliveries d
  JOIN orders o ON o.id = d.order_id AND o.company_id = d.company_id
  WHERE d.status = 'created' AND o.scalepoint_case_number IS NOT NULL
  ORDER BY d.order_id, d.received_at, d.id
), ids AS (
  SELECT m.order_id, m.company_id,
         CASE WHEN m.channel = 'events' THEN kladde_0017_text(m.body #> '{attributes,case,id}', 100, true) END AS case_id,
         CASE WHEN m.channel = 'events' THEN kladde_0017_text(m.body #> '{attributes,case,externalId}', 200, true) END AS case_external_id,
         CASE WHEN m.channel = 'events' THEN kladde_0017_text(m.body #> '{attributes,service,id}', 100, true) END AS service_id,
         CASE WHEN m.channel = 'events' THEN kladde_0017_text(m.body #> '{attributes,service,referenceNumber}', 100, true) END AS service_reference,
         c.tenant,
         c.id AS connection_id,
         CASE WHEN m.channel = 'direct' THEN kladde_0017_text(m.body -> 'caseUrl', 2000, false) END AS case_url,
         CASE WHEN m.channel = 'direct' THEN kladde_0017_text(m.body -> 'caseType', 100, false) END AS case_type,
         CASE WHEN m.channel = 'direct' THEN kladde_0017_text(m.body -> 'policyNumber', 100, true) END AS policy_number,
         CASE WHEN m.channel = 'direct' THEN kladde_0017_text(m.body #> '{insurer,alias}', 100, false) END AS insurer_alias
  FROM made m
  LEFT JOIN scalepoint_connections c
    ON m.channel = 'events' AND c.id = m.connection_id AND c.company_id = m.company_id
  WHERE jsonb_typeof(m.body) = 'object'
)
UPDATE "orders" o
SET "scalepoint_case_id" = ids.case_id,
    "scalepoint_case_external_id" = ids.case_external_id,
    "scalepoint_service_id" = ids.service_id,
    "scalepoint_service_reference" = ids.service_reference,
    "scalepoint_tenant" = ids.tenant,
    "scalepoint_connection_id" = ids.connection_id,
    "scalepoint_case_url" = ids.case_url,
    "scalepoint_case_type" = ids.case_type,
    "scalepoint_policy_number" = ids.policy_number,
    "scalepoint_insurer_alias" = ids.insurer_alias
FROM ids
WHERE o.id = ids.order_id AND o.company_id = ids.company_id
  AND o.scalepoint_case_id IS NULL AND o.scalepoint_case_external_id IS NULL
  AND o.scalepoint_service_id IS NULL AND o.scalepoint_service_reference IS NULL
  AND o.scalepoint_tenant IS NULL AND o.scalepoint_connection_id IS NULL
  AND o.scalepoint_case_url IS NULL AND o.scalepoint_case_type IS NULL
  AND o.scalepoint_policy_number IS NULL AND o.scalepoint_insurer_alias IS NULL;--> statement-breakpoint
DROP FUNCTION IF EXISTS kladde_0017_text(jsonb, integer, boolean);--> statement-breakpoint
DROP FUNCTION IF EXISTS kladde_0017_body(text);
