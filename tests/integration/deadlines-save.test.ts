import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf, type Database, type Db } from '@/db/client';
import { auditLog, customers, orders, scalepointSettings } from '@/db/schema';
import { loadActor, NotFoundError, type Actor } from '@/lib/auth/actor';
import { REDATE_CHUNK, redateChunk } from '@/lib/scalepoint/deadlines/clocks';
import { finishPendingRedates, redateCompany } from '@/lib/scalepoint/deadlines/redate';
import { saveDeadlines } from '@/lib/scalepoint/deadlines/save';
import { DEADLINE_ANSWER } from '@/lib/scalepoint/deadlines/words';
import { getSettings } from '@/lib/scalepoint/settings/read';
import { handleClaimDelivery } from '@/lib/scalepoint/intake/http';
import { inCompany } from '@/lib/tenancy';
import { activeCompany, exampleClaim, signedRequest } from '../support/claims';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';

/**
 * Gem frister (docs/deadlines.md) against a real database: the form's schema refuses what it
 * must with the Danish words at the field; a save re-dates the running clocks of the company's
 * open cases and nothing else; a re-date cut short is finished by the deadlines sweep's
 * finishPendingRedates; only a company's admins may save.
 */

// A seam at the end of each of the re-date's chunks, inside its transaction: a test can stop the
// process there (a crash; that chunk rolls back) or let another save commit meanwhile. Every chunk
// still runs the real statement.
const between = vi.hoisted(() => ({ chunk: null as null | ((tx: Db) => Promise<void>) }));
vi.mock('@/lib/scalepoint/deadlines/clocks', async (original) => {
  const real = await original<typeof import('@/lib/scalepoint/deadlines/clocks')>();
  return {
    ...real,
    redateChunk: async (...args: Parameters<typeof real.redateChunk>) => {
      const result = await real.redateChunk(...args);
      await between.chunk?.(args[0]);
      return result;
    },
  };
});

let t: TestDatabase;
/** The app's pool (connections as kladde_app) on PostgreSQL: the operations must go through the doors. */
let app: Database | undefined;
let db: Db;

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  t = await createTestDatabase();
  app = await openAppDatabase(t, { max: 3 });
  db = app?.db ?? t.db;
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  vi.unstubAllEnvs();
});

const H = 3_600_000;

async function tenant() {
  const c = await makeCompany(t.db);
  const [customer] = await t.db
    .insert(customers)
    .values({
      companyId: c.company.id,
      customerNumber: '1',
      name: 'Karen Kunde',
      nameKey: 'karen kunde',
    })
    .returning({ id: customers.id, name: customers.name });
  return {
    ...c,
    customer: customer!,
    adminActor: (await loadActor(t.db, c.admin.id))!,
    memberActor: (await loadActor(t.db, c.member.id))!,
    numbers: 0,
  };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

type CaseShape = {
  status?: 'draft' | 'new' | 'in_progress' | 'rejected' | 'closed';
  hoursAgo?: number;
  /** false: a case without clocks (before migration 0020, or not from Scalepoint). */
  clocks?: boolean;
  contactStopped?: boolean;
  inspectionStopped?: boolean;
  scalepointClosed?: boolean;
  workDueAt?: Date;
  /** The hours its clocks were started with. */
  hours?: [number, number];
};

/** A case as the intake and the steps leave it, its clocks set directly (Oprettet + the hours). */
async function makeCase(c: Tenant, shape: CaseShape = {}) {
  const status = shape.status ?? 'draft';
  const createdAt = new Date(Date.now() - (shape.hoursAgo ?? 10) * H);
  const [contact, inspection] = shape.hours ?? [24, 72];
  const clocks = shape.clocks ?? true;
  const [row] = await t.db
    .insert(orders)
    .values({
      companyId: c.company.id,
      status,
      orderNumber: ['new', 'in_progress', 'closed'].includes(status) ? ++c.numbers : null,
      orderTypeId: c.types[0].id,
      orderTypeName: c.types[0].name,
      heading: `Sag ${randomUUID().slice(0, 8)}`,
      customerId: c.customer.id,
      customerName: c.customer.name,
      source: clocks ? 'scalepoint' : 'manual',
      scalepointCaseNumber: clocks ? `SP-${randomUUID().slice(0, 12)}` : null,
      scalepointClosedAt: shape.scalepointClosed ? new Date(createdAt.getTime() + H) : null,
      createdAt,
      contactDueAt: clocks ? new Date(createdAt.getTime() + contact * H) : null,
      inspectionDueAt: clocks ? new Date(createdAt.getTime() + inspection * H) : null,
      workDueAt: shape.workDueAt ?? null,
      contactStoppedAt: shape.contactStopped ? new Date(createdAt.getTime() + H) : null,
      inspectionStoppedAt: shape.inspectionStopped ? new Date(createdAt.getTime() + 2 * H) : null,
    })
    .returning({ id: orders.id });
  return row!.id;
}

async function clocksOf(id: string) {
  const [o] = await t.db
    .select({
      createdAt: orders.createdAt,
      contactDueAt: orders.contactDueAt,
      inspectionDueAt: orders.inspectionDueAt,
      workDueAt: orders.workDueAt,
      deadlineAt: orders.deadlineAt,
    })
    .from(orders)
    .where(eq(orders.id, id));
  return o!;
}

/** The hours (contact, visit) a case's deadlines lie after its Oprettet. */
async function hoursOf(id: string): Promise<[number | null, number | null]> {
  const o = await clocksOf(id);
  const after = (d: Date | null) => (d ? (d.getTime() - o.createdAt.getTime()) / H : null);
  return [after(o.contactDueAt), after(o.inspectionDueAt)];
}

async function settingsOf(companyId: string) {
  const [row] = await t.db
    .select()
    .from(scalepointSettings)
    .where(eq(scalepointSettings.companyId, companyId));
  return row;
}

async function auditOf(companyId: string) {
  return t.db
    .select({
      action: auditLog.action,
      details: auditLog.details,
      actorUserId: auditLog.actorUserId,
    })
    .from(auditLog)
    .where(
      and(eq(auditLog.companyId, companyId), eq(auditLog.action, 'scalepoint.deadlines_saved')),
    )
    .orderBy(asc(auditLog.createdAt));
}

const save = (actor: Actor | null, input: unknown) => saveDeadlines(db, actor, input);

describe('the Frister form is checked with one schema', () => {
  it('refuses 0, 169, 721, abc and 1.5 with the Danish words at the field, and saves nothing', async () => {
    const c = await tenant();
    const before = await settingsOf(c.company.id);
    const contact = DEADLINE_ANSWER.hours(1, 168);
    const inspection = DEADLINE_ANSWER.hours(1, 720);
    const refusals: [unknown, unknown, Record<string, string>][] = [
      [0, 72, { contactHours: contact }],
      [169, 72, { contactHours: contact }],
      ['abc', 72, { contactHours: contact }],
      [1.5, 72, { contactHours: contact }],
      ['1.5', 72, { contactHours: contact }],
      ['', 72, { contactHours: contact }],
      [24, 0, { inspectionHours: inspection }],
      [24, 721, { inspectionHours: inspection }],
      [24, 'abc', { inspectionHours: inspection }],
      [24, 1.5, { inspectionHours: inspection }],
      [0, 721, { contactHours: contact, inspectionHours: inspection }],
      [undefined, undefined, { contactHours: contact, inspectionHours: inspection }],
    ];
    for (const [contactHours, inspectionHours, fieldErrors] of refusals) {
      const r = await save(c.adminActor, { contactHours, inspectionHours });
      expect(r.ok, JSON.stringify([contactHours, inspectionHours])).toBe(false);
      expect(r.fieldErrors).toEqual(fieldErrors);
    }
    expect(await settingsOf(c.company.id)).toEqual(before);
    expect(await auditOf(c.company.id)).toEqual([]);
  });

  it('takes the limits themselves, as numbers or as a form posts them (text)', async () => {
    const c = await tenant();
    for (const [contactHours, inspectionHours] of [
      [1, 1],
      ['168', '720'],
      [' 24 ', '72'],
    ] as const) {
      const r = await save(c.adminActor, { contactHours, inspectionHours });
      expect(r.ok).toBe(true);
      const s = await settingsOf(c.company.id);
      expect([s!.contactHours, s!.inspectionHours]).toEqual([
        Number(contactHours),
        Number(inspectionHours),
      ]);
    }
  });
});

describe('Gem frister re-dates the open cases', () => {
  it('moves the running clocks of drafts, Ny and I gang; nothing else', async () => {
    const c = await tenant();
    const other = await tenant();
    const work = new Date(Date.now() + 30 * H);
    const ids = {
      draft: await makeCase(c, { hoursAgo: 30 }),
      fresh: await makeCase(c, { hoursAgo: 1, workDueAt: work }),
      approved: await makeCase(c, { status: 'new', hoursAgo: 50 }),
      contacted: await makeCase(c, { status: 'in_progress', contactStopped: true }),
      bothStopped: await makeCase(c, {
        status: 'in_progress',
        contactStopped: true,
        inspectionStopped: true,
      }),
      rejected: await makeCase(c, { status: 'rejected' }),
      closed: await makeCase(c, { status: 'closed', contactStopped: true }),
      scalepointClosed: await makeCase(c, { scalepointClosed: true }),
      scalepointClosedOrder: await makeCase(c, { status: 'in_progress', scalepointClosed: true }),
      manual: await makeCase(c, { clocks: false }),
      manualOrder: await makeCase(c, { status: 'new', clocks: false }),
      otherCompany: await makeCase(other),
    };
    const before = Object.fromEntries(
      await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, await clocksOf(id)])),
    ) as Record<keyof typeof ids, Awaited<ReturnType<typeof clocksOf>>>;

    const r = await save(c.adminActor, { contactHours: 2, inspectionHours: 100 });
    expect(r).toEqual({ ok: true, message: DEADLINE_ANSWER.saved(4) });

    expect(await hoursOf(ids.draft)).toEqual([2, 100]);
    expect(await hoursOf(ids.fresh)).toEqual([2, 100]);
    expect(await hoursOf(ids.approved)).toEqual([2, 100]);
    // A stopped clock keeps the deadline it was judged by; the running one moves.
    expect(await hoursOf(ids.contacted)).toEqual([24, 100]);
    // The work's deadline is the event's, not the Frister's.
    expect((await clocksOf(ids.fresh)).workDueAt).toEqual(work);
    // Frist (deadline_at) follows: the earliest open deadline, now Oprettet + 2 hours.
    const draft = await clocksOf(ids.draft);
    expect(draft.deadlineAt).toEqual(new Date(draft.createdAt.getTime() + 2 * H));
    expect((await clocksOf(ids.contacted)).deadlineAt).toEqual(
      new Date((await clocksOf(ids.contacted)).createdAt.getTime() + 100 * H),
    );
    for (const k of [
      'bothStopped',
      'rejected',
      'closed',
      'scalepointClosed',
      'scalepointClosedOrder',
      'manual',
      'manualOrder',
      'otherCompany',
    ] as const)
      expect(await clocksOf(ids[k]), k).toEqual(before[k]);

    const s = await settingsOf(c.company.id);
    expect(s).toMatchObject({
      contactHours: 2,
      inspectionHours: 100,
      deadlinesGeneration: 1,
      deadlinesApplied: 1,
    });
    expect((await settingsOf(other.company.id))!.contactHours).toBe(24);
    expect(await auditOf(c.company.id)).toEqual([
      {
        action: 'scalepoint.deadlines_saved',
        actorUserId: c.admin.id,
        details: {
          changes: {
            contactHours: { from: 24, to: 2 },
            inspectionHours: { from: 72, to: 100 },
          },
        },
      },
    ]);
    const settings = await inCompany(t.db, c.company.id, (tx) => getSettings(tx, c.company.id));
    expect(settings).toMatchObject({ contactHours: 2, inspectionHours: 100, enabled: false });
  });

  it('re-dates a draft as the intake made it, clocks and all', async () => {
    const c = await activeCompany(t.db);
    const res = await handleClaimDelivery(db, signedRequest(c.account, exampleClaim()));
    expect(res.status).toBe(201);
    const id = res.body.orderId as string;
    expect(await hoursOf(id)).toEqual([24, 72]);
    const r = await saveDeadlines(db, c.adminActor, { contactHours: 10, inspectionHours: 20 });
    expect(r.message).toBe(DEADLINE_ANSWER.saved(1));
    expect(await hoursOf(id)).toEqual([10, 20]);
  });

  it('two saves in a row end with the second’s hours; an unchanged save bumps nothing', async () => {
    const c = await tenant();
    const ids = [await makeCase(c), await makeCase(c, { status: 'in_progress', hoursAgo: 80 })];
    expect((await save(c.adminActor, { contactHours: 2, inspectionHours: 100 })).ok).toBe(true);
    const second = await save(c.adminActor, { contactHours: '5', inspectionHours: '50' });
    expect(second.message).toBe(DEADLINE_ANSWER.saved(2));
    for (const id of ids) expect(await hoursOf(id)).toEqual([5, 50]);
    expect(await settingsOf(c.company.id)).toMatchObject({
      contactHours: 5,
      inspectionHours: 50,
      deadlinesGeneration: 2,
      deadlinesApplied: 2,
    });

    const same = await save(c.adminActor, { contactHours: 5, inspectionHours: 50 });
    expect(same).toEqual({ ok: true, message: DEADLINE_ANSWER.saved(0) });
    expect(await settingsOf(c.company.id)).toMatchObject({
      deadlinesGeneration: 2,
      deadlinesApplied: 2,
    });
    // One change only: the audit row names that one.
    await save(c.adminActor, { contactHours: 5, inspectionHours: 60 });
    expect((await auditOf(c.company.id)).map((a) => a.details)).toEqual([
      { changes: { contactHours: { from: 24, to: 2 }, inspectionHours: { from: 72, to: 100 } } },
      { changes: { contactHours: { from: 2, to: 5 }, inspectionHours: { from: 100, to: 50 } } },
      { changes: {} },
      { changes: { inspectionHours: { from: 50, to: 60 } } },
    ]);
  });

  it('saves for a company with no settings row yet, from the defaults', async () => {
    const c = await tenant();
    await t.db.delete(scalepointSettings).where(eq(scalepointSettings.companyId, c.company.id));
    expect(
      await inCompany(t.db, c.company.id, (tx) => getSettings(tx, c.company.id)),
    ).toMatchObject({ contactHours: 24, inspectionHours: 72, enabled: false });
    const r = await save(c.adminActor, { contactHours: 12, inspectionHours: 72 });
    expect(r).toEqual({ ok: true, message: DEADLINE_ANSWER.saved(0) });
    expect(await settingsOf(c.company.id)).toMatchObject({
      enabled: false,
      contactHours: 12,
      inspectionHours: 72,
      deadlinesGeneration: 1,
      deadlinesApplied: 1,
    });
    expect((await auditOf(c.company.id)).map((a) => a.details)).toEqual([
      { changes: { contactHours: { from: 24, to: 12 } } },
    ]);
  });

  it(`walks every open case in chunks of ${REDATE_CHUNK}, ties in Oprettet included`, async () => {
    const c = await tenant();
    const drafts = REDATE_CHUNK + 500;
    const approved = REDATE_CHUNK + 1;
    // Many cases share one Oprettet: the cursor goes by (created_at, id).
    await t.db.execute(sql`
      insert into orders (company_id, status, order_number, order_type_id, order_type_name, heading, customer_id, customer_name,
                          source, created_at, contact_due_at, inspection_due_at)
      select ${c.company.id}, case when g <= ${drafts} then 'draft' else 'in_progress' end,
             case when g <= ${drafts} then null else g end,
             ${c.types[0].id}, ${c.types[0].name}, 'Sag ' || g, ${c.customer.id}, ${c.customer.name}, 'scalepoint', at, at + interval '24 hours', at + interval '72 hours'
      from generate_series(1, ${drafts + approved}) g, lateral (select now() - make_interval(mins => g % 7) as at) x`);
    const r = await save(c.adminActor, { contactHours: 3, inspectionHours: 30 });
    expect(r.message).toBe(DEADLINE_ANSWER.saved(drafts + approved));
    const [left] = rowsOf<{ n: number }>(
      await t.db
        .execute(sql`select count(*)::int as n from orders where company_id = ${c.company.id}
        and (contact_due_at <> created_at + interval '3 hours' or inspection_due_at <> created_at + interval '30 hours')`),
    );
    expect(left!.n).toBe(0);
  });
});

describe('a re-date cut short', () => {
  it('is finished by finishPendingRedates; the sweep then finds nothing', async () => {
    const c = await tenant();
    const other = await tenant();
    const draft = await makeCase(c);
    const order = await makeCase(c, { status: 'new' });
    const untouched = await makeCase(other);

    // A save whose process stops in its second chunk (the seam is inside the chunk's
    // transaction, so that one rolls back): the hours, the new generation and the first chunk
    // (the drafts) are committed, the orders not yet re-dated.
    let chunks = 0;
    between.chunk = async () => {
      if (++chunks === 2) throw new Error('the process stopped');
    };
    await expect(save(c.adminActor, { contactHours: 6, inspectionHours: 60 })).rejects.toThrow(
      'the process stopped',
    );
    between.chunk = null;
    expect(await hoursOf(draft)).toEqual([6, 60]);
    expect(await hoursOf(order)).toEqual([24, 72]);
    expect(await settingsOf(c.company.id)).toMatchObject({
      contactHours: 6,
      deadlinesGeneration: 1,
      deadlinesApplied: 0,
    });

    expect(await finishPendingRedates(db)).toBe(1);
    expect(await hoursOf(order)).toEqual([6, 60]);
    expect(await hoursOf(draft)).toEqual([6, 60]);
    expect(await hoursOf(untouched)).toEqual([24, 72]);
    expect(await settingsOf(c.company.id)).toMatchObject({
      deadlinesGeneration: 1,
      deadlinesApplied: 1,
    });
    expect(await finishPendingRedates(db)).toBe(0);
  });

  it('a generation bumped with only part of its re-date run is finished too', async () => {
    const c = await tenant();
    const draft = await makeCase(c);
    const order = await makeCase(c, { status: 'in_progress' });
    // As a save's first step leaves it, then the drafts' pass alone.
    await t.db
      .update(scalepointSettings)
      .set({
        contactHours: 8,
        inspectionHours: 80,
        deadlinesGeneration: sql`${scalepointSettings.deadlinesGeneration} + 1`,
      })
      .where(eq(scalepointSettings.companyId, c.company.id));
    const part = await inCompany(t.db, c.company.id, (tx) =>
      redateChunk(tx, c.company.id, 'drafts', null),
    );
    expect(part.changed).toBe(1);
    expect(await hoursOf(order)).toEqual([24, 72]);

    expect(await finishPendingRedates(db)).toBe(1);
    expect(await hoursOf(draft)).toEqual([8, 80]);
    expect(await hoursOf(order)).toEqual([8, 80]);
    expect((await settingsOf(c.company.id))!.deadlinesApplied).toBe(1);
  });

  it('a save that comes during a re-date is not marked done by the older one', async () => {
    const c = await tenant();
    const draft = await makeCase(c);
    const order = await makeCase(c, { status: 'new' });
    // After the first save's first chunk, a second save commits its step 1 (its own re-date
    // is cut short here): the first re-date must not record the second's generation as applied.
    // (Written in the chunk's own transaction, which commits it: PGlite has one connection.)
    between.chunk = async (tx) => {
      between.chunk = null;
      await tx
        .update(scalepointSettings)
        .set({
          contactHours: 9,
          inspectionHours: 90,
          deadlinesGeneration: sql`${scalepointSettings.deadlinesGeneration} + 1`,
        })
        .where(eq(scalepointSettings.companyId, c.company.id));
    };
    const r = await save(c.adminActor, { contactHours: 4, inspectionHours: 40 });
    expect(r.ok).toBe(true);
    expect(await settingsOf(c.company.id)).toMatchObject({
      contactHours: 9,
      deadlinesGeneration: 2,
      deadlinesApplied: 0,
    });
    // The orders' pass already read the second save's hours; the drafts' chunk came before it.
    expect(await hoursOf(draft)).toEqual([4, 40]);
    expect(await hoursOf(order)).toEqual([9, 90]);

    expect(await finishPendingRedates(db)).toBe(1);
    expect(await hoursOf(draft)).toEqual([9, 90]);
    expect((await settingsOf(c.company.id))!.deadlinesApplied).toBe(2);
  });

  it('redateCompany on its own re-dates and records the generation it read', async () => {
    const c = await tenant();
    const draft = await makeCase(c, { hours: [5, 5] });
    expect(await redateCompany(db, c.company.id)).toBe(1);
    expect(await hoursOf(draft)).toEqual([24, 72]);
    expect(await redateCompany(db, c.company.id)).toBe(0);
  });
});

describe('who may save', () => {
  it('a member, support and nobody are refused (not found); nothing changes', async () => {
    const c = await tenant();
    const draft = await makeCase(c);
    const support = await loadActor(t.db, (await makeSupport(t.db)).id);
    for (const actor of [c.memberActor, support, null])
      await expect(save(actor, { contactHours: 2, inspectionHours: 100 })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    expect(await settingsOf(c.company.id)).toMatchObject({
      contactHours: 24,
      inspectionHours: 72,
      deadlinesGeneration: 0,
    });
    expect(await hoursOf(draft)).toEqual([24, 72]);
    expect(await auditOf(c.company.id)).toEqual([]);
  });

  it('an admin saves only their own company', async () => {
    const c = await tenant();
    const other = await tenant();
    const theirs = await makeCase(other);
    expect((await save(c.adminActor, { contactHours: 2, inspectionHours: 100 })).ok).toBe(true);
    expect(await hoursOf(theirs)).toEqual([24, 72]);
    expect((await settingsOf(other.company.id))!.contactHours).toBe(24);
  });
});
