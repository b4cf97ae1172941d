import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { scalepointDeliveries, type DeliveryStatus } from '@/db/schema';
import type { ActionResult } from '@/lib/action-result';
import { isCompanyAdmin, type Actor } from '@/lib/auth/actor';
import { writeAudit } from '@/lib/audit';
import { isUuid } from '@/lib/ids';
import { processDelivery } from './intake';
import { refuse } from '@/lib/door';
import { inCompany } from '@/lib/tenancy';

export const deliveryStatusFilters = ['all', 'created', 'duplicate', 'rejected', 'failed'] as const;
export type DeliveryFilter = (typeof deliveryStatusFilters)[number];

/** The reason of a delivery in plain Danish, for the admin. */
export function describeDelivery(d: { status: DeliveryStatus; reason: string | null; issues: { path: string; message: string }[] | null; warnings: string[] | null }): string {
  if (d.status === 'created') {
    return d.warnings?.includes('no_phone')
      ? 'Oprettet som ordrekladde. Forsikringstager havde intet telefonnummer, så kunden fik næste ledige kundenummer.'
      : 'Oprettet som ordrekladde.';
  }
  if (d.status === 'duplicate') {
    return d.reason === 'duplicate_case' ? 'Sagen findes allerede som ordre; der er ikke oprettet en ny.' : 'Samme levering modtaget igen; der er ikke oprettet noget nyt.';
  }
  if (d.reason === 'module_disabled') return 'Afvist: Scalepoint-modulet var slået fra. Slå modulet til og genbehandl sagen.';
  if (d.reason === 'validation_failed') {
    const list = (d.issues ?? []).slice(0, 5).map((i) => `${i.path || 'body'}: ${i.message}`).join('; ');
    return `Afvist: sagen manglede eller havde ugyldige oplysninger (${list}).`;
  }
  return 'Fejlede under behandlingen. Prøv at genbehandle sagen; fejler den igen, så kontakt Kladdes support.';
}

export async function listDeliveries(db: Db, actor: Actor | null, opts: { status: DeliveryFilter; limit?: number }) {
  if (!isCompanyAdmin(actor)) refuse(actor, 'scalepoint.listDeliveries');
  return inCompany(db, actor.companyId, async (db) => {
    const where = [eq(scalepointDeliveries.companyId, actor.companyId)];
    if (opts.status !== 'all') where.push(eq(scalepointDeliveries.status, opts.status));
    const rows = await db
      .select({
        id: scalepointDeliveries.id,
        webhookId: scalepointDeliveries.webhookId,
        caseNumber: scalepointDeliveries.caseNumber,
        status: scalepointDeliveries.status,
        reason: scalepointDeliveries.reason,
        issues: scalepointDeliveries.issues,
        warnings: scalepointDeliveries.warnings,
        orderId: scalepointDeliveries.orderId,
        attempts: scalepointDeliveries.attempts,
        receivedAt: scalepointDeliveries.receivedAt,
      })
      .from(scalepointDeliveries)
      .where(and(...where))
      .orderBy(desc(scalepointDeliveries.receivedAt), desc(scalepointDeliveries.id))
      .limit(opts.limit ?? 100);
    return rows.map((r) => ({ ...r, description: describeDelivery(r) }));
  });
}

/**
 * Genbehandl: run a stored, rejected or failed delivery through the same intake code again,
 * with today's settings. The delivery row's lock and the case lock make a replay that races
 * a redelivery end with one draft.
 */
export async function replayDelivery(db: Db, actor: Actor | null, deliveryId: string): Promise<ActionResult> {
  if (!isCompanyAdmin(actor) || !isUuid(deliveryId)) refuse(actor, 'scalepoint.replay');
  const companyId = actor.companyId;
  const [d] = await inCompany(db, companyId, (tx) =>
    tx
    .select({
      id: scalepointDeliveries.id,
      webhookId: scalepointDeliveries.webhookId,
      accountId: scalepointDeliveries.accountId,
      rawBody: scalepointDeliveries.rawBody,
      headers: scalepointDeliveries.headers,
      status: scalepointDeliveries.status,
    })
    .from(scalepointDeliveries)
    .where(and(eq(scalepointDeliveries.companyId, companyId), eq(scalepointDeliveries.id, deliveryId))),
  );
  if (!d) refuse(actor, 'scalepoint.replay');
  if (d.status === 'created' || d.status === 'duplicate') return { ok: true, message: 'Sagen er allerede behandlet.' };

  // Only bodies that parsed as JSON are ever stored.
  const json = JSON.parse(d.rawBody) as unknown;
  const result = await processDelivery(db, { companyId: actor.companyId, accountId: d.accountId, webhookId: d.webhookId, rawBody: d.rawBody, json, headers: d.headers });
  await inCompany(db, companyId, (tx) => writeAudit(tx, actor, companyId, 'scalepoint.delivery_replayed', { deliveryId, status: result.status }));
  switch (result.status) {
    case 201:
      return { ok: true, message: 'Genbehandlet: sagen er nu en ordrekladde.' };
    case 200:
      return { ok: true, message: 'Genbehandlet: sagen fandtes allerede som ordre.' };
    case 409:
      return { ok: false, message: 'Stadig afvist: Scalepoint-modulet er slået fra. Slå det til og gem først.' };
    case 422:
      return { ok: false, message: 'Stadig afvist: sagens oplysninger er ugyldige. Bed Scalepoint sende den igen.' };
    default:
      return { ok: false, message: 'Genbehandlingen fejlede. Prøv igen om lidt.' };
  }
}
