import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '@/db/client';
import { auditLog, orderSteps as stepsTable, orders } from '@/db/schema';
import { loadActor, NotFoundError, type Actor } from '@/lib/auth/actor';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { insertDraft } from '@/lib/orders/create';
import { approveDraft, rejectDraft, restoreDraft } from '@/lib/orders/draft-actions';
import { recordMilestone, reopenOrder } from '@/lib/orders/job-actions';
import { parseDanishLocal, toDanishLocal } from '@/lib/orders/job-time';
import {
  JOB_ANSWER,
  milestoneKinds,
  TIME_ERROR,
  type MilestoneKind,
} from '@/lib/orders/step-words';
import { openMilestones, orderSteps, stepsOf } from '@/lib/orders/steps';
import { inCompany } from '@/lib/tenancy';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';

/**
 * The job after Godkend (docs/drafts.md, "After Godkend: the job"): the milestones, Genåbn, the
 * steps of Godkend / Afvis / Gendan, each one row in order_steps beside its audit row, with the
 * races and bad input of the contract. On PostgreSQL when it answers (real concurrency), else PGlite.
 */

let t: TestDatabase;
let app: Database | undefined;
beforeAll(async () => {
  process.env.KLADDE_LOG = 'silent';
  t = await createTestDatabase({ max: 24 });
  app = await openAppDatabase(t, { max: 8 });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

type Tenant = Awaited<ReturnType<typeof tenant>>;

async function tenant() {
  const made = await makeCompany(t.db);
  return {
    ...made,
    adminActor: (await loadActor(t.db, made.admin.id))!,
    memberActor: (await loadActor(t.db, made.member.id))!,
  };
}

const HOUR = 3_600_000;

/** A draft of the tenant; `arrivedHoursAgo` moves its created_at (when the case arrived) back. */
async function draft(c: Tenant, arrivedHoursAgo = 48) {
  const customer = await createCustomerWithNextNumber(t.db, c.company.id, { name: 'Karen Kunde' });
  const created = await insertDraft(t.db, c.company.id, {
    orderTypeId: c.types[0].id,
    orderTypeName: c.types[0].name,
    heading: 'Utæt rør',
    customerId: customer.id,
    customerName: customer.name,
    source: 'manual',
  });
  const orderId = created!.id;
  await t.db
    .update(orders)
    .set({ createdAt: new Date(Date.now() - arrivedHoursAgo * HOUR) })
    .where(eq(orders.id, orderId));
  return orderId;
}

/** An approved order (status Ny). */
async function order(c: Tenant, arrivedHoursAgo = 48) {
  const orderId = await draft(c, arrivedHoursAgo);
  expect(await approveDraft(t.db, c.memberActor, { orderId })).toMatchObject({ ok: true });
  return orderId;
}

const row = async (id: string) => (await t.db.select().from(orders).where(eq(orders.id, id)))[0]!;
const stepRows = (orderId: string) =>
  t.db
    .select()
    .from(stepsTable)
    .where(eq(stepsTable.orderId, orderId))
    .orderBy(stepsTable.recordedAt);
const kinds = async (orderId: string) => (await stepRows(orderId)).map((s) => s.kind);
const auditOf = (orderId: string) =>
  t.db.select().from(auditLog).where(eq(auditLog.orderId, orderId)).orderBy(auditLog.createdAt);

const hoursAgo = (h: number) => toDanishLocal(new Date(Date.now() - h * HOUR));
const milestone = (orderId: string, kind: MilestoneKind, at = hoursAgo(1), note?: string) => ({
  orderId,
  kind,
  at,
  ...(note === undefined ? {} : { note }),
});

describe('the milestones', () => {
  it('each is recorded with its Tidspunkt, Bemærkning and who; Arbejde startet → I gang, Arbejde færdigt → Afsluttet', async () => {
    const c = await tenant();
    const orderId = await order(c);
    expect((await row(orderId)).status).toBe('new');

    const contacted = await recordMilestone(
      t.db,
      c.memberActor,
      milestone(orderId, 'customer_contacted', hoursAgo(30), '  Ringet op, aftalt besøg  '),
    );
    expect(contacted).toMatchObject({
      ok: true,
      message: JOB_ANSWER.recorded('customer_contacted'),
      data: { status: 'new' },
    });
    // The appointment lies ahead.
    const appointment = toDanishLocal(new Date(Date.now() + 72 * HOUR));
    expect(
      await recordMilestone(
        t.db,
        c.adminActor,
        milestone(orderId, 'inspection_scheduled', appointment, ''),
      ),
    ).toMatchObject({ ok: true, data: { status: 'new' } });
    expect(
      await recordMilestone(t.db, c.memberActor, milestone(orderId, 'work_started', hoursAgo(2))),
    ).toMatchObject({ ok: true, data: { status: 'in_progress' } });
    expect((await row(orderId)).status).toBe('in_progress');
    expect((await row(orderId)).statusRank).toBe(2);
    const done = await recordMilestone(
      t.db,
      c.memberActor,
      milestone(orderId, 'work_completed', toDanishLocal(new Date())),
    );
    expect(done).toMatchObject({
      ok: true,
      message: 'Arbejde færdigt er registreret.',
      data: { status: 'closed' },
    });
    expect(await row(orderId)).toMatchObject({ status: 'closed', statusRank: 3 });

    const steps = await orderSteps(t.db, c.memberActor, { orderId });
    expect(steps.map((s) => s.kind)).toEqual([
      'approved',
      'customer_contacted',
      'inspection_scheduled',
      'work_started',
      'work_completed',
    ]);
    expect(steps[1]).toMatchObject({
      at: parseDanishLocal(hoursAgo(30)),
      note: 'Ringet op, aftalt besøg',
      reason: null,
      recordedBy: 'Member',
    });
    expect(steps[2]).toMatchObject({
      at: parseDanishLocal(appointment),
      note: null,
      recordedBy: 'Admin',
    });
    expect(steps.every((s) => s.recordedAt instanceof Date)).toBe(true);
    expect(openMilestones('closed', steps)).toEqual([]);

    // One audit row per step, naming its step row.
    const audits = await auditOf(orderId);
    expect(audits.map((a) => a.action)).toEqual([
      'order.approve',
      'order.customer_contacted',
      'order.inspection_scheduled',
      'order.work_started',
      'order.work_completed',
    ]);
    for (const [i, a] of audits.entries()) expect(a.details.stepId).toBe(steps[i]!.id);
    expect(audits[1]!.details).toEqual({
      orderId,
      stepId: steps[1]!.id,
      at: steps[1]!.at.toISOString(),
      note: 'Ringet op, aftalt besøg',
    });
    expect(audits[1]!.actorUserId).toBe(c.member.id);

    // After Arbejde færdigt the buttons are gone: another milestone is refused, nothing stored.
    const late = await recordMilestone(
      t.db,
      c.memberActor,
      milestone(orderId, 'customer_contacted'),
    );
    expect(late).toMatchObject({
      ok: true,
      message: JOB_ANSWER.alreadyRecorded('customer_contacted'),
    });
    const moved = await recordMilestone(
      t.db,
      c.memberActor,
      milestone(orderId, 'inspection_scheduled', appointment.replace(/T\d\d/, 'T07')),
    );
    expect(moved).toEqual({ ok: false, message: JOB_ANSWER.closed });
    expect(await stepRows(orderId)).toHaveLength(5);
  });

  it('may be skipped: Arbejde færdigt straight from Ny closes the order', async () => {
    const c = await tenant();
    const orderId = await order(c);
    expect(openMilestones('new', await stepsOf(t.db, c.company.id, orderId))).toEqual([
      ...milestoneKinds,
    ]);
    expect(
      await recordMilestone(t.db, c.adminActor, milestone(orderId, 'work_completed')),
    ).toMatchObject({ ok: true, data: { status: 'closed' } });
    expect(await kinds(orderId)).toEqual(['approved', 'work_completed']);
    // Arbejde startet after the fact is refused on an Afsluttet order.
    expect(
      await recordMilestone(t.db, c.adminActor, milestone(orderId, 'work_started')),
    ).toMatchObject({ ok: false, message: JOB_ANSWER.closed });
  });

  it('on a draft or a rejected draft is refused, and nothing is stored', async () => {
    const c = await tenant();
    const drafted = await draft(c);
    const rejected = await draft(c);
    await rejectDraft(t.db, c.adminActor, { orderId: rejected, reason: 'Dublet' });
    for (const orderId of [drafted, rejected])
      for (const kind of milestoneKinds) {
        const at = kind === 'inspection_scheduled' ? hoursAgo(-24) : hoursAgo(1);
        expect(await recordMilestone(t.db, c.memberActor, milestone(orderId, kind, at))).toEqual({
          ok: false,
          message: JOB_ANSWER.notApproved,
        });
      }
    expect(await kinds(drafted)).toEqual([]);
    expect(await kinds(rejected)).toEqual(['rejected']);
    expect((await row(drafted)).status).toBe('draft');
    expect((await row(rejected)).status).toBe('rejected');
  });
});

describe('at most once', () => {
  it('a double submit records one step; the second answers ok and stores nothing', async () => {
    const c = await tenant();
    const orderId = await order(c);
    const input = milestone(orderId, 'customer_contacted', hoursAgo(1), 'Ringet');
    const first = await recordMilestone(t.db, c.memberActor, input);
    const second = await recordMilestone(t.db, c.memberActor, input);
    expect(first).toMatchObject({ ok: true });
    expect(second).toEqual({
      ok: true,
      message: 'Kunde kontaktet er allerede registreret.',
      data: { stepId: first.data!.stepId, status: 'new' },
    });
    // Another Tidspunkt is a repeat too: the milestone happened once.
    expect(
      await recordMilestone(
        t.db,
        c.adminActor,
        milestone(orderId, 'customer_contacted', hoursAgo(3)),
      ),
    ).toMatchObject({ ok: true, message: JOB_ANSWER.alreadyRecorded('customer_contacted') });
    expect(await kinds(orderId)).toEqual(['approved', 'customer_contacted']);
    expect((await auditOf(orderId)).map((a) => a.action)).toEqual([
      'order.approve',
      'order.customer_contacted',
    ]);
  });

  it('two people at once (and ten clicks at once) record one step, one status change, one audit row', async () => {
    const c = await tenant();
    for (const kind of ['work_started', 'work_completed', 'customer_contacted'] as const) {
      const orderId = await order(c);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          recordMilestone(
            t.db,
            i % 2 ? c.adminActor : c.memberActor,
            milestone(orderId, kind, hoursAgo(1 + (i % 3))),
          ),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const ids = new Set(results.map((r) => r.data?.stepId));
      expect(ids.size).toBe(1);
      expect(await kinds(orderId)).toEqual(['approved', kind]);
      expect((await auditOf(orderId)).filter((a) => a.action === `order.${kind}`)).toHaveLength(1);
      expect((await row(orderId)).status).toBe(
        kind === 'work_started' ? 'in_progress' : kind === 'work_completed' ? 'closed' : 'new',
      );
    }
  });

  it('Besigtigelse aftalt can be recorded again to move the appointment; the same one twice is one', async () => {
    const c = await tenant();
    const orderId = await order(c);
    const first = toDanishLocal(new Date(Date.now() + 24 * HOUR));
    const later = toDanishLocal(new Date(Date.now() + 96 * HOUR));
    expect(
      await recordMilestone(t.db, c.memberActor, milestone(orderId, 'inspection_scheduled', first)),
    ).toMatchObject({ ok: true, message: 'Besigtigelse aftalt er registreret.' });
    // A double click of the same appointment.
    expect(
      await recordMilestone(t.db, c.memberActor, milestone(orderId, 'inspection_scheduled', first)),
    ).toMatchObject({ ok: true, message: JOB_ANSWER.alreadyRecorded('inspection_scheduled') });
    expect(
      await recordMilestone(
        t.db,
        c.adminActor,
        milestone(orderId, 'inspection_scheduled', later, 'Kunden bad om torsdag'),
      ),
    ).toMatchObject({ ok: true, message: JOB_ANSWER.inspectionMoved });
    const steps = await orderSteps(t.db, c.adminActor, { orderId });
    expect(steps.map((s) => [s.kind, s.at])).toEqual([
      ['approved', expect.any(Date)],
      ['inspection_scheduled', parseDanishLocal(first)],
      ['inspection_scheduled', parseDanishLocal(later)],
    ]);
    expect(openMilestones('new', steps)).toEqual([...milestoneKinds]);
    expect(
      (await auditOf(orderId)).filter((a) => a.action === 'order.inspection_scheduled'),
    ).toHaveLength(2);
  });
});

describe('a Tidspunkt that cannot be taken', () => {
  it('is a Danish field error at `at`; nothing is stored and the status stays', async () => {
    const c = await tenant();
    const orderId = await order(c, 5);
    const arrived = (await row(orderId)).createdAt;
    const cases: [MilestoneKind, string, string | RegExp][] = [
      ['work_started', '', TIME_ERROR.missing],
      ['inspection_scheduled', '   ', TIME_ERROR.missing],
      ['customer_contacted', 'i går ved 10-tiden', TIME_ERROR.unreadable],
      ['work_started', '2026-02-30T10:00', TIME_ERROR.unreadable],
      ['work_started', '2030-03-31T02:30', TIME_ERROR.nonexistent],
      ['work_started', toDanishLocal(new Date(Date.now() + 15 * 60_000)), TIME_ERROR.tooFarAhead],
      ['work_completed', toDanishLocal(new Date(Date.now() + 24 * HOUR)), TIME_ERROR.tooFarAhead],
      ['customer_contacted', hoursAgo(6), /^Tidspunktet ligger før sagen kom ind \(.+\)\.$/],
      ['inspection_scheduled', hoursAgo(6), /^Tidspunktet ligger før sagen kom ind/],
      [
        'inspection_scheduled',
        toDanishLocal(new Date(Date.now() + 3 * 365 * 24 * HOUR)),
        TIME_ERROR.inspectionTooFarAhead,
      ],
    ];
    for (const [kind, at, error] of cases) {
      const r = await recordMilestone(t.db, c.memberActor, milestone(orderId, kind, at));
      expect(r.ok, `${kind} ${at}`).toBe(false);
      expect(r.fieldErrors?.at, `${kind} ${at}`).toMatch(error);
    }
    // The input's schema: a Bemærkning too long, a Tidspunkt that is no text.
    const long = await recordMilestone(
      t.db,
      c.memberActor,
      milestone(orderId, 'customer_contacted', hoursAgo(1), 'x'.repeat(1001)),
    );
    expect(long.fieldErrors?.note).toBe('Bemærkningen må højst være 1.000 tegn.');
    const odd = await recordMilestone(t.db, c.memberActor, {
      orderId,
      kind: 'work_started',
      at: 7,
    });
    expect(odd.fieldErrors?.at).toBeTruthy();
    expect(
      (await recordMilestone(t.db, c.memberActor, { orderId, kind: 'approved', at: hoursAgo(1) }))
        .fieldErrors?.kind,
    ).toBeTruthy();
    expect(await kinds(orderId)).toEqual(['approved']);
    expect(await row(orderId)).toMatchObject({ status: 'new', createdAt: arrived });
    expect((await auditOf(orderId)).map((a) => a.action)).toEqual(['order.approve']);
    // The minute the case arrived is not before it.
    expect(
      await recordMilestone(
        t.db,
        c.memberActor,
        milestone(orderId, 'customer_contacted', toDanishLocal(arrived)),
      ),
    ).toMatchObject({ ok: true });
  });
});

describe('Genåbn', () => {
  it('an admin takes an Afsluttet order back to I gang; Arbejde færdigt can then be recorded again; a member is refused', async () => {
    const c = await tenant();
    const orderId = await order(c);
    await recordMilestone(t.db, c.memberActor, milestone(orderId, 'customer_contacted'));
    await recordMilestone(t.db, c.memberActor, milestone(orderId, 'work_completed'));
    expect((await row(orderId)).status).toBe('closed');

    await expect(reopenOrder(t.db, c.memberActor, { orderId })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await row(orderId)).status).toBe('closed');

    const [a, b] = await Promise.all([
      reopenOrder(t.db, c.adminActor, { orderId }),
      reopenOrder(t.db, c.adminActor, { orderId }),
    ]);
    expect(a).toMatchObject({
      ok: true,
      message: JOB_ANSWER.reopened,
      data: { status: 'in_progress' },
    });
    expect(b).toMatchObject({ ok: true, data: { stepId: a.data!.stepId } });
    expect(await row(orderId)).toMatchObject({ status: 'in_progress', statusRank: 2 });
    expect(await kinds(orderId)).toEqual([
      'approved',
      'customer_contacted',
      'work_completed',
      'reopened',
    ]);
    expect((await auditOf(orderId)).filter((x) => x.action === 'order.reopen')).toHaveLength(1);

    // A new round: every button again, Arbejde færdigt closes it once more.
    expect(openMilestones('in_progress', await stepsOf(t.db, c.company.id, orderId))).toEqual([
      ...milestoneKinds,
    ]);
    expect(
      await recordMilestone(t.db, c.memberActor, milestone(orderId, 'work_completed')),
    ).toMatchObject({ ok: true, data: { status: 'closed' } });
    expect((await kinds(orderId)).filter((k) => k === 'work_completed')).toHaveLength(2);
  });

  it('is only for an Afsluttet order', async () => {
    const c = await tenant();
    const fresh = await order(c);
    const drafted = await draft(c);
    for (const orderId of [fresh, drafted])
      expect(await reopenOrder(t.db, c.adminActor, { orderId })).toEqual({
        ok: false,
        message: JOB_ANSWER.reopenOnlyClosed,
      });
    expect(await kinds(fresh)).toEqual(['approved']);
  });
});

describe("another company's order", () => {
  it('is not found (404) for the milestones and Genåbn; its steps are none; support and no one are refused', async () => {
    const a = await tenant();
    const b = await tenant();
    const orderId = await order(a);
    await recordMilestone(t.db, a.memberActor, milestone(orderId, 'work_completed'));
    const support = await loadActor(t.db, (await makeSupport(t.db)).id);
    for (const actor of [b.adminActor, b.memberActor, support, null] as (Actor | null)[]) {
      await expect(
        recordMilestone(t.db, actor, milestone(orderId, 'customer_contacted')),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(reopenOrder(t.db, actor, { orderId })).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await orderSteps(t.db, b.adminActor, { orderId })).toEqual([]);
    expect(await orderSteps(t.db, b.memberActor, { orderId })).toEqual([]);
    for (const actor of [support, null])
      await expect(orderSteps(t.db, actor, { orderId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(orderSteps(t.db, a.adminActor, { orderId: 'not-a-uuid' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // Even inside b's transaction the rows are not there (row-level security as kladde_app).
    expect(await inCompany(t.db, b.company.id, (tx) => stepsOf(tx, b.company.id, orderId))).toEqual(
      [],
    );
    expect(await inCompany(t.db, b.company.id, (tx) => stepsOf(tx, a.company.id, orderId))).toEqual(
      [],
    );
    expect(await kinds(orderId)).toEqual(['approved', 'work_completed']);
    expect((await row(orderId)).status).toBe('closed');
  });
});

describe('Godkend, Afvis and Gendan', () => {
  it('each writes its step once: an idempotent repeat writes none; Afvis keeps its Begrundelse', async () => {
    const c = await tenant();
    const orderId = await draft(c);
    await rejectDraft(t.db, c.memberActor, { orderId, reason: 'Forkert adresse' });
    await rejectDraft(t.db, c.memberActor, { orderId, reason: 'Forkert adresse' });
    await restoreDraft(t.db, c.adminActor, { orderId });
    await restoreDraft(t.db, c.adminActor, { orderId });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => approveDraft(t.db, c.memberActor, { orderId })),
    );
    expect(results.every((r) => r.ok && r.data?.orderNumber === 1)).toBe(true);
    // Approved, then I gang and Afsluttet: Godkend again still answers the number, writes nothing.
    await recordMilestone(t.db, c.memberActor, milestone(orderId, 'work_started'));
    expect(await approveDraft(t.db, c.memberActor, { orderId })).toMatchObject({
      ok: true,
      data: { orderNumber: 1 },
    });
    await recordMilestone(t.db, c.memberActor, milestone(orderId, 'work_completed'));
    expect(await approveDraft(t.db, c.memberActor, { orderId })).toMatchObject({
      ok: true,
      data: { orderNumber: 1 },
    });

    const steps = await orderSteps(t.db, c.memberActor, { orderId });
    expect(steps.map((s) => [s.kind, s.reason, s.recordedBy])).toEqual([
      ['rejected', 'Forkert adresse', 'Member'],
      ['restored', null, 'Admin'],
      ['approved', null, 'Member'],
      ['work_started', null, 'Member'],
      ['work_completed', null, 'Member'],
    ]);
    const o = await row(orderId);
    expect(steps[2]!.at).toEqual(o.approvedAt);
    const audits = await auditOf(orderId);
    expect(audits.map((a) => [a.action, a.details.stepId])).toEqual(
      steps.map((s) => [
        {
          rejected: 'order.reject',
          restored: 'order.restore',
          approved: 'order.approve',
          work_started: 'order.work_started',
          work_completed: 'order.work_completed',
        }[s.kind as string],
        s.id,
      ]),
    );
  });

  it('the step and its audit row are in one transaction: when the audit fails, neither lands', async () => {
    const c = await tenant();
    const orderId = await order(c);
    await t.db.execute(
      sql.raw(
        `alter table audit_log add constraint test_no_start check (action <> 'order.work_started' or company_id <> '${c.company.id}')`,
      ),
    );
    try {
      await expect(
        recordMilestone(t.db, c.adminActor, milestone(orderId, 'work_started')),
      ).rejects.toThrow();
    } finally {
      await t.db.execute(sql`alter table audit_log drop constraint test_no_start`);
    }
    expect(await kinds(orderId)).toEqual(['approved']);
    expect((await row(orderId)).status).toBe('new');
  });
});

describe('the database', () => {
  it('ranks the statuses in the job’s order and ties the order number to Ny, I gang and Afsluttet', async () => {
    const c = await tenant();
    const drafted = await draft(c);
    const fresh = await order(c);
    const started = await order(c);
    await recordMilestone(t.db, c.memberActor, milestone(started, 'work_started'));
    const closed = await order(c);
    await recordMilestone(t.db, c.memberActor, milestone(closed, 'work_completed'));
    const ranks = await t.db
      .select({ id: orders.id, status: orders.status, rank: orders.statusRank })
      .from(orders)
      .where(eq(orders.companyId, c.company.id))
      .orderBy(orders.statusRank, orders.id);
    expect(ranks.map((r) => [r.id, r.status, r.rank])).toEqual([
      [drafted, 'draft', 0],
      [fresh, 'new', 1],
      [started, 'in_progress', 2],
      [closed, 'closed', 3],
    ]);
    // I gang without a number, or a draft with one, is refused by the CHECK.
    await expect(
      t.db.update(orders).set({ status: 'in_progress' }).where(eq(orders.id, drafted)),
    ).rejects.toThrow();
    await expect(
      t.db.execute(sql`update orders set status = 'started' where id = ${fresh}`),
    ).rejects.toThrow();
    await expect(
      t.db.execute(
        sql`insert into order_steps (company_id, order_id, kind, at) values (${c.company.id}, ${fresh}, 'invoiced', now())`,
      ),
    ).rejects.toThrow();
    await expect(
      t.db.execute(
        sql`insert into order_steps (company_id, order_id, kind, at, note) values (${c.company.id}, ${fresh}, 'customer_contacted', now(), ${'x'.repeat(1001)})`,
      ),
    ).rejects.toThrow();
  });

  it('kladde_app may read and add steps of its company only, and never change or delete one', async () => {
    const c = await tenant();
    const other = await tenant();
    const orderId = await order(c);
    const asApp = async <T>(companyId: string, fn: (tx: Db) => Promise<T>) =>
      inCompany(t.db, companyId, fn);
    expect(
      await asApp(
        c.company.id,
        async (tx) =>
          (await tx.select().from(stepsTable).where(eq(stepsTable.orderId, orderId))).length,
      ),
    ).toBe(1);
    for (const statement of [
      sql`update order_steps set note = 'x' where order_id = ${orderId}`,
      sql`delete from order_steps where order_id = ${orderId}`,
    ])
      await expect(asApp(c.company.id, (tx) => tx.execute(statement))).rejects.toThrow();
    await expect(
      asApp(other.company.id, (tx) =>
        tx.execute(
          sql`insert into order_steps (company_id, order_id, kind, at) values (${c.company.id}, ${orderId}, 'customer_contacted', now())`,
        ),
      ),
    ).rejects.toThrow();
    expect(await kinds(orderId)).toEqual(['approved']);
  });

  it('the actions go through their door on the app’s default pool (PostgreSQL)', async (ctx) => {
    if (!app) ctx.skip();
    const c = await tenant();
    const orderId = await order(c);
    expect(
      await recordMilestone(app!.db, c.memberActor, milestone(orderId, 'work_started')),
    ).toMatchObject({ ok: true });
    expect(
      await recordMilestone(app!.db, c.memberActor, milestone(orderId, 'work_completed')),
    ).toMatchObject({ ok: true });
    expect(await reopenOrder(app!.db, c.adminActor, { orderId })).toMatchObject({ ok: true });
    expect((await orderSteps(app!.db, c.memberActor, { orderId })).map((s) => s.kind)).toEqual([
      'approved',
      'work_started',
      'work_completed',
      'reopened',
    ]);
    const [n] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.companyId, c.company.id), eq(auditLog.orderId, orderId)));
    expect(n!.n).toBe(4);
  });
});
