/**
 * The parts of "a case becomes a draft" that every way in shares (docs/intake.md): the direct
 * claim under locks and optimistically, one event and a batch of events. Each is written once,
 * here, so a mapping or a rule changes in one place; the drift test
 * (tests/integration/intake-paths.test.ts) checks that the ways in still write the same rows.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { orders, type CustomerMode } from '@/db/schema/index';
import type { Address } from '@/lib/address';
import type { DraftFields, NoteFields, ScalepointIds } from '@/lib/orders/create';
import { lockCase } from '@/lib/locks';
import { draftHeading } from './mapping';

/** The settings a draft is made with: the module on, with its standard order type. */
export type DraftSettings = {
  orderTypeId: string;
  orderTypeName: string;
  customerMode: CustomerMode;
  phoneAsCustomerNumber: boolean;
};

/**
 * The company's settings as a draft needs them, or null when no draft may be made: the module
 * off, or no standard order type (the outcome `module_disabled`, 409 on the direct endpoint).
 */
export function draftSettingsOf(settings: {
  enabled: boolean;
  orderTypeId: string | null;
  orderTypeName: string | null;
  customerMode: CustomerMode;
  phoneAsCustomerNumber: boolean;
}): DraftSettings | null {
  const { enabled, orderTypeId, orderTypeName, customerMode, phoneAsCustomerNumber } = settings;
  if (!enabled || !orderTypeId || !orderTypeName) return null;
  return { orderTypeId, orderTypeName, customerMode, phoneAsCustomerNumber };
}

/** What a case says about its draft, whichever channel brings it (docs/intake.md, mapping). */
export type CaseDraft = {
  caseNumber: string;
  workDescription: string | null;
  notes?: NoteFields[];
  installation?: Address | null;
  /** Mangler forsikringstager: the case named no policyholder, and the company wants one. */
  missingPolicyholder?: boolean;
  /** Scalepoint's identifiers of the case as the channel brings them; kept with the order. */
  ids: ScalepointIds;
  /** When the work is due (an event's service.endDate); null when the channel does not say. */
  workDueAt?: Date | null;
};

/** A Scalepoint case's draft: the heading, Rekvisitionsnr., case number and Scalepoint's identifiers from the case, the order type from the settings. */
export function caseDraftFields(
  settings: DraftSettings,
  draft: CaseDraft,
  customer: { id: string; name: string },
): DraftFields {
  return {
    orderTypeId: settings.orderTypeId,
    orderTypeName: settings.orderTypeName,
    heading: draftHeading(draft.caseNumber),
    requisitionNumber: draft.caseNumber,
    workDescription: draft.workDescription,
    customerId: customer.id,
    customerName: customer.name,
    installation: draft.installation ?? null,
    source: 'scalepoint',
    scalepointCaseNumber: draft.caseNumber,
    scalepoint: draft.ids,
    missingPolicyholder: draft.missingPolicyholder ?? false,
    // Every Scalepoint case gets its clocks as it arrives (docs/deadlines.md).
    deadlines: { workDueAt: draft.workDueAt ?? null },
    notes: draft.notes ?? [],
  };
}

/**
 * The company's draft or order for a case, under the case lock: one draft per case, whichever
 * channel brings it first. Deliveries of one case under different ids queue here.
 */
export async function lockedCaseOrder(
  tx: Db,
  companyId: string,
  caseNumber: string,
): Promise<{ id: string } | null> {
  await lockCase(tx, companyId, caseNumber);
  const [order] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.companyId, companyId), eq(orders.scalepointCaseNumber, caseNumber)));
  return order ?? null;
}
