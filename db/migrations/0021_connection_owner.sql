-- One Events API client id, one connection (docs/events-api.md, "One client id, one connection"):
-- a client id with its tenant and environment is one queue at Scalepoint, so two connections
-- holding it — of two companies, or of one — would each take the other's events. The unique
-- scalepoint_connections_client_key makes it one connection in all of Kladde; the per-company
-- (company_id, tenant, environment) key of 0007 stays.
--
-- The client id is compared case-insensitively (lower(client_id)). An OAuth client id is a
-- case-sensitive string by RFC 6749, but Scalepoint does not publish how its authorization
-- server compares them (an IdentityServer store on a case-insensitive collation treats
-- Kladde-X and kladde-x as one client). Refusing two ids that differ only in case costs support
-- a question to Scalepoint; letting them through could hand one company's cases to another. The
-- tenant is lower-case already (scalepoint_connections_tenant_check), the environment a CHECKed
-- word.
--
-- Hand-written: the guard before the index. A database that already holds such a pair would
-- make CREATE UNIQUE INDEX fail with a bare "could not create unique index"; instead the guard
-- stops the migration (its transaction, so nothing of it is applied) and lists every clashing
-- connection. Nothing is merged or deleted here: which connection is the right one only support
-- can tell. Delete or change all but one of each group on /support/scalepoint/<company id>, then
-- run the migrations again.
DO $$
DECLARE
  clashes text;
BEGIN
  SELECT string_agg(
           format('- client_id %s, tenant %s, environment %s: %s',
                  g.client_ids, g.tenant, g.environment, g.connections),
           E'\n' ORDER BY g.client_key, g.tenant, g.environment)
  INTO clashes
  FROM (
    SELECT lower(client_id) AS client_key, tenant, environment,
           string_agg(DISTINCT quote_literal(client_id), ' / ') AS client_ids,
           string_agg(format('connection %s (company %s, client_id %s)', id, company_id, quote_literal(client_id)),
                      ', ' ORDER BY created_at, id) AS connections
    FROM scalepoint_connections
    GROUP BY lower(client_id), tenant, environment
    HAVING count(*) > 1
  ) g;
  IF clashes IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'unique_violation',
      MESSAGE = E'migration 0021: an Events API client id with its tenant and environment is held by more than one connection; each such client id is one queue at Scalepoint, so these connections take each other''s events:\n'
                || clashes
                || E'\nNothing was changed. Delete or change all but one connection of each group (support: /support/scalepoint/<company id>), then run the migrations again. See docs/events-api.md, "One client id, one connection".',
      HINT = 'Delete or change all but one connection of each group listed, then run the migrations again.';
  END IF;
END
$$;--> statement-breakpoint
CREATE UNIQUE INDEX "scalepoint_connections_client_key" ON "scalepoint_connections" USING btree (lower("client_id"),"tenant","environment");
