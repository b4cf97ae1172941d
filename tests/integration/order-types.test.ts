import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf, type Database, type Db } from '@/db/client';
import { customers, orders, orderTypes, scalepointSettings } from '@/db/schema';
import { loadActor, NotFoundError, type CompanyActor } from '@/lib/auth/actor';
import { resetEnvCache } from '@/lib/env';
import { sweepPendingNames } from '@/lib/order-types/name-sync';
import {
  activeOrderTypes,
  createOrderType,
  deactivateOrderType,
  listOrderTypes,
  reactivateOrderType,
  renameOrderType,
  STANDARD_TYPE_IN_USE,
} from '@/lib/order-types/order-types';
import { listDraftOrderTypes } from '@/lib/orders/queries';
import { saveDraft } from '@/lib/orders/draft-actions';
import { ORDER_TYPE_NAME_IN_USE } from '@/lib/people/schemas';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { inCompany } from '@/lib/tenancy';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

/**
 * An admin's Ordretyper (docs/people.md, lib/order-types/): names unique per company ignoring case, a
 * rename that reaches every order's copied name, deactivation, and Scalepoint's standard type.
 * Operations run through the app's pool (the doors); fixtures are written as the owner.
 */

let t: TestDatabase;
let app: Database | undefined;
const db = (): Db => app?.db ?? t.db;

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  resetEnvCache();
  t = await createTestDatabase({ max: 20 });
  app = await openAppDatabase(t, { max: 10 });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

async function tenant() {
  const c = await makeCompany(t.db, `Firma ${randomBytes(3).toString('hex')}`);
  return {
    ...c,
    adminActor: (await loadActor(t.db, c.admin.id)) as CompanyActor,
    memberActor: (await loadActor(t.db, c.member.id)) as CompanyActor,
  };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

async function typeRow(id: string) {
  const [row] = await t.db.select().from(orderTypes).where(eq(orderTypes.id, id));
  return row!;
}

async function typesNamed(companyId: string, name: string) {
  return t.db
    .select({ id: orderTypes.id, name: orderTypes.name })
    .from(orderTypes)
    .where(
      and(eq(orderTypes.companyId, companyId), sql`lower(${orderTypes.name}) = lower(${name})`),
    );
}

async function customerOf(c: Tenant) {
  const [customer] = await t.db
    .insert(customers)
    .values({
      companyId: c.company.id,
      customerNumber: '1',
      name: 'Karen Kunde',
      nameKey: 'karen kunde',
    })
    .returning();
  return customer!;
}

/** `n` drafts of one type in one statement (the owner's connection). */
async function drafts(c: Tenant, customerId: string, typeId: string, typeName: string, n: number) {
  await t.db.execute(sql`
    insert into orders (company_id, status, order_type_id, order_type_name, heading, customer_id, customer_name)
    select ${c.company.id}, 'draft', ${typeId}, ${typeName}, 'Kladde ' || g, ${customerId}, 'Karen Kunde'
    from generate_series(1, ${n}) as g`);
}

async function staleCount(companyId: string, typeId: string, name: string) {
  const [row] = rowsOf<{ n: number }>(
    await t.db.execute(
      sql`select count(*)::int as n from orders where company_id = ${companyId} and order_type_id = ${typeId} and order_type_name <> ${name}`,
    ),
  );
  return row!.n;
}

async function enableScalepoint(c: Tenant, orderTypeId: string, enabled = true) {
  return saveScalepointSettings(db(), c.adminActor, {
    enabled,
    orderTypeId,
    customerMode: 'policyholder',
    phoneAsCustomerNumber: false,
  });
}

const draftEdit = (orderId: string, customerId: string, orderTypeId: string) => ({
  orderId,
  heading: 'Utæt tag',
  requisitionNumber: '',
  orderTypeId,
  workDescription: '',
  installation: { street: '', houseNumber: '', floor: '', postalCode: '', city: '' },
  customerMode: 'existing',
  customerId,
  newCustomer: {
    name: '',
    customerNumber: '',
    phone: '',
    email: '',
    addressFromInstallation: false,
  },
});

// ---------------------------------------------------------------------------------------------

describe('Ny ordretype', () => {
  it('creates a type; the same name in another case is refused at the field', async () => {
    const c = await tenant();
    const r = await createOrderType(db(), c.adminActor, { name: '  Tagrenovering ' });
    expect(r.ok, r.message).toBe(true);
    expect((await listOrderTypes(db(), c.adminActor)).map((x) => x.name)).toEqual([
      'Service',
      'Skadeservice',
      'Tagrenovering',
    ]);
    const again = await createOrderType(db(), c.adminActor, { name: 'TAGRENOVERING' });
    expect(again.ok).toBe(false);
    expect(again.fieldErrors?.name).toBe(ORDER_TYPE_NAME_IN_USE);
    expect(await typesNamed(c.company.id, 'tagrenovering')).toHaveLength(1);
    // Another company may have the same name.
    const other = await tenant();
    expect((await createOrderType(db(), other.adminActor, { name: 'tagrenovering' })).ok).toBe(
      true,
    );
    // An empty name is refused by the schema.
    expect(
      (await createOrderType(db(), c.adminActor, { name: '   ' })).fieldErrors?.name,
    ).toBeTruthy();
  });

  it('two creations of one name at once make one type', async () => {
    const c = await tenant();
    const results = await Promise.all([
      createOrderType(db(), c.adminActor, { name: 'Kloak' }),
      createOrderType(db(), c.adminActor, { name: 'KLOAK' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => r.fieldErrors?.name === ORDER_TYPE_NAME_IN_USE)).toHaveLength(1);
    expect(await typesNamed(c.company.id, 'kloak')).toHaveLength(1);
  });
});

describe('Omdøb', () => {
  it('refuses another type’s name in any case; its own name in another case is a rename', async () => {
    const c = await tenant();
    const taken = await renameOrderType(db(), c.adminActor, {
      orderTypeId: c.types[0].id,
      name: 'skadeSERVICE',
    });
    expect(taken.fieldErrors?.name).toBe(ORDER_TYPE_NAME_IN_USE);
    expect((await typeRow(c.types[0].id)).name).toBe('Service');
    const own = await renameOrderType(db(), c.adminActor, {
      orderTypeId: c.types[0].id,
      name: 'SERVICE',
    });
    expect(own.ok, own.message).toBe(true);
    expect((await typeRow(c.types[0].id)).name).toBe('SERVICE');
  });

  it('reaches every order’s copied name: 100,000 orders of one company', async () => {
    const c = await tenant();
    const customer = await customerOf(c);
    const [service, skade] = c.types;
    await drafts(c, customer.id, service.id, service.name, 100_000);
    await drafts(c, customer.id, skade.id, skade.name, 10);
    // Another company's orders of its own "Service" stay as they are.
    const other = await tenant();
    await drafts(other, (await customerOf(other)).id, other.types[0].id, 'Service', 10);

    const started = performance.now();
    const r = await renameOrderType(db(), c.adminActor, {
      orderTypeId: service.id,
      name: 'Service og vedligehold',
    });
    const answered = performance.now() - started;
    expect(r.ok, r.message).toBe(true);
    // The form answers within its budget; the copies follow in the background (docs/people.md).
    await vi.waitFor(async () => expect((await typeRow(service.id)).nameSyncPending).toBe(false), {
      timeout: 60_000,
      interval: 250,
    });
    const ms = performance.now() - started;
    console.log(
      `rename of a type with 100,000 orders: answered in ${Math.round(answered)} ms, every copy in ${Math.round(ms)} ms (chunks of 2,000)`,
    );

    expect(await staleCount(c.company.id, service.id, 'Service og vedligehold')).toBe(0);
    expect(await staleCount(c.company.id, skade.id, 'Skadeservice')).toBe(0);
    expect(await staleCount(other.company.id, other.types[0].id, 'Service')).toBe(0);
    expect((await typeRow(service.id)).nameSyncPending).toBe(false);
  }, 120_000);

  it('sweepPendingNames finishes a rename whose sync did not run', async () => {
    const c = await tenant();
    const customer = await customerOf(c);
    await drafts(c, customer.id, c.types[1].id, 'Skadeservice', 5_000);
    // As if the server stopped between the rename's commit and its sync.
    await t.db
      .update(orderTypes)
      .set({ name: 'Forsikringsskade', nameSyncPending: true })
      .where(eq(orderTypes.id, c.types[1].id));
    expect(await staleCount(c.company.id, c.types[1].id, 'Forsikringsskade')).toBe(5_000);
    await sweepPendingNames(db());
    expect(await staleCount(c.company.id, c.types[1].id, 'Forsikringsskade')).toBe(0);
    expect((await typeRow(c.types[1].id)).nameSyncPending).toBe(false);
  });
});

describe('Deaktiver / Genaktiver', () => {
  it('a deactivated type is offered for no new draft; orders keep it; Genaktiver brings it back', async () => {
    const c = await tenant();
    const r = await deactivateOrderType(db(), c.adminActor, { orderTypeId: c.types[1].id });
    expect(r.ok, r.message).toBe(true);
    expect((await typeRow(c.types[1].id)).active).toBe(false);
    expect(
      (await listOrderTypes(db(), c.adminActor)).find((x) => x.id === c.types[1].id),
    ).toMatchObject({ active: false });
    expect(
      (await inCompany(db(), c.company.id, (tx) => activeOrderTypes(tx, c.company.id))).map(
        (x) => x.name,
      ),
    ).toEqual(['Service']);
    expect((await listDraftOrderTypes(db(), c.memberActor)).map((x) => x.name)).toEqual([
      'Service',
    ]);
    // Not as the Scalepoint Standard ordretype either.
    const save = await enableScalepoint(c, c.types[1].id);
    expect(save.ok).toBe(false);
    expect(save.fieldErrors?.orderTypeId).toBeTruthy();

    expect((await reactivateOrderType(db(), c.adminActor, { orderTypeId: c.types[1].id })).ok).toBe(
      true,
    );
    expect((await typeRow(c.types[1].id)).active).toBe(true);
  });

  it('the Scalepoint standard type cannot be deactivated while the module is on', async () => {
    const c = await tenant();
    expect((await enableScalepoint(c, c.types[0].id)).ok).toBe(true);
    expect(
      (await listOrderTypes(db(), c.adminActor)).find((x) => x.id === c.types[0].id)
        ?.isScalepointDefault,
    ).toBe(true);
    const r = await deactivateOrderType(db(), c.adminActor, { orderTypeId: c.types[0].id });
    expect(r).toMatchObject({ ok: false, message: STANDARD_TYPE_IN_USE });
    expect(STANDARD_TYPE_IN_USE).toContain('standard ordretype for Scalepoint');
    expect((await typeRow(c.types[0].id)).active).toBe(true);
    // The other type may go; with the module off, the standard type may go too.
    expect((await deactivateOrderType(db(), c.adminActor, { orderTypeId: c.types[1].id })).ok).toBe(
      true,
    );
    expect((await enableScalepoint(c, c.types[0].id, false)).ok).toBe(true);
    expect((await deactivateOrderType(db(), c.adminActor, { orderTypeId: c.types[0].id })).ok).toBe(
      true,
    );
  });

  it('a deactivation racing a save of the Scalepoint settings with that type never leaves the module on with an inactive standard type (10 rounds)', async () => {
    const outcomes = { deactivated: 0, saved: 0 };
    for (let round = 0; round < 10; round++) {
      const c = await tenant();
      const type = c.types[round % 2 === 0 ? 0 : 1].id;
      const [off, save] = await Promise.all([
        deactivateOrderType(db(), c.adminActor, { orderTypeId: type }),
        enableScalepoint(c, type),
      ]);
      const [settings] = await t.db
        .select()
        .from(scalepointSettings)
        .where(eq(scalepointSettings.companyId, c.company.id));
      const active = (await typeRow(type)).active;
      expect(settings!.enabled && settings!.orderTypeId === type && !active).toBe(false);
      // Exactly one of the two won.
      expect([off.ok, save.ok].filter(Boolean)).toHaveLength(1);
      if (off.ok) outcomes.deactivated++;
      else outcomes.saved++;
    }
    console.log(
      `deactivation vs. Scalepoint save: deactivation won ${outcomes.deactivated}, save won ${outcomes.saved} of 10`,
    );
  });

  it('the draft form offers a draft’s own deactivated type as "(deaktiveret)"; saveDraft keeps it, refuses another deactivated type', async () => {
    const c = await tenant();
    const customer = await customerOf(c);
    const extra = await createOrderType(db(), c.adminActor, { name: 'Udgået' });
    expect(extra.ok).toBe(true);
    const [udgaaet] = await typesNamed(c.company.id, 'Udgået');
    const [draft] = await t.db
      .insert(orders)
      .values({
        companyId: c.company.id,
        orderTypeId: c.types[1].id,
        orderTypeName: 'Skadeservice',
        heading: 'Vandskade',
        customerId: customer.id,
        customerName: customer.name,
      })
      .returning();
    expect((await deactivateOrderType(db(), c.adminActor, { orderTypeId: c.types[1].id })).ok).toBe(
      true,
    );
    expect((await deactivateOrderType(db(), c.adminActor, { orderTypeId: udgaaet!.id })).ok).toBe(
      true,
    );

    const offered = await listDraftOrderTypes(db(), c.memberActor, { keep: draft!.orderTypeId });
    expect(offered).toEqual([
      { id: c.types[0].id, name: 'Service' },
      { id: c.types[1].id, name: 'Skadeservice (deaktiveret)' },
    ]);

    const kept = await saveDraft(
      db(),
      c.memberActor,
      draftEdit(draft!.id, customer.id, c.types[1].id),
    );
    expect(kept.ok, kept.message).toBe(true);
    const [after] = await t.db
      .select({
        orderTypeId: orders.orderTypeId,
        orderTypeName: orders.orderTypeName,
        heading: orders.heading,
      })
      .from(orders)
      .where(eq(orders.id, draft!.id));
    expect(after).toEqual({
      orderTypeId: c.types[1].id,
      orderTypeName: 'Skadeservice',
      heading: 'Utæt tag',
    });

    const refused = await saveDraft(
      db(),
      c.memberActor,
      draftEdit(draft!.id, customer.id, udgaaet!.id),
    );
    expect(refused.ok).toBe(false);
    expect(refused.fieldErrors?.orderTypeId).toBeTruthy();
    const [still] = await t.db
      .select({ orderTypeId: orders.orderTypeId })
      .from(orders)
      .where(eq(orders.id, draft!.id));
    expect(still!.orderTypeId).toBe(c.types[1].id);
  });
});

describe('who may and what', () => {
  it('a member, another company’s type and a malformed id are not found (404); nothing changes', async () => {
    const c = await tenant();
    const other = await tenant();
    const m = c.memberActor;
    await expect(listOrderTypes(db(), m)).rejects.toBeInstanceOf(NotFoundError);
    await expect(createOrderType(db(), m, { name: 'Medarbejderens' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      renameOrderType(db(), m, { orderTypeId: c.types[0].id, name: 'X' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      deactivateOrderType(db(), m, { orderTypeId: c.types[0].id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      reactivateOrderType(db(), m, { orderTypeId: c.types[0].id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    for (const orderTypeId of [other.types[0].id, 'not-a-uuid']) {
      await expect(
        renameOrderType(db(), c.adminActor, { orderTypeId, name: 'Overtaget' }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(deactivateOrderType(db(), c.adminActor, { orderTypeId })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(reactivateOrderType(db(), c.adminActor, { orderTypeId })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
    expect(await typeRow(other.types[0].id)).toMatchObject({ name: 'Service', active: true });
    expect(await typesNamed(c.company.id, 'Medarbejderens')).toHaveLength(0);
  });
});
