import { and, eq, or } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers, orders, orderTypes } from '@/db/schema/index';
import { REFUSAL, type ActionResult } from '@/lib/action-result';
import { createCustomerWithNextNumber, customerSummary } from '@/lib/customers/numbering';
import { companyAction } from '@/lib/door';
import { nameKey } from '@/lib/name-key';
import {
  approveSchema,
  draftEditSchema,
  rejectSchema,
  restoreSchema,
  type DraftEdit,
} from './draft-schema';
import { lockOrder } from './lock';
import { nextOrderNumber } from './numbering';
import { isApproved } from './status';
import { writeStep } from './steps';
import { enqueueStep } from '@/lib/scalepoint/outbound/outbox';
import { resumeClocks } from '@/lib/scalepoint/deadlines/clocks';

/**
 * Working a draft (docs/drafts.md): edit, approve into a numbered order, reject with a reason,
 * restore. Admins and members; each action locks the order row, checks its status, changes it
 * and writes its step (Godkend, Afvis, Gendan: lib/orders/steps.ts) and its audit row in one
 * transaction; an idempotent repeat writes neither. Another company's order is not found (404).
 */

const WORKERS = ['admin', 'member'] as const;

const blank = (v: string) => (v === '' ? null : v);

/** The customer the edit names: an existing one of this company, or a new one (next number or a free typed one). */
async function customerOf(
  tx: Db,
  companyId: string,
  input: DraftEdit,
): Promise<
  | { ok: true; customer: { id: string; name: string }; created: boolean }
  | { ok: false; fieldErrors: Record<string, string> }
> {
  if (input.customerMode === 'existing') {
    const [customer] = await tx
      .select({ id: customers.id, name: customers.name })
      .from(customers)
      .where(and(eq(customers.companyId, companyId), eq(customers.id, input.customerId)));
    return customer
      ? { ok: true, customer, created: false }
      : { ok: false, fieldErrors: { customerId: 'Kunden findes ikke. Vælg en anden kunde.' } };
  }
  const n = input.newCustomer;
  const i = input.installation;
  const address = n.addressFromInstallation
    ? {
        street: blank(i.street),
        houseNumber: blank(i.houseNumber),
        floor: blank(i.floor),
        postalCode: blank(i.postalCode),
        city: blank(i.city),
      }
    : {};
  const fields = { name: n.name, phone: blank(n.phone), email: blank(n.email), ...address };
  if (!n.customerNumber) {
    const created = await createCustomerWithNextNumber(tx, companyId, fields);
    return { ok: true, customer: { id: created.id, name: created.name }, created: true };
  }
  const [created] = await tx
    .insert(customers)
    .values({ companyId, customerNumber: n.customerNumber, nameKey: nameKey(n.name), ...fields })
    .onConflictDoNothing({ target: [customers.companyId, customers.customerNumber] })
    .returning(customerSummary);
  if (!created)
    return {
      ok: false,
      fieldErrors: {
        'newCustomer.customerNumber': `Kundenummer ${n.customerNumber} er optaget. Vælg et andet, eller lad feltet stå tomt.`,
      },
    };
  return { ok: true, customer: { id: created.id, name: created.name }, created: true };
}

/** Rediger → Gem ændringer. Nothing is written unless every check passes. */
export const saveDraft = companyAction(
  { name: 'orders.saveDraft', roles: WORKERS, input: draftEditSchema },
  async ({ tx, actor, companyId, input, audit }) => {
    const order = await lockOrder(tx, companyId, input.orderId, 'orders.saveDraft', actor);
    if (order.status !== 'draft') return { ok: false, message: 'Kun en kladde kan redigeres.' };

    const [type] = await tx
      .select({ id: orderTypes.id, name: orderTypes.name })
      .from(orderTypes)
      // A deactivated type only where the draft already has it: it is saved unchanged (docs/people.md).
      .where(
        and(
          eq(orderTypes.companyId, companyId),
          eq(orderTypes.id, input.orderTypeId),
          or(eq(orderTypes.active, true), eq(orderTypes.id, order.orderTypeId)),
        ),
      );
    if (!type)
      return {
        ok: false,
        message: REFUSAL.invalid,
        fieldErrors: { orderTypeId: 'Ordretypen findes ikke eller er deaktiveret. Vælg en anden.' },
      };

    const picked = await customerOf(tx, companyId, input);
    if (!picked.ok) return { ok: false, message: REFUSAL.invalid, fieldErrors: picked.fieldErrors };
    const customerChanged = picked.customer.id !== order.customerId;

    // The installation address is kept only when it differs from the customer's (docs/drafts.md).
    const i =
      input.customerMode === 'new' && input.newCustomer.addressFromInstallation
        ? { street: '', houseNumber: '', floor: '', postalCode: '', city: '' }
        : input.installation;
    await tx
      .update(orders)
      .set({
        heading: input.heading,
        requisitionNumber: blank(input.requisitionNumber),
        orderTypeId: type.id,
        orderTypeName: type.name,
        workDescription: blank(input.workDescription),
        installationStreet: blank(i.street),
        installationHouseNumber: blank(i.houseNumber),
        installationFloor: blank(i.floor),
        installationPostalCode: blank(i.postalCode),
        installationCity: blank(i.city),
        customerId: picked.customer.id,
        customerName: picked.customer.name,
        // Choosing a customer answers the missing policyholder.
        ...(customerChanged ? { missingPolicyholder: false } : {}),
      })
      .where(and(eq(orders.companyId, companyId), eq(orders.id, order.id)));
    await audit('order.edit', {
      orderId: order.id,
      customerId: picked.customer.id,
      ...(customerChanged ? { customerChanged: true } : {}),
      ...(picked.created ? { customerCreated: true } : {}),
    });
    return { ok: true, message: 'Ændringerne er gemt.' };
  },
);

export type ApproveResult = { orderNumber?: number };

/**
 * Godkend: the draft becomes order number N (status Ny). Idempotent: a second approval (double
 * click, a second tab, a colleague) finds the row already approved after waiting on its lock and
 * answers with the same number.
 */
export const approveDraft = companyAction(
  { name: 'orders.approve', roles: WORKERS, input: approveSchema },
  async ({ tx, actor, companyId, input, now, audit }): Promise<ActionResult<ApproveResult>> => {
    const order = await lockOrder(tx, companyId, input.orderId, 'orders.approve', actor);
    // Ny, I gang or Afsluttet: already approved (a second click, a colleague) — nothing new.
    if (isApproved(order.status)) {
      return {
        ok: true,
        message: `Godkendt som ordre ${order.orderNumber}.`,
        data: { orderNumber: order.orderNumber ?? undefined },
      };
    }
    if (order.status !== 'draft')
      return { ok: false, message: 'Kladden er afvist. Gendan den, før den kan godkendes.' };
    if ((order.missingPolicyholder || order.scalepointClosedAt) && !input.confirmed) {
      return {
        ok: false,
        needsConfirmation: true,
        message: 'Kladden har en markering. Bekræft godkendelsen.',
      };
    }
    const orderNumber = await nextOrderNumber(tx, companyId);
    await tx
      .update(orders)
      .set({ status: 'new', orderNumber, approvedAt: now, approvedBy: actor.userId })
      .where(and(eq(orders.companyId, companyId), eq(orders.id, order.id)));
    const stepId = await writeStep(tx, {
      companyId,
      orderId: order.id,
      kind: 'approved',
      at: now,
      recordedBy: actor.userId,
    });
    await enqueueStep(tx, {
      companyId,
      orderId: order.id,
      stepId,
      kind: 'approved',
      at: now,
      actorName: actor.name,
      now,
    });
    await audit('order.approve', {
      orderId: order.id,
      orderNumber,
      ...(input.confirmed ? { confirmed: true } : {}),
      stepId,
    });
    return { ok: true, message: `Godkendt som ordre ${orderNumber}.`, data: { orderNumber } };
  },
);

/** Afvis kladde: status Afvist with a reason; out of the default drafts list. */
export const rejectDraft = companyAction(
  { name: 'orders.reject', roles: WORKERS, input: rejectSchema },
  async ({ tx, actor, companyId, input, now, audit }) => {
    const order = await lockOrder(tx, companyId, input.orderId, 'orders.reject', actor);
    if (order.status === 'rejected') return { ok: true, message: 'Kladden er afvist.' };
    if (order.status !== 'draft') return { ok: false, message: 'Kun en kladde kan afvises.' };
    await tx
      .update(orders)
      .set({
        status: 'rejected',
        rejectedAt: now,
        rejectedBy: actor.userId,
        rejectionReason: input.reason,
      })
      .where(and(eq(orders.companyId, companyId), eq(orders.id, order.id)));
    const stepId = await writeStep(tx, {
      companyId,
      orderId: order.id,
      kind: 'rejected',
      at: now,
      reason: input.reason,
      recordedBy: actor.userId,
    });
    await enqueueStep(tx, {
      companyId,
      orderId: order.id,
      stepId,
      kind: 'rejected',
      at: now,
      reason: input.reason,
      actorName: actor.name,
      now,
    });
    await audit('order.reject', { orderId: order.id, reason: input.reason, stepId });
    return { ok: true, message: 'Kladden er afvist.' };
  },
);

/** Gendan: a rejected draft becomes a draft again. */
export const restoreDraft = companyAction(
  { name: 'orders.restore', roles: WORKERS, input: restoreSchema },
  async ({ tx, actor, companyId, input, now, audit }) => {
    const order = await lockOrder(tx, companyId, input.orderId, 'orders.restore', actor);
    if (order.status === 'draft') return { ok: true, message: 'Kladden er gendannet.' };
    if (order.status !== 'rejected')
      return { ok: false, message: 'Kun en afvist kladde kan gendannes.' };
    await tx
      .update(orders)
      .set({ status: 'draft', rejectedAt: null, rejectedBy: null, rejectionReason: null })
      .where(and(eq(orders.companyId, companyId), eq(orders.id, order.id)));
    const stepId = await writeStep(tx, {
      companyId,
      orderId: order.id,
      kind: 'restored',
      at: now,
      recordedBy: actor.userId,
    });
    await resumeClocks(tx, { companyId, orderId: order.id });
    await audit('order.restore', { orderId: order.id, stepId });
    return { ok: true, message: 'Kladden er gendannet.' };
  },
);
