import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { resetEnvCache } from '@/lib/env';
import { auditLog, companies, customers, orders, scalepointDeliveries } from '@/db/schema';
import { handleClaimDelivery } from '@/lib/scalepoint/intake/http';
import { listDeliveries } from '@/lib/scalepoint/admin/deliveries';
import { replayDelivery } from '@/lib/scalepoint/admin/replay';
import { parseSigningSecret, generateSigningSecret } from '@/lib/scalepoint/intake/signature';
import { activeCompany, exampleClaim, signedHeaders, signedRequest } from '../support/claims';
import { createTestDatabase, type TestDatabase } from '../support/db';

let t: TestDatabase;
beforeAll(async () => {
  process.env.KLADDE_LOG = 'silent';
  t = await createTestDatabase({ max: 12 });
  // Stand-ins for "a value the database refuses" and "the database asks for a retry": a trigger on
  // orders that raises the SQLSTATE named in the case number (SP-RAISE-<code>-…).
  await t.db.execute(
    sql.raw(`
    create function test_raise() returns trigger language plpgsql as $$
    begin
      if new.requisition_number like 'SP-RAISE-%' then
        raise exception 'refused % for %', new.requisition_number, new.customer_name using errcode = split_part(new.requisition_number, '-', 3);
      end if;
      return new;
    end $$
  `),
  );
  // One statement per call: PGlite's extended protocol takes no multi-statement strings.
  await t.db.execute(
    sql.raw(
      `create trigger test_raise before insert on orders for each row execute function test_raise()`,
    ),
  );
});
afterAll(async () => {
  await t?.close();
});

const count = async (
  table: typeof orders | typeof customers | typeof scalepointDeliveries,
  companyId: string,
) =>
  (
    await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(eq(table.companyId, companyId))
  )[0]!.n;
const lastNumber = async (companyId: string) =>
  (
    await t.db
      .select({ n: companies.lastCustomerNumber })
      .from(companies)
      .where(eq(companies.id, companyId))
  )[0]!.n;
const deliveriesOf = (companyId: string) =>
  t.db.select().from(scalepointDeliveries).where(eq(scalepointDeliveries.companyId, companyId));

function setPath(obj: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[keys.at(-1)!] = value;
}

describe('poison claims', () => {
  it('a control character in any text field is a 422 with that path, stored as rejected, no customer number taken', async () => {
    const c = await activeCompany(t.db);
    const paths = [
      'caseNumber',
      'policyholder.name',
      'damage.description',
      'insurer.address.city',
      'contacts.0.email',
      'policyNumber',
      'caseUrl',
    ];
    for (const [i, path] of paths.entries()) {
      const claim = exampleClaim() as unknown as Record<string, unknown>;
      setPath(claim, path, `før\u0000efter${i}`);
      const res = await handleClaimDelivery(t.db, signedRequest(c.account, claim));
      expect(res.status, path).toBe(422);
      expect(
        (res.body.issues as { path: string }[]).map((x) => x.path),
        path,
      ).toContain(path);
    }
    const bell = exampleClaim();
    bell.policyholder.name = 'Jens\u0007Hansen';
    expect((await handleClaimDelivery(t.db, signedRequest(c.account, bell))).status).toBe(422);
    // Tab, line feed and carriage return are text.
    const ok = exampleClaim();
    ok.damage.description = 'linje 1\r\nlinje 2\tmed tab';
    expect((await handleClaimDelivery(t.db, signedRequest(c.account, ok))).status).toBe(201);

    const rows = await deliveriesOf(c.company.id);
    expect(
      rows.filter((r) => r.status === 'rejected' && r.reason === 'validation_failed'),
    ).toHaveLength(paths.length + 1);
    expect(await count(customers, c.company.id)).toBe(1);
    expect(await lastNumber(c.company.id)).toBe(1);
  });

  it('lone surrogates are a 422, so two different case numbers never collapse into one', async () => {
    const c = await activeCompany(t.db);
    for (const caseNumber of ['SP-\ud800', 'SP-\udbff', 'SP-\udc00x']) {
      const res = await handleClaimDelivery(
        t.db,
        signedRequest(c.account, { ...exampleClaim(), caseNumber }),
      );
      expect(res.status).toBe(422);
      expect(res.body.issues).toEqual([{ path: 'caseNumber', message: expect.any(String) }]);
    }
    // A proper pair (an emoji) is fine.
    expect(
      (
        await handleClaimDelivery(
          t.db,
          signedRequest(c.account, { ...exampleClaim(), caseNumber: 'SP-\ud83d\ude00' }),
        )
      ).status,
    ).toBe(201);
    const rows = await deliveriesOf(c.company.id);
    expect(rows.map((r) => r.status).sort()).toEqual([
      'created',
      'rejected',
      'rejected',
      'rejected',
    ]);
    // The stored raw body is the JSON text as sent: its escapes survive.
    const rejected = rows.find((r) => r.status === 'rejected' && r.rawBody.includes('\\ud800'));
    expect(JSON.parse(rejected!.rawBody).caseNumber).toBe('SP-\ud800');
  });

  it('a raw NUL byte in the body is not JSON: 400, nothing stored; an escaped NUL in an unknown field is stored as sent', async () => {
    const c = await activeCompany(t.db);
    const raw = Buffer.from(
      JSON.stringify(exampleClaim()).replace('Jens Hansen', 'Jens\u0000Hansen'),
    );
    expect(raw.includes(0)).toBe(true);
    expect((await handleClaimDelivery(t.db, signedRequest(c.account, raw))).status).toBe(400);
    expect(await count(scalepointDeliveries, c.company.id)).toBe(0);

    const withExtra = { ...exampleClaim(), note: 'x\u0000y' };
    expect((await handleClaimDelivery(t.db, signedRequest(c.account, withExtra))).status).toBe(201);
    const [d] = await deliveriesOf(c.company.id);
    expect(JSON.parse(d!.rawBody).note).toBe('x\u0000y');
  });
});

describe('errors that would repeat, and errors worth a retry', () => {
  it('a value the database refuses: 422 processing_failed, stored as failed, replayable; the log carries the code, never the values', async () => {
    const c = await activeCompany(t.db);
    const claim = { ...exampleClaim(), caseNumber: `SP-RAISE-22023-${Date.now()}` };
    const lines: string[] = [];
    const spy = vi
      .spyOn(console, 'error')
      .mockImplementation((l: unknown) => void lines.push(String(l)));
    const warn = vi
      .spyOn(console, 'warn')
      .mockImplementation((l: unknown) => void lines.push(String(l)));
    delete process.env.KLADDE_LOG;
    let res;
    try {
      res = await handleClaimDelivery(t.db, signedRequest(c.account, claim));
    } finally {
      process.env.KLADDE_LOG = 'silent';
      spy.mockRestore();
      warn.mockRestore();
    }
    expect(res).toEqual({ status: 422, body: { error: 'processing_failed' } });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('22023');
    expect(lines.join('\n')).not.toContain('Jens Hansen');
    expect(lines.join('\n')).not.toContain('Vestergade');

    const rows = await deliveriesOf(c.company.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'failed', caseNumber: claim.caseNumber });
    expect(await count(orders, c.company.id)).toBe(0);
    expect(await count(customers, c.company.id)).toBe(0);

    // A redelivery is answered the same and stays one delivery row.
    expect(
      (
        await handleClaimDelivery(
          t.db,
          signedRequest(c.account, claim, { webhookId: rows[0]!.messageId }),
        )
      ).status,
    ).toBe(422);
    expect(await count(scalepointDeliveries, c.company.id)).toBe(1);
    const [listed] = await listDeliveries(t.db, c.adminActor, { status: 'failed' });
    expect(listed).toMatchObject({ statusText: 'Fejlet', replayable: true, attempts: 2 });

    // Once the cause is fixed, Genbehandl makes the draft, with its audit row in the same transaction.
    await t.db.execute(sql`alter table orders disable trigger test_raise`);
    try {
      expect(await replayDelivery(t.db, c.adminActor, { deliveryId: listed!.id })).toEqual({
        ok: true,
        message: 'Genbehandlet: sagen er nu en ordrekladde.',
      });
    } finally {
      await t.db.execute(sql`alter table orders enable trigger test_raise`);
    }
    const [order] = await t.db
      .select({ xmin: sql<string>`xmin::text` })
      .from(orders)
      .where(eq(orders.companyId, c.company.id));
    const [audit] = await t.db
      .select({ xmin: sql<string>`xmin::text`, details: auditLog.details })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.companyId, c.company.id),
          eq(auditLog.action, 'scalepoint.delivery_replayed'),
        ),
      );
    expect(audit).toEqual({
      xmin: order!.xmin,
      details: { deliveryId: listed!.id, outcome: 'created' },
    });
    expect(await count(customers, c.company.id)).toBe(1);
  });

  it('a replay that fails again records the failure and its audit row together', async () => {
    const c = await activeCompany(t.db);
    await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { ...exampleClaim(), caseNumber: `SP-RAISE-23514-${Date.now()}` }),
    );
    const [d] = await listDeliveries(t.db, c.adminActor, { status: 'failed' });
    const replayed = await replayDelivery(t.db, c.adminActor, { deliveryId: d!.id });
    expect(replayed.ok).toBe(false);
    expect(replayed.message).toContain('fejlede igen');
    const [row] = await t.db
      .select({ xmin: sql<string>`xmin::text`, status: scalepointDeliveries.status })
      .from(scalepointDeliveries)
      .where(eq(scalepointDeliveries.id, d!.id));
    const [audit] = await t.db
      .select({ xmin: sql<string>`xmin::text`, details: auditLog.details })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.companyId, c.company.id),
          eq(auditLog.action, 'scalepoint.delivery_replayed'),
        ),
      );
    expect(row!.status).toBe('failed');
    expect(audit).toEqual({
      xmin: row!.xmin,
      details: { deliveryId: d!.id, outcome: 'processing_failed' },
    });
  });

  it.each(['40001', '40P01', '57014', '53300'])(
    '%s asks for a retry: 503, nothing stored',
    async (code) => {
      const c = await activeCompany(t.db);
      const res = await handleClaimDelivery(
        t.db,
        signedRequest(c.account, { ...exampleClaim(), caseNumber: `SP-RAISE-${code}-1` }),
      );
      expect(res.status).toBe(503);
      expect(await count(scalepointDeliveries, c.company.id)).toBe(0);
      expect(await count(orders, c.company.id)).toBe(0);
    },
  );

  it('a replay writes its audit row in the transaction that applies the delivery', async () => {
    const c = await activeCompany(t.db, { enabled: false });
    await handleClaimDelivery(t.db, signedRequest(c.account, exampleClaim()));
    const [d] = await deliveriesOf(c.company.id);
    const { saveScalepointSettings } = await import('@/lib/scalepoint/settings/save');
    await saveScalepointSettings(t.db, c.adminActor, {
      enabled: true,
      orderTypeId: c.types[0].id,
      customerMode: 'policyholder',
      phoneAsCustomerNumber: false,
    });
    expect((await replayDelivery(t.db, c.adminActor, { deliveryId: d!.id })).ok).toBe(true);
    const [order] = await t.db
      .select({ xmin: sql<string>`xmin::text` })
      .from(orders)
      .where(eq(orders.companyId, c.company.id));
    const [audit] = await t.db
      .select({ xmin: sql<string>`xmin::text`, details: auditLog.details })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.companyId, c.company.id),
          eq(auditLog.action, 'scalepoint.delivery_replayed'),
        ),
      );
    expect(audit!.xmin).toBe(order!.xmin);
  });
});

describe('401s and the order of checks', () => {
  it('every 401 has the one body {"error":"unauthorized"}', async () => {
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    // Built just before each is handled: a timestamp taken earlier could drift into the tolerance on a slow machine.
    const cases = [
      () => signedRequest(c.account, claim, { headers: { 'webhook-signature': null } }),
      () => signedRequest(c.account, claim, { headers: { 'webhook-id': null } }),
      () => signedRequest(c.account, claim, { headers: { 'webhook-timestamp': 'abc' } }),
      () => signedRequest(c.account, claim, { headers: { 'scalepoint-account-id': null } }),
      () => signedRequest({ ...c.account, accountId: 'acct-unknown' }, claim),
      () =>
        signedRequest(
          { accountId: c.account.accountId, key: parseSigningSecret(generateSigningSecret())! },
          claim,
        ),
      () => signedRequest(c.account, claim, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      () => signedRequest(c.account, claim, { timestamp: Math.floor(Date.now() / 1000) + 301 }),
    ];
    for (const req of cases)
      expect(await handleClaimDelivery(t.db, req())).toEqual({
        status: 401,
        body: { error: 'unauthorized' },
      });
  });

  it('size, content type, headers and timestamp are checked before the database is asked anything', async () => {
    const c = await activeCompany(t.db);
    const noDb = new Proxy(
      {},
      {
        get: () => {
          throw new Error('database touched');
        },
      },
    ) as Db;
    const claim = exampleClaim();
    const now = Math.floor(Date.now() / 1000);
    const big = signedRequest(c.account, { ...claim, pad: 'x'.repeat(300 * 1024) });
    expect((await handleClaimDelivery(noDb, big)).status).toBe(413);
    expect(
      (
        await handleClaimDelivery(
          noDb,
          signedRequest(c.account, claim, { contentType: 'text/plain' }),
        )
      ).status,
    ).toBe(415);
    // Well past the 300 s tolerance: a second that ticks during the test must not bring one back in.
    for (const req of [
      signedRequest({ ...c.account, accountId: 'acct-unknown' }, claim, { timestamp: now - 400 }),
      signedRequest({ ...c.account, accountId: 'acct-unknown' }, claim, { timestamp: now + 400 }),
      signedRequest(c.account, claim, { headers: { 'webhook-signature': null } }),
      signedRequest(c.account, claim, { headers: { 'webhook-id': null } }),
      signedRequest(c.account, claim, { headers: { 'scalepoint-account-id': null } }),
    ]) {
      expect(await handleClaimDelivery(noDb, req)).toEqual({
        status: 401,
        body: { error: 'unauthorized' },
      });
    }
  });

  it('signature before JSON, JSON before schema, schema before the module', async () => {
    const off = await activeCompany(t.db, { enabled: false });
    const wrongKey = {
      accountId: off.account.accountId,
      key: parseSigningSecret(generateSigningSecret())!,
    };
    expect((await handleClaimDelivery(t.db, signedRequest(wrongKey, '{not json'))).status).toBe(
      401,
    );
    expect((await handleClaimDelivery(t.db, signedRequest(off.account, '{not json'))).status).toBe(
      400,
    );
    expect(
      (await handleClaimDelivery(t.db, signedRequest(off.account, { caseNumber: 'SP-1' }))).status,
    ).toBe(422);
    expect(
      (await handleClaimDelivery(t.db, signedRequest(off.account, exampleClaim()))).status,
    ).toBe(409);
  });
});

describe('channels', () => {
  it('the same id on the direct and the events channel are two deliveries; the same channel and id is one', async () => {
    const { recordAndApplyDelivery } = await import('@/lib/scalepoint/intake/apply-delivery');
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    const direct = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, claim, { webhookId: 'evt_1' }),
    );
    expect(direct.status).toBe(201);
    const input = {
      companyId: c.company.id,
      channel: 'events' as const,
      connectionId: '00000000-0000-4000-8000-00000000e0e1',
      messageId: 'evt_1',
      rawBody: JSON.stringify(claim),
      json: claim,
      headers: {},
    };
    expect(await recordAndApplyDelivery(t.db, input)).toMatchObject({
      kind: 'duplicate',
      reason: 'duplicate_case',
      orderId: direct.body.orderId,
    });
    expect(await recordAndApplyDelivery(t.db, input)).toMatchObject({
      kind: 'duplicate',
      reason: 'duplicate_delivery',
    });
    const rows = await deliveriesOf(c.company.id);
    expect(
      rows.map((r) => [r.channel, r.messageId, r.status, r.reason, r.attempts]).sort(),
    ).toEqual([
      ['direct', 'evt_1', 'created', null, 1],
      ['events', 'evt_1', 'duplicate', 'duplicate_case', 2],
    ]);
  });
});

describe('the delivery log', () => {
  it('stores the channel of a direct delivery', async () => {
    const c = await activeCompany(t.db);
    await handleClaimDelivery(t.db, signedRequest(c.account, exampleClaim()));
    const [d] = await deliveriesOf(c.company.id);
    expect((d as Record<string, unknown>).channel).toBe('direct');
  });

  it('shows the Danish status words of the delivery log, and filters by them', async () => {
    const c = await activeCompany(t.db, { enabled: false });
    await handleClaimDelivery(t.db, signedRequest(c.account, exampleClaim()));
    await handleClaimDelivery(t.db, signedRequest(c.account, { caseNumber: 'SP-2' }));
    const rows = await listDeliveries(t.db, c.adminActor, { status: 'all' });
    expect(rows.map((r) => (r as Record<string, unknown>).statusText).sort()).toEqual([
      'Modul slået fra',
      'Ugyldig',
    ]);
    expect(
      (await listDeliveries(t.db, c.adminActor, { status: 'invalid' })).map((r) => r.caseNumber),
    ).toEqual(['SP-2']);
    expect(
      (await listDeliveries(t.db, c.adminActor, { status: 'module_disabled' })).map(
        (r) => r.statusText,
      ),
    ).toEqual(['Modul slået fra']);
    expect(await listDeliveries(t.db, c.adminActor, { status: 'failed' })).toEqual([]);
  });
});

describe('the HTTP route under hostile bodies', () => {
  it('2,000 hostile requests through POST: zero 5xx with the database up', async () => {
    const c = await activeCompany(t.db);
    // The route opens the app's own pool from DATABASE_URL (as kladde_app): drop settings read
    // before. On PGlite (no URL) the route has its own embedded database, which knows no account.
    if (t.url) {
      process.env.DATABASE_URL = t.url;
      resetEnvCache();
    }
    const { POST } = await import('@/app/api/scalepoint/claims/route');
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({
        unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
        maxLength: 20,
      }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({
        unit: fc.constantFrom(
          '\u0000',
          '\u0001',
          '\u001f',
          '\t',
          '\n',
          '\ud800',
          '\udfff',
          'a',
          'æ',
          '\u2028',
        ),
        maxLength: 10,
      }),
    );
    const claimish = fc
      .record(
        {
          caseNumber: fc.oneof(anyText, fc.integer(), fc.constant(null)),
          caseUrl: fc.oneof(anyText, fc.webUrl()),
          insurer: fc.record({
            name: anyText,
            cvr: fc.oneof(anyText, fc.nat()),
            address: fc.record({ street: anyText, city: anyText }),
          }),
          policyholder: fc.record({
            name: anyText,
            phone: anyText,
            mobile: anyText,
            email: anyText,
          }),
          damage: fc.record({ description: anyText, cause: anyText, date: anyText }),
          contacts: fc.array(fc.record({ name: anyText, email: anyText }), { maxLength: 3 }),
          extra: fc.anything(),
        },
        { requiredKeys: [] },
      )
      .map((b) => ({ ...exampleClaim(), ...b }));
    type Hostile = {
      body: Buffer | string;
      contentType?: string;
      headers?: Record<string, string | null>;
      timestamp?: number;
      account?: 'unknown';
    };
    const hostile: fc.Arbitrary<Hostile> = fc.oneof(
      { weight: 5, arbitrary: claimish.map((b) => ({ body: JSON.stringify(b) })) },
      { weight: 2, arbitrary: fc.jsonValue().map((b) => ({ body: JSON.stringify(b) ?? 'null' })) },
      {
        weight: 2,
        arbitrary: fc.uint8Array({ maxLength: 300 }).map((u) => ({ body: Buffer.from(u) })),
      },
      {
        weight: 1,
        arbitrary: claimish.map((b) => ({
          body: JSON.stringify(b).replace(/"name":"/, '"name":"\u0000'),
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .nat({ max: 200_000 })
          .map((n) => ({ body: `${'['.repeat(n % 20000)}1${']'.repeat(n % 20000)}` })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            'text/plain',
            '',
            'application/json; charset=latin1',
            'APPLICATION/JSON',
            'application/jsonx',
          )
          .map((ct) => ({ body: JSON.stringify(exampleClaim()), contentType: ct })),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: -100_000, max: 100_000 }).map((d) => ({
          body: JSON.stringify(exampleClaim()),
          timestamp: Math.floor(Date.now() / 1000) + d,
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom<Hostile['headers']>(
            { 'webhook-id': null },
            { 'webhook-signature': 'v1,!!!' },
            { 'webhook-timestamp': '1e9' },
            { 'scalepoint-account-id': 'x'.repeat(500) },
            { 'webhook-id': 'x'.repeat(300) },
          )
          .map((h) => ({ body: JSON.stringify(exampleClaim()), headers: h })),
      },
      {
        weight: 1,
        arbitrary: fc.constant<Hostile>({
          body: JSON.stringify(exampleClaim()),
          account: 'unknown',
        }),
      },
      {
        weight: 1,
        arbitrary: fc.constant<Hostile>({
          body: JSON.stringify({ ...exampleClaim(), pad: 'x'.repeat(256 * 1024) }),
        }),
      },
    );
    const samples = fc.sample(hostile, { numRuns: 2000, seed: 20261130 });
    const histogram: Record<number, number> = {};
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < samples.length; i = next++) {
        const h = samples[i]!;
        const req = signedRequest(
          h.account === 'unknown' ? { ...c.account, accountId: 'acct-nobody' } : c.account,
          h.body,
          { contentType: h.contentType, headers: h.headers, timestamp: h.timestamp },
        );
        const res = await POST(
          new Request('http://localhost/api/scalepoint/claims', {
            method: 'POST',
            headers: signedHeaders(req),
            body: new Uint8Array(req.body),
          }),
        );
        histogram[res.status] = (histogram[res.status] ?? 0) + 1;
        const text = await res.text();
        expect(() => JSON.parse(text)).not.toThrow();
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    console.info(
      `hostile requests: ${samples.length}, status histogram: ${JSON.stringify(histogram)}`,
    );
    const fivexx = Object.entries(histogram)
      .filter(([s]) => Number(s) >= 500)
      .reduce((n, [, k]) => n + k, 0);
    expect(fivexx).toBe(0);
    expect(Object.values(histogram).reduce((a, b) => a + b, 0)).toBe(2000);
    if (t.url) {
      // The bodies reached the database: signed claims were stored, as drafts or as rejected.
      expect(histogram[201]).toBeGreaterThan(0);
      expect(histogram[422]).toBeGreaterThan(0);
    }
  }, 240_000);
});
