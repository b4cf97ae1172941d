import { and, eq } from 'drizzle-orm';
import { lockCase } from '@/lib/locks';
import type { Db } from '@/db/client';
import { orders } from '@/db/schema';
import { appendNote, insertDraft } from '@/lib/orders/create';
import { recordAndApplyDelivery, type Decided, type DeliveryInput } from '../apply-delivery';
import { issuesOf } from '../claim';
import { draftHeading } from '../mapping';
import { resolveInsurerCustomer } from '../resolve-customer';
import { getSettings } from '../settings';
import { caseClosure, claimUpdatedSchema, repairServiceDraft, repairServiceRequestedSchema } from './event-content';
import type { ApplyEvent } from './poller';
import type { ScalepointEvent } from './receive';

/**
 * What an Events API event becomes (docs/events-api.md, "Events"), through the same intake core
 * as a direct delivery: one delivery log (channel 'events', the event id as the delivery id),
 * one customer resolution, one draft per case number whichever channel brings it first.
 *
 *  - repair_service_requested: a draft, the insurer as customer (matched or created as with
 *    Forsikringsselskab); with Kunde = Forsikringstager the draft is marked Mangler
 *    forsikringstager. A second one for a known case is a duplicate whose service line becomes a
 *    note on that draft or order.
 *  - claim_updated CaseClosed / CaseReopened: marks or unmarks the case's draft or order; for a
 *    case the company does not have, ignored.
 *  - anything else: ignored.
 */
export const decideEvent = async (tx: Db, input: DeliveryInput): Promise<Decided> => {
  const event = input.json as ScalepointEvent;
  if (event.type === 'repair_service_requested') return repairServiceRequested(tx, input.companyId, event);
  if (event.type === 'claim_updated') return claimUpdated(tx, input.companyId, event);
  return { kind: 'ignored', reason: 'unknown_event_type', caseNumber: null };
};

/** The case's order, under the case lock the direct intake takes too (one draft per case across both channels). */
async function lockedCaseOrder(tx: Db, companyId: string, caseNumber: string) {
  await lockCase(tx, companyId, caseNumber);
  const [order] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.companyId, companyId), eq(orders.scalepointCaseNumber, caseNumber)));
  return order ?? null;
}

async function repairServiceRequested(tx: Db, companyId: string, event: ScalepointEvent): Promise<Decided> {
  const parsed = repairServiceRequestedSchema.safeParse(event.attributes);
  if (!parsed.success) return { kind: 'failed', reason: 'invalid_event', issues: issuesOf(parsed.error.issues, 'attributes'), caseNumber: null };
  const draft = repairServiceDraft(parsed.data);
  if (!draft.insurerName) {
    return { kind: 'failed', reason: 'invalid_event', issues: [{ path: 'attributes.case.policy.insuranceCompany.subcompanyName', message: 'Required' }], caseNumber: draft.caseNumber };
  }

  const settings = await getSettings(tx, companyId);
  const { orderTypeId, orderTypeName } = settings;
  if (!settings.enabled || !orderTypeId || !orderTypeName) return { kind: 'rejected', reason: 'module_disabled', caseNumber: draft.caseNumber };

  const existing = await lockedCaseOrder(tx, companyId, draft.caseNumber);
  if (existing) {
    if (draft.serviceLine) await appendNote(tx, companyId, existing.id, draft.serviceLine);
    return { kind: 'duplicate', orderId: existing.id, caseNumber: draft.caseNumber, reason: 'duplicate_case' };
  }

  const customer = await resolveInsurerCustomer(tx, companyId, { name: draft.insurerName });
  const order = await insertDraft(tx, companyId, {
    orderTypeId,
    orderTypeName,
    heading: draftHeading(draft.caseNumber),
    requisitionNumber: draft.caseNumber,
    workDescription: draft.workDescription,
    customerId: customer.id,
    customerName: customer.name,
    source: 'scalepoint',
    scalepointCaseNumber: draft.caseNumber,
    // The event names no policyholder: in Forsikringstager mode someone must pick the right customer.
    missingPolicyholder: settings.customerMode === 'policyholder',
  });
  if (!order) throw new Error('order for case already exists despite the case lock');
  return { kind: 'created', orderId: order.id, customerId: customer.id, caseNumber: draft.caseNumber, warnings: settings.customerMode === 'policyholder' ? ['missing_policyholder'] : [] };
}

async function claimUpdated(tx: Db, companyId: string, event: ScalepointEvent): Promise<Decided> {
  const parsed = claimUpdatedSchema.safeParse(event.attributes);
  if (!parsed.success) return { kind: 'failed', reason: 'invalid_event', issues: issuesOf(parsed.error.issues, 'attributes'), caseNumber: null };
  const caseNumber = parsed.data.case.number;
  const change = caseClosure(parsed.data);
  if (!change) return { kind: 'ignored', reason: 'no_case_change', caseNumber };
  const order = await lockedCaseOrder(tx, companyId, caseNumber);
  if (!order) return { kind: 'ignored', reason: 'unknown_case', caseNumber };
  await tx
    .update(orders)
    .set(change.kind === 'closed' ? { scalepointClosedAt: new Date(), scalepointCloseReason: change.reason } : { scalepointClosedAt: null, scalepointCloseReason: null })
    .where(and(eq(orders.companyId, companyId), eq(orders.id, order.id)));
  return { kind: 'updated', orderId: order.id, caseNumber, reason: change.kind === 'closed' ? 'case_closed' : 'case_reopened' };
}

/** The poller's handler: one event, recorded and applied with its cursor move in the same transaction. */
export const applyEvent: ApplyEvent = async (db, { companyId, connectionId, event, commit }) => {
  const input: DeliveryInput = {
    companyId,
    channel: 'events',
    externalId: event.id,
    accountId: connectionId,
    rawBody: JSON.stringify(event),
    json: event,
    headers: { 'event-type': event.type.replace(/[^\w.-]/g, '?').slice(0, 100) },
  };
  await recordAndApplyDelivery(db, input, { decide: decideEvent, onRecorded: (tx: Db) => commit(tx) });
};
