import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '@/db/client';
import { companies, customers, orderNotes, orders, scalepointDeliveries } from '@/db/schema';
import { loadActor } from '@/lib/auth/actor';
import { handleClaimDelivery, MAX_BODY_BYTES } from '@/lib/scalepoint/intake/http';
import { listDeliveries } from '@/lib/scalepoint/admin/deliveries';
import { replayDelivery } from '@/lib/scalepoint/admin/replay';
import { storeCredentials } from '@/lib/scalepoint/support/credentials';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { generateSigningSecret, parseSigningSecret } from '@/lib/scalepoint/intake/signature';
import { activeCompany, exampleClaim, signedRequest } from '../support/claims';
import { createTestDatabase, type TestDatabase } from '../support/db';

let t: TestDatabase;
beforeAll(async () => {
  process.env.KLADDE_LOG = 'silent';
  t = await createTestDatabase({ max: 24 });
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

describe("the contract's responses (docs/intake.md)", () => {
  it('201: a new claim becomes a draft mapped as the contract says, with delivery and customer, in one go', async () => {
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    const res = await handleClaimDelivery(t.db, signedRequest(c.account, claim));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'created',
      orderId: expect.any(String),
      customerId: expect.any(String),
    });

    const [order] = await t.db
      .select()
      .from(orders)
      .where(eq(orders.id, res.body.orderId as string));
    expect(order).toMatchObject({
      companyId: c.company.id,
      status: 'draft',
      orderTypeId: c.types[1].id,
      heading: `Scalepoint \u2013 ${claim.caseNumber}`,
      requisitionNumber: claim.caseNumber,
      workDescription:
        'Vandskade i køkken efter sprunget rør.\n\nhttps://www.scalepoint.com/dk/case/8f2c1d',
      customerId: res.body.customerId,
      customerName: 'Jens Hansen',
      source: 'scalepoint',
      scalepointCaseNumber: claim.caseNumber,
      // The damage address is the policyholder's, who is the customer: no installation address.
      installationStreet: null,
    });
    const [customer] = await t.db
      .select()
      .from(customers)
      .where(eq(customers.id, res.body.customerId as string));
    expect(customer).toMatchObject({
      name: 'Jens Hansen',
      street: 'Vestergade',
      houseNumber: '12',
      floor: '2. th.',
      postalCode: '8000',
      city: 'Aarhus C',
      phone: '+45 20 12 34 56',
      email: 'jens@example.dk',
      customerNumber: '1',
    });
    const notes = await t.db.select().from(orderNotes).where(eq(orderNotes.orderId, order!.id));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      name: 'Mette Jensen',
      street: 'Vestergade',
      houseNumber: '12',
      postalCode: '8000',
      city: 'Aarhus C',
      phone: '31 22 33 44',
      email: 'mette@example.dk',
    });
    const [delivery] = await t.db
      .select()
      .from(scalepointDeliveries)
      .where(eq(scalepointDeliveries.companyId, c.company.id));
    expect(delivery).toMatchObject({
      status: 'created',
      caseNumber: claim.caseNumber,
      orderId: order!.id,
      accountId: c.account.accountId,
    });
    expect(delivery!.headers['webhook-signature']).toBeUndefined();
    expect(JSON.parse(delivery!.rawBody)).toEqual(claim);
  });

  it('200 duplicate: the same webhook-id again, and the same case number under a new id', async () => {
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    const first = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, claim, { webhookId: 'msg_same' }),
    );
    const again = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, claim, { webhookId: 'msg_same' }),
    );
    expect(again).toEqual({
      status: 200,
      body: { status: 'duplicate', orderId: first.body.orderId },
    });
    const sameCase = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, claim, { webhookId: 'msg_other' }),
    );
    expect(sameCase).toEqual({
      status: 200,
      body: { status: 'duplicate', orderId: first.body.orderId },
    });
    expect(await count(orders, c.company.id)).toBe(1);
    expect(await count(customers, c.company.id)).toBe(1);
    const deliveries = await t.db
      .select()
      .from(scalepointDeliveries)
      .where(eq(scalepointDeliveries.companyId, c.company.id));
    expect(deliveries.map((d) => [d.messageId, d.status, d.attempts]).sort()).toEqual([
      ['msg_other', 'duplicate', 1],
      ['msg_same', 'created', 2],
    ]);
  });

  it('a redelivery takes no customer number: the counter is bumped in the claim’s own transaction', async () => {
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    const counter = async () =>
      (
        await t.db
          .select({ n: companies.lastCustomerNumber })
          .from(companies)
          .where(eq(companies.id, c.company.id))
      )[0]!.n;
    await handleClaimDelivery(t.db, signedRequest(c.account, claim, { webhookId: 'msg_first' }));
    expect(await counter()).toBe(1);
    // The optimistic path tries both (a new customer each time) and rolls back on the unique indexes.
    await handleClaimDelivery(t.db, signedRequest(c.account, claim, { webhookId: 'msg_first' }));
    await handleClaimDelivery(t.db, signedRequest(c.account, claim, { webhookId: 'msg_second' }));
    expect(await counter()).toBe(1);
    const next = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { ...claim, caseNumber: 'SP-NEXT-1' }),
    );
    const [customer] = await t.db
      .select({ number: customers.customerNumber })
      .from(customers)
      .where(eq(customers.id, next.body.customerId as string));
    expect(customer!.number).toBe('2');
  });

  it('401: missing or wrong signature, unknown account, stale or future timestamp, changed body — nothing stored', async () => {
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    const now = Math.floor(Date.now() / 1000);
    const other = {
      accountId: c.account.accountId,
      key: parseSigningSecret(generateSigningSecret())!,
    };
    const cases = [
      signedRequest(c.account, claim, { headers: { 'webhook-signature': null } }),
      signedRequest(c.account, claim, { headers: { 'webhook-id': null } }),
      signedRequest(c.account, claim, { headers: { 'webhook-timestamp': null } }),
      signedRequest(c.account, claim, { headers: { 'webhook-timestamp': 'abc' } }),
      signedRequest(c.account, claim, { headers: { 'webhook-signature': 'v1,' } }),
      signedRequest(c.account, claim, { headers: { 'webhook-signature': 'v1,AAAA' } }),
      signedRequest(c.account, claim, { headers: { 'scalepoint-account-id': null } }),
      signedRequest({ ...c.account, accountId: 'acct-unknown' }, claim),
      signedRequest(other, claim),
      signedRequest(c.account, claim, { timestamp: now - 301 }),
      signedRequest(c.account, claim, { timestamp: now + 301 }),
    ];
    const tampered = signedRequest(c.account, claim);
    tampered.body = Buffer.from(
      tampered.body.toString('utf8').replace('Jens Hansen', 'Jens Hanzen'),
    );
    cases.push(tampered);
    for (const req of cases) {
      const res = await handleClaimDelivery(t.db, req);
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual(expect.any(String));
    }
    expect(await count(scalepointDeliveries, c.company.id)).toBe(0);
    expect(await count(orders, c.company.id)).toBe(0);
  });

  it('400 for a body that is not JSON, 415 for a wrong content type, 413 above 256 KiB before any HMAC — nothing stored', async () => {
    const c = await activeCompany(t.db);
    expect(
      (await handleClaimDelivery(t.db, signedRequest(c.account, '{"caseNumber": '))).status,
    ).toBe(400);
    expect(
      (
        await handleClaimDelivery(
          t.db,
          signedRequest(c.account, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
        )
      ).status,
    ).toBe(400);
    expect(
      await handleClaimDelivery(
        t.db,
        signedRequest(c.account, exampleClaim(), { contentType: 'text/plain' }),
      ),
    ).toMatchObject({ status: 415 });
    expect(
      await handleClaimDelivery(
        t.db,
        signedRequest(c.account, exampleClaim(), {
          contentType: 'application/json; charset=utf-8',
        }),
      ),
    ).toMatchObject({ status: 201 });
    const big = { ...exampleClaim(), padding: 'x'.repeat(MAX_BODY_BYTES) };
    // Unknown account and no signature: a 413 proves the size is checked before anything else.
    const res = await handleClaimDelivery(
      t.db,
      signedRequest({ accountId: 'nobody', key: Buffer.alloc(32) }, big, {
        headers: { 'webhook-signature': null },
      }),
    );
    expect(res.status).toBe(413);
    expect(await count(scalepointDeliveries, c.company.id)).toBe(1);
  });

  it('422: an authenticated but invalid claim is stored as rejected with its issues', async () => {
    const c = await activeCompany(t.db);
    const res = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { caseNumber: 'SP-X', insurer: {}, policyholder: { name: '  ' } }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('validation_failed');
    expect((res.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual([
      'insurer.name',
      'policyholder.name',
    ]);
    const [d] = await t.db
      .select()
      .from(scalepointDeliveries)
      .where(eq(scalepointDeliveries.companyId, c.company.id));
    expect(d).toMatchObject({
      status: 'rejected',
      reason: 'validation_failed',
      caseNumber: 'SP-X',
    });
    expect(d!.issues).toHaveLength(2);
    expect(await count(orders, c.company.id)).toBe(0);
    expect(await count(customers, c.company.id)).toBe(0);
  });

  it('409 with the module off: stored as rejected, and Genbehandl turns it into one draft once the module is on', async () => {
    const c = await activeCompany(t.db, { enabled: false });
    const claim = exampleClaim();
    const req = signedRequest(c.account, claim);
    expect(await handleClaimDelivery(t.db, req)).toEqual({
      status: 409,
      body: { error: 'module_disabled' },
    });
    const [d] = await listDeliveries(t.db, c.adminActor, { status: 'module_disabled' });
    expect(d).toMatchObject({
      status: 'rejected',
      reason: 'module_disabled',
      caseNumber: claim.caseNumber,
    });
    expect(d!.description).toContain('slået fra');

    expect((await replayDelivery(t.db, c.adminActor, { deliveryId: d!.id })).ok).toBe(false);
    await saveScalepointSettings(t.db, c.adminActor, {
      enabled: true,
      orderTypeId: c.types[0].id,
      customerMode: 'policyholder',
      phoneAsCustomerNumber: false,
    });
    const replayed = await replayDelivery(t.db, c.adminActor, { deliveryId: d!.id });
    expect(replayed).toMatchObject({ ok: true });
    const [order] = await t.db.select().from(orders).where(eq(orders.companyId, c.company.id));
    expect(order).toMatchObject({
      orderTypeId: c.types[0].id,
      requisitionNumber: claim.caseNumber,
    });

    // Replay again, Scalepoint's redelivery of the same id, and a replay racing a redelivery: still one draft.
    expect((await replayDelivery(t.db, c.adminActor, { deliveryId: d!.id })).message).toContain(
      'allerede',
    );
    expect((await handleClaimDelivery(t.db, req)).status).toBe(200);
    expect(await count(orders, c.company.id)).toBe(1);
    expect(await count(customers, c.company.id)).toBe(1);
  });

  it('Scalepoint’s own retry of a delivery rejected while the module was off creates the draft once it is on', async () => {
    const c = await activeCompany(t.db, { enabled: false });
    const req = signedRequest(c.account, exampleClaim(), { webhookId: 'msg_retry' });
    expect((await handleClaimDelivery(t.db, req)).status).toBe(409);
    await saveScalepointSettings(t.db, c.adminActor, {
      enabled: true,
      orderTypeId: c.types[0].id,
      customerMode: 'policyholder',
      phoneAsCustomerNumber: false,
    });
    const retried = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, JSON.parse(req.body.toString()), { webhookId: 'msg_retry' }),
    );
    expect(retried.status).toBe(201);
    const rows = await t.db
      .select()
      .from(scalepointDeliveries)
      .where(eq(scalepointDeliveries.companyId, c.company.id));
    expect(rows.map((r) => [r.messageId, r.status, r.attempts, r.orderId])).toEqual([
      ['msg_retry', 'created', 2, retried.body.orderId],
    ]);
    expect(await count(customers, c.company.id)).toBe(1);
  });

  it('replay is refused to another company’s admin and to members (404)', async () => {
    const a = await activeCompany(t.db, { enabled: false });
    const b = await activeCompany(t.db);
    await handleClaimDelivery(t.db, signedRequest(a.account, exampleClaim()));
    const [d] = await listDeliveries(t.db, a.adminActor, { status: 'all' });
    await expect(replayDelivery(t.db, b.adminActor, { deliveryId: d!.id })).rejects.toThrow(
      'not found',
    );
    await expect(
      replayDelivery(t.db, await loadActor(t.db, a.member.id), { deliveryId: d!.id }),
    ).rejects.toThrow('not found');
    await expect(
      listDeliveries(t.db, await loadActor(t.db, a.member.id), { status: 'all' }),
    ).rejects.toThrow('not found');
    expect(await listDeliveries(t.db, b.adminActor, { status: 'all' })).toEqual([]);
  });

  it('503 when the database is unavailable, never a 2xx or a throw', async () => {
    const c = await activeCompany(t.db);
    const down = await openPostgres('postgres://postgres@127.0.0.1:1/nothing', { max: 1 });
    try {
      const res = await handleClaimDelivery(down.db, signedRequest(c.account, exampleClaim()));
      expect(res).toEqual({ status: 503, body: { error: 'database_unavailable' } });
    } finally {
      await down.close();
    }
  });
});

describe('secrets', () => {
  it('the previous secret works for 24 hours after a new one is stored, then not', async () => {
    const c = await activeCompany(t.db);
    const oldKey = c.account.key;
    const newSecret = generateSigningSecret();
    const storedAt = new Date();
    await storeCredentials(
      t.db,
      c.supportActor,
      { companyId: c.company.id, accountId: c.account.accountId, secret: newSecret },
      storedAt,
    );
    const at = (hours: number) => new Date(storedAt.getTime() + hours * 3600_000);
    const req = (key: Buffer, when: Date) =>
      signedRequest({ accountId: c.account.accountId, key }, exampleClaim(), {
        timestamp: Math.floor(when.getTime() / 1000),
      });
    expect((await handleClaimDelivery(t.db, req(oldKey, at(23)), at(23))).status).toBe(201);
    expect(
      (await handleClaimDelivery(t.db, req(parseSigningSecret(newSecret)!, at(23)), at(23))).status,
    ).toBe(201);
    expect((await handleClaimDelivery(t.db, req(oldKey, at(25)), at(25))).status).toBe(401);
    expect(
      (await handleClaimDelivery(t.db, req(parseSigningSecret(newSecret)!, at(25)), at(25))).status,
    ).toBe(201);
  });
});

describe('customer resolution', () => {
  it('insurer rule: matches by normalised name, lowest customer number, creates from the insurer otherwise', async () => {
    const c = await activeCompany(t.db, { customerMode: 'insurer' });
    const first = await handleClaimDelivery(t.db, signedRequest(c.account, exampleClaim()));
    const [made] = await t.db
      .select()
      .from(customers)
      .where(eq(customers.id, first.body.customerId as string));
    expect(made).toMatchObject({
      name: 'Tryg Forsikring A/S',
      cvr: '24260666',
      street: 'Klausdalsbrovej',
      phone: '70 11 20 20',
      email: 'skade@tryg.dk',
    });
    // The damage address differs from the insurer's, so the draft carries it.
    const [order] = await t.db
      .select()
      .from(orders)
      .where(eq(orders.id, first.body.orderId as string));
    expect(order).toMatchObject({
      installationStreet: 'Vestergade',
      installationHouseNumber: '12',
      installationFloor: '2. th.',
      installationPostalCode: '8000',
      installationCity: 'Aarhus C',
    });

    const variant = { ...exampleClaim(), insurer: { name: '  TRYG  forsikring a/s ' } };
    const second = await handleClaimDelivery(t.db, signedRequest(c.account, variant));
    expect(second.body.customerId).toBe(first.body.customerId);
    expect(await count(customers, c.company.id)).toBe(1);
  });

  it('insurer rule with several matches takes the lowest customer number (numerically)', async () => {
    const c = await activeCompany(t.db, { customerMode: 'insurer' });
    const { findOrCreateCustomerByNumber } = await import('@/lib/customers/numbering');
    const ten = await t.db.transaction((tx) =>
      findOrCreateCustomerByNumber(tx, c.company.id, '10', { name: 'Æble Forsikring' }),
    );
    await t.db.transaction((tx) =>
      findOrCreateCustomerByNumber(tx, c.company.id, '9', { name: 'Anden' }),
    );
    await t.db.transaction((tx) =>
      findOrCreateCustomerByNumber(tx, c.company.id, '100', { name: 'ÆBLE forsikring' }),
    );
    const res = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { ...exampleClaim(), insurer: { name: 'æble Forsikring' } }),
    );
    expect(res.body.customerId).toBe(ten.id);
  });

  it('policyholder rule without the phone tick always creates a new customer', async () => {
    const c = await activeCompany(t.db);
    const a = await handleClaimDelivery(t.db, signedRequest(c.account, exampleClaim()));
    const b = await handleClaimDelivery(t.db, signedRequest(c.account, exampleClaim()));
    expect(a.body.customerId).not.toBe(b.body.customerId);
    const numbers = (
      await t.db
        .select({ n: customers.customerNumber })
        .from(customers)
        .where(eq(customers.companyId, c.company.id))
    )
      .map((r) => r.n)
      .sort();
    expect(numbers).toEqual(['1', '2']);
  });

  it('phone rule: one number in three spellings is one customer; no phone gives the next number and a warning', async () => {
    const c = await activeCompany(t.db, { phoneAsCustomerNumber: true });
    const spellings = ['+45 20 12 34 56', '0045 20123456', '20 12 34 56'];
    const results = [];
    for (const phone of spellings) {
      const claim = exampleClaim();
      results.push(
        await handleClaimDelivery(
          t.db,
          signedRequest(c.account, { ...claim, policyholder: { ...claim.policyholder, phone } }),
        ),
      );
    }
    expect(new Set(results.map((r) => r.body.customerId)).size).toBe(1);
    const [customer] = await t.db
      .select()
      .from(customers)
      .where(eq(customers.companyId, c.company.id));
    expect(customer!.customerNumber).toBe('20123456');

    const mobileOnly = exampleClaim();
    const viaMobile = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, {
        ...mobileOnly,
        policyholder: { ...mobileOnly.policyholder, phone: null, mobile: '20123456' },
      }),
    );
    expect(viaMobile.body.customerId).toBe(customer!.id);

    const none = exampleClaim();
    const noPhone = await handleClaimDelivery(
      t.db,
      signedRequest(c.account, { ...none, policyholder: { name: 'Uden Telefon' } }),
    );
    expect(noPhone.status).toBe(201);
    const [made] = await t.db
      .select()
      .from(customers)
      .where(eq(customers.id, noPhone.body.customerId as string));
    expect(made!.customerNumber).toBe('1');
    const [d] = await t.db
      .select()
      .from(scalepointDeliveries)
      .where(
        and(
          eq(scalepointDeliveries.companyId, c.company.id),
          eq(scalepointDeliveries.orderId, noPhone.body.orderId as string),
        ),
      );
    expect(d!.warnings).toEqual(['no_phone']);
  });

  it('the same name and phone in two companies make two customers', async () => {
    const a = await activeCompany(t.db, { phoneAsCustomerNumber: true });
    const b = await activeCompany(t.db, { phoneAsCustomerNumber: true });
    const claim = exampleClaim();
    const ra = await handleClaimDelivery(t.db, signedRequest(a.account, claim));
    const rb = await handleClaimDelivery(t.db, signedRequest(b.account, claim));
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(ra.body.customerId).not.toBe(rb.body.customerId);
  });
});

describe('isolation and mass assignment', () => {
  it('a payload signed for company A never touches company B, and A’s secret does not open B’s account', async () => {
    const a = await activeCompany(t.db);
    const b = await activeCompany(t.db);
    const res = await handleClaimDelivery(
      t.db,
      signedRequest(a.account, { ...exampleClaim(), companyId: b.company.id }),
    );
    expect(res.status).toBe(201);
    expect(await count(orders, b.company.id)).toBe(0);
    expect(await count(scalepointDeliveries, b.company.id)).toBe(0);
    expect(
      (
        await handleClaimDelivery(
          t.db,
          signedRequest({ accountId: b.account.accountId, key: a.account.key }, exampleClaim()),
        )
      ).status,
    ).toBe(401);
  });

  it('unknown fields (companyId, status, id) never reach a row', async () => {
    const a = await activeCompany(t.db);
    const b = await activeCompany(t.db);
    const forged = randomUUID();
    const claim = {
      ...exampleClaim(),
      id: forged,
      companyId: b.company.id,
      status: 'closed',
      source: 'manual',
      customerId: forged,
      policyholder: {
        ...exampleClaim().policyholder,
        companyId: b.company.id,
        customerNumber: '999',
        id: forged,
      },
    };
    const res = await handleClaimDelivery(t.db, signedRequest(a.account, claim));
    expect(res.status).toBe(201);
    const [order] = await t.db
      .select()
      .from(orders)
      .where(eq(orders.id, res.body.orderId as string));
    expect(order).toMatchObject({ companyId: a.company.id, status: 'draft', source: 'scalepoint' });
    expect(order!.id).not.toBe(forged);
    const [customer] = await t.db
      .select()
      .from(customers)
      .where(eq(customers.id, order!.customerId));
    expect(customer).toMatchObject({ companyId: a.company.id, customerNumber: '1' });
  });
});

describe('races', () => {
  it('20 concurrent copies of one delivery: one draft, every answer 2xx', async () => {
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        handleClaimDelivery(t.db, signedRequest(c.account, claim, { webhookId: 'msg_race' })),
      ),
    );
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.orderId)).size).toBe(1);
    expect(await count(orders, c.company.id)).toBe(1);
    expect(await count(customers, c.company.id)).toBe(1);
  });

  it('20 concurrent claims for one new insurer, spelled differently: one customer, 20 drafts', async () => {
    const c = await activeCompany(t.db, { customerMode: 'insurer' });
    const names = [
      'Tryg Forsikring A/S',
      'TRYG  forsikring a/s',
      ' tryg forsikring A/S ',
      'Tryg\tForsikring A/S',
    ];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        handleClaimDelivery(
          t.db,
          signedRequest(c.account, {
            ...exampleClaim(),
            insurer: { name: names[i % names.length] },
          }),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await count(customers, c.company.id)).toBe(1);
    expect(await count(orders, c.company.id)).toBe(20);
  });

  it('20 concurrent claims with one new phone number: one customer, 20 drafts', async () => {
    const c = await activeCompany(t.db, { phoneAsCustomerNumber: true });
    const phones = ['+45 20 12 34 56', '0045 20123456', '20 12 34 56', '20123456'];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const claim = exampleClaim();
        return handleClaimDelivery(
          t.db,
          signedRequest(c.account, {
            ...claim,
            policyholder: { ...claim.policyholder, phone: phones[i % phones.length] },
          }),
        );
      }),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await count(customers, c.company.id)).toBe(1);
    expect(await count(orders, c.company.id)).toBe(20);
  });

  it('20 concurrent deliveries of one case under different webhook-ids: one draft', async () => {
    const c = await activeCompany(t.db);
    const claim = exampleClaim();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => handleClaimDelivery(t.db, signedRequest(c.account, claim))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(await count(orders, c.company.id)).toBe(1);
    expect(await count(customers, c.company.id)).toBe(1);
    expect(await count(scalepointDeliveries, c.company.id)).toBe(20);
  });
});

describe('property: arbitrary bodies', () => {
  it('never produce a 5xx, a throw or a partial write', async () => {
    const c = await activeCompany(t.db);
    const base = exampleClaim();
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          caseNumber: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
          insurer: fc.anything(),
          policyholder: fc.anything(),
          contacts: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      fc
        .record({
          caseNumber: fc.string({ minLength: 1, maxLength: 80 }),
          insurer: fc.record({ name: fc.string() }),
          policyholder: fc.record({ name: fc.string(), phone: fc.string() }),
          damageAddress: fc.anything(),
        })
        .map((b) => ({ ...base, ...b })),
      fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = {
          orders: await count(orders, c.company.id),
          deliveries: await count(scalepointDeliveries, c.company.id),
          customers: await count(customers, c.company.id),
        };
        const res = await handleClaimDelivery(
          t.db,
          signedRequest(c.account, Buffer.isBuffer(b) ? b : (JSON.stringify(b) ?? 'null')),
        );
        expect(res.status).toBeLessThan(500);
        const after = {
          orders: await count(orders, c.company.id),
          deliveries: await count(scalepointDeliveries, c.company.id),
          customers: await count(customers, c.company.id),
        };
        if (res.status === 201)
          expect(after).toEqual({
            orders: before.orders + 1,
            deliveries: before.deliveries + 1,
            customers: before.customers + 1,
          });
        else if (res.status === 200 || res.status === 422 || res.status === 409)
          expect(after).toEqual({ ...before, deliveries: before.deliveries + 1 });
        else expect(after).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });
});
