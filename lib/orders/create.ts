import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import type { Address } from '@/lib/address';
import { orderNotes, orders } from '@/db/schema';
import { newCaseDueColumns } from '@/lib/scalepoint/deadlines/clocks';

export type NoteFields = Address & {
  name?: string | null;
  role?: string | null;
  phone?: string | null;
  mobile?: string | null;
  email?: string | null;
  text?: string | null;
};

/**
 * Scalepoint's identifiers of a case, kept on its order as the case arrives (docs/intake.md,
 * "Scalepoint's identifiers"): what an outbound message names the case by. An event brings the
 * first six, a direct claim the last four; what a channel does not bring is null.
 */
export type ScalepointIds = {
  caseId?: string | null;
  caseExternalId?: string | null;
  serviceId?: string | null;
  /** The Serviceopgave shown on the order page. */
  serviceReference?: string | null;
  tenant?: string | null;
  connectionId?: string | null;
  caseUrl?: string | null;
  caseType?: string | null;
  policyNumber?: string | null;
  insurerAlias?: string | null;
};

export type DraftFields = {
  orderTypeId: string;
  orderTypeName: string;
  heading: string;
  requisitionNumber?: string | null;
  workDescription?: string | null;
  customerId: string;
  customerName: string;
  installation?: Address | null;
  source: 'manual' | 'scalepoint';
  scalepointCaseNumber?: string | null;
  scalepoint?: ScalepointIds;
  /** The mark Mangler forsikringstager: the customer is a stand-in until someone picks the right one. */
  missingPolicyholder?: boolean;
  /** A Scalepoint case's clocks, started as it arrives (docs/deadlines.md); none for a manual order. */
  deadlines?: { workDueAt: Date | null };
  notes?: NoteFields[];
};

/**
 * Insert an order draft and its notes. Call inside a transaction. With a Scalepoint case
 * number, a second draft for the same case is refused by the unique index: returns null.
 */
export async function insertDraft(
  tx: Db,
  companyId: string,
  f: DraftFields,
): Promise<{ id: string } | null> {
  const statements = draftStatements(tx, companyId, randomUUID(), f);
  const [order] = await statements.order.onConflictDoNothing().returning({ id: orders.id });
  if (!order) return null;
  if (statements.notes) await statements.notes;
  return order;
}

/**
 * The draft's two inserts, not yet sent, with the order's id chosen by the caller so the notes
 * need not wait for it: the intake's optimistic path sends both (and more) in one write
 * (docs/performance.md). As built here, a second draft for a case raises a unique violation;
 * insertDraft adds ON CONFLICT DO NOTHING to answer null instead.
 */
export function draftStatements(tx: Db, companyId: string, orderId: string, f: DraftFields) {
  const order = tx.insert(orders).values({
    id: orderId,
    companyId,
    status: 'draft',
    orderTypeId: f.orderTypeId,
    orderTypeName: f.orderTypeName,
    heading: f.heading,
    requisitionNumber: f.requisitionNumber ?? null,
    workDescription: f.workDescription ?? null,
    customerId: f.customerId,
    customerName: f.customerName,
    installationStreet: f.installation?.street ?? null,
    installationHouseNumber: f.installation?.houseNumber ?? null,
    installationFloor: f.installation?.floor ?? null,
    installationPostalCode: f.installation?.postalCode ?? null,
    installationCity: f.installation?.city ?? null,
    source: f.source,
    scalepointCaseNumber: f.scalepointCaseNumber ?? null,
    scalepointCaseId: f.scalepoint?.caseId ?? null,
    scalepointCaseExternalId: f.scalepoint?.caseExternalId ?? null,
    scalepointServiceId: f.scalepoint?.serviceId ?? null,
    scalepointServiceReference: f.scalepoint?.serviceReference ?? null,
    scalepointTenant: f.scalepoint?.tenant ?? null,
    scalepointConnectionId: f.scalepoint?.connectionId ?? null,
    scalepointCaseUrl: f.scalepoint?.caseUrl ?? null,
    scalepointCaseType: f.scalepoint?.caseType ?? null,
    scalepointPolicyNumber: f.scalepoint?.policyNumber ?? null,
    scalepointInsurerAlias: f.scalepoint?.insurerAlias ?? null,
    missingPolicyholder: f.missingPolicyholder ?? false,
    ...(f.deadlines ? newCaseDueColumns(companyId, f.deadlines.workDueAt) : {}),
  });
  const notes = f.notes?.length
    ? tx.insert(orderNotes).values(
        f.notes.map((n, i) => ({
          companyId,
          orderId,
          position: i + 1,
          name: n.name ?? null,
          role: n.role ?? null,
          street: n.street ?? null,
          houseNumber: n.houseNumber ?? null,
          floor: n.floor ?? null,
          postalCode: n.postalCode ?? null,
          city: n.city ?? null,
          phone: n.phone ?? null,
          mobile: n.mobile ?? null,
          email: n.email ?? null,
          text: n.text ?? null,
        })),
      )
    : null;
  return { order, notes };
}

/** One more note at the end of an order's work sheet (a second Scalepoint service for the same case). Call inside a transaction. */
export async function appendNote(tx: Db, companyId: string, orderId: string, text: string) {
  const [{ next } = { next: 0 }] = await tx
    .select({ next: sql<number>`coalesce(max(${orderNotes.position}) + 1, 0)::int` })
    .from(orderNotes)
    .where(and(eq(orderNotes.companyId, companyId), eq(orderNotes.orderId, orderId)));
  await tx.insert(orderNotes).values({ companyId, orderId, position: next, text });
}
