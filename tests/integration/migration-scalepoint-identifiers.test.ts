import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleClaimWith } from '@/lib/scalepoint/contract/example-claim';
import { migrationEngines, migrationFiles, statementsOf, type Engine } from '../support/migrations';

/**
 * Migration 0017 on a database that holds cases from before it (docs/intake.md, "Scalepoint's
 * identifiers"): each order's identifiers come from the delivery that made its draft, read from
 * the stored body in a guarded way. A body that is not jsonb (`\u0000`, a lone `\ud800`, not
 * JSON at all) leaves them null and the migration does not fail; a rejected delivery is never
 * read. On the embedded database and, when it answers, on the local PostgreSQL server.
 */
const company = '7a1c2b1e-0000-4000-8000-000000000001';
const otherCompany = '7a1c2b1e-0000-4000-8000-000000000002';
const connection = '7a1c2b1e-0000-4000-8000-0000000000c1';
const goneConnection = '7a1c2b1e-0000-4000-8000-0000000000c9';
const otherConnection = '7a1c2b1e-0000-4000-8000-0000000000c2';

/** An event as the intake stores it (`JSON.stringify(event)`, apply-event.ts `eventDelivery`). */
const eventBody = (caseNumber: string, attributes: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `evt-${caseNumber}`,
    type: 'repair_service_requested',
    attributes: {
      eventType: 'repair_service_requested',
      case: {
        id: `case-${caseNumber}`,
        number: caseNumber,
        externalId: `ext-${caseNumber}`,
        policy: { insuranceCompany: { alias: 'tryg', subcompanyName: 'Tryg Forsikring A/S' } },
      },
      service: { referenceNumber: `${caseNumber}-1`, id: `svc-${caseNumber}` },
      ...attributes,
    },
  });

type Planted = {
  caseNumber: string;
  channel: 'direct' | 'events';
  status?: string;
  connectionId?: string;
  rawBody: string;
  companyId?: string;
};

const claim = exampleClaimWith('SP-M-1');
const planted: Planted[] = [
  { caseNumber: 'SP-M-1', channel: 'direct', rawBody: JSON.stringify(claim) },
  // Spaces around the values, a policy number as a JSON number: read as the zod schema reads them.
  {
    caseNumber: 'SP-M-2',
    channel: 'direct',
    rawBody: JSON.stringify({
      ...exampleClaimWith('SP-M-2'),
      caseType: '  contentsClaim ',
      policyNumber: 4417,
      caseUrl: { not: 'text' },
      insurer: { name: 'Tryg Forsikring A/S', alias: '' },
    }),
  },
  {
    caseNumber: 'EV-M-1',
    channel: 'events',
    connectionId: connection,
    rawBody: eventBody('EV-M-1'),
  },
  // Too long for the schema's limit (case.externalId 200), and values that are not text.
  {
    caseNumber: 'EV-M-2',
    channel: 'events',
    connectionId: connection,
    rawBody: eventBody('EV-M-2', {
      case: { id: { nested: true }, number: 'EV-M-2', externalId: 'x'.repeat(250) },
      service: { referenceNumber: 'EV-M-2-1', id: 90210 },
    }),
  },
  // The connection was deleted since: the identifiers, but no connection and no tenant.
  {
    caseNumber: 'EV-M-3',
    channel: 'events',
    connectionId: goneConnection,
    rawBody: eventBody('EV-M-3'),
  },
  // Another company's connection id is not this order's connection.
  {
    caseNumber: 'EV-M-4',
    channel: 'events',
    connectionId: otherConnection,
    rawBody: eventBody('EV-M-4'),
  },
  // Hostile bodies: JSON text that is not jsonb, and text that is not JSON.
  {
    caseNumber: 'SP-M-NUL',
    channel: 'direct',
    rawBody: JSON.stringify({ ...exampleClaimWith('SP-M-NUL'), note: '\u0000' }),
  },
  {
    caseNumber: 'EV-M-SURROGATE',
    channel: 'events',
    connectionId: connection,
    rawBody: eventBody('EV-M-SURROGATE').replace('"ext-EV-M-SURROGATE"', '"\\ud800"'),
  },
  { caseNumber: 'SP-M-NOT-JSON', channel: 'direct', rawBody: '{"caseNumber": "SP-M-NOT-JSON", ' },
  { caseNumber: 'SP-M-SCALAR', channel: 'direct', rawBody: '"SP-M-SCALAR"' },
  // A rejected delivery is never read, even when it names the order.
  {
    caseNumber: 'SP-M-REJECTED',
    channel: 'direct',
    status: 'rejected',
    rawBody: JSON.stringify(exampleClaimWith('SP-M-REJECTED')),
  },
];

const columns = [
  'scalepoint_case_id',
  'scalepoint_case_external_id',
  'scalepoint_service_id',
  'scalepoint_service_reference',
  'scalepoint_tenant',
  'scalepoint_connection_id',
  'scalepoint_case_url',
  'scalepoint_case_type',
  'scalepoint_policy_number',
  'scalepoint_insurer_alias',
] as const;
type Ids = Record<(typeof columns)[number], string | null>;
const none: Ids = Object.fromEntries(columns.map((c) => [c, null])) as Ids;
const direct = (o: Partial<Ids>): Ids => ({ ...none, ...o });
const event = (caseNumber: string, o: Partial<Ids> = {}): Ids => ({
  ...none,
  scalepoint_case_id: `case-${caseNumber}`,
  scalepoint_case_external_id: `ext-${caseNumber}`,
  scalepoint_service_id: `svc-${caseNumber}`,
  scalepoint_service_reference: `${caseNumber}-1`,
  scalepoint_tenant: 'tryg',
  scalepoint_connection_id: connection,
  ...o,
});

const expected: Record<string, Ids> = {
  'SP-M-1': direct({
    scalepoint_case_url: claim.caseUrl,
    scalepoint_case_type: claim.caseType,
    scalepoint_policy_number: claim.policyNumber,
    scalepoint_insurer_alias: claim.insurer.alias,
  }),
  'SP-M-2': direct({ scalepoint_case_type: 'contentsClaim', scalepoint_policy_number: '4417' }),
  'EV-M-1': event('EV-M-1'),
  'EV-M-2': event('EV-M-2', {
    scalepoint_case_id: null,
    scalepoint_case_external_id: 'x'.repeat(200),
    scalepoint_service_id: '90210',
  }),
  'EV-M-3': event('EV-M-3', { scalepoint_tenant: null, scalepoint_connection_id: null }),
  'EV-M-4': event('EV-M-4', { scalepoint_tenant: null, scalepoint_connection_id: null }),
  'SP-M-NUL': none,
  'EV-M-SURROGATE': none,
  'SP-M-NOT-JSON': none,
  'SP-M-SCALAR': none,
  'SP-M-REJECTED': none,
  'MANUAL-1': none,
};

describe.each(migrationEngines)('migration 0017 (Scalepoint identifiers) on $name', (engine) => {
  let db: Engine | undefined;
  let skipped = false;
  let idsByCase: Record<string, Ids> = {};

  beforeAll(async () => {
    if (!(await engine.available())) {
      skipped = true;
      return;
    }
    db = await engine.open();
    const target = migrationFiles.findIndex((f) => f.startsWith('0017_'));
    expect(target).toBeGreaterThan(0);
    for (const file of migrationFiles.slice(0, target))
      for (const statement of statementsOf(file)) await db.exec(statement);

    await db.query(
      `insert into companies (id, name, cvr) values ($1, 'Firma', '12345678'), ($2, 'Andet firma', '87654321')`,
      [company, otherCompany],
    );
    const [orderType] = await db.query<{ id: string }>(
      `insert into order_types (company_id, name) values ($1, 'Skade') returning id`,
      [company],
    );
    const [customer] = await db.query<{ id: string }>(
      `insert into customers (company_id, customer_number, name, name_key) values ($1, '1', 'Tryg', 'tryg') returning id`,
      [company],
    );
    const connectionRow = (id: string, companyId: string, tenant: string) =>
      db!.query(
        `insert into scalepoint_connections (id, company_id, client_id, tenant, environment, certificate_pem, private_key_enc)
         values ($1, $2, $3, $4, 'sandbox', 'pem', 'enc')`,
        [id, companyId, `kladde-${tenant}`, tenant],
      );
    await connectionRow(connection, company, 'tryg');
    await connectionRow(otherConnection, otherCompany, 'other');
    const order = async (caseNumber: string | null, heading: string) => {
      const [row] = await db!.query<{ id: string }>(
        `insert into orders (company_id, order_type_id, heading, customer_id, customer_name, order_type_name, source, scalepoint_case_number)
         values ($1, $2, $3, $4, 'Tryg', 'Skade', $5, $6) returning id`,
        [
          company,
          orderType!.id,
          heading,
          customer!.id,
          caseNumber ? 'scalepoint' : 'manual',
          caseNumber,
        ],
      );
      return row!.id;
    };
    for (const p of planted) {
      const orderId = await order(p.caseNumber, p.caseNumber);
      await db.query(
        `insert into scalepoint_deliveries (company_id, channel, message_id, account_id, connection_id, case_number, status, raw_body, headers, order_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9)`,
        [
          company,
          p.channel,
          `msg-${p.caseNumber}`,
          p.channel === 'direct' ? 'acct-1' : null,
          p.channel === 'events' ? p.connectionId : null,
          p.caseNumber,
          p.status ?? 'created',
          p.rawBody,
          orderId,
        ],
      );
    }
    // A manual order (no case number) is left alone.
    await order(null, 'MANUAL-1');

    await db.inTransaction(statementsOf(migrationFiles[target]!));
    const rows = await db.query<Ids & { heading: string }>(
      `select heading, ${columns.join(', ')} from orders order by heading`,
    );
    idsByCase = Object.fromEntries(rows.map(({ heading, ...ids }) => [heading, ids]));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('fills the identifiers from the delivery that made each draft, and leaves a hostile body’s null', async (ctx) => {
    if (skipped) ctx.skip();
    expect(idsByCase).toEqual(expected);
  });

  it('drops its helper functions, and running its backfill again changes nothing', async (ctx) => {
    if (skipped) ctx.skip();
    expect(
      await db!.query(`select proname from pg_proc where proname like 'kladde_0017%'`),
    ).toEqual([]);
    const backfill = statementsOf(migrationFiles.find((f) => f.startsWith('0017_'))!).filter(
      (s) => !s.replace(/^(--[^\n]*\n)+/, '').startsWith('ALTER TABLE'),
    );
    await db!.inTransaction(backfill);
    const rows = await db!.query<Ids & { heading: string }>(
      `select heading, ${columns.join(', ')} from orders order by heading`,
    );
    expect(Object.fromEntries(rows.map(({ heading, ...ids }) => [heading, ids]))).toEqual(expected);
  });

  it('lets a deleted connection go from its orders and keeps their tenant', async (ctx) => {
    if (skipped) ctx.skip();
    await db!.exec(`delete from scalepoint_connections where id = '${connection}'`);
    const [row] = await db!.query<Ids>(
      `select scalepoint_tenant, scalepoint_connection_id from orders where heading = 'EV-M-1'`,
    );
    expect(row).toEqual({ scalepoint_tenant: 'tryg', scalepoint_connection_id: null });
  });
});
