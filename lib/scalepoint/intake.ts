import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { orders, scalepointDeliveries } from '@/db/schema';
import { isDatabaseUnavailable } from '@/lib/db-errors';
import { log } from '@/lib/log';
import { insertDraft } from '@/lib/orders/create';
import { inCompany } from '@/lib/tenancy';
import type { CustomerMode } from '@/db/schema';
import { MAX_BODY_BYTES, parseClaim, type Claim, type ClaimIssue } from './claim';
import { lookupIntakeAccount } from './credentials';
import { contactNotes, draftHeading, installationAddress, workDescription } from './mapping';
import { needsNextNumber, resolveCustomer } from './resolve-customer';
import { allocateCustomerNumber } from '@/lib/customers/numbering';
import { getSettings } from './settings';
import { verifySignature } from './signature';

export { MAX_BODY_BYTES };

export type IntakeResult = { status: number; body: Record<string, unknown> };

export type IntakeRequest = {
  header: (name: string) => string | null;
  body: Buffer;
};

const STORED_HEADERS = ['scalepoint-account-id', 'webhook-id', 'webhook-timestamp', 'content-type', 'user-agent'] as const;

const unauthorized = (error: string): IntakeResult => ({ status: 401, body: { error } });

/**
 * POST /api/scalepoint/claims, the whole decision (SPEC.md §4): size → content type → account →
 * signature over the raw bytes → JSON → the stored, transactional processing. The route, the
 * tests and the CLI all come through here. Never throws: a database outage is a 503.
 */
export async function handleClaimDelivery(db: Db, req: IntakeRequest, now = new Date()): Promise<IntakeResult> {
  if (req.body.length > MAX_BODY_BYTES) return { status: 413, body: { error: 'payload_too_large', limitBytes: MAX_BODY_BYTES } };
  const contentType = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json') return { status: 415, body: { error: 'unsupported_media_type', expected: 'application/json' } };

  const accountId = req.header('scalepoint-account-id')?.trim();
  const webhookId = req.header('webhook-id')?.trim();
  const security = (reason: string) => {
    // Never the body, never a secret: just enough to trace the attempt.
    log.warn('scalepoint_intake_unauthorized', { reason, accountId: accountId?.slice(0, 100) ?? null, webhookId: webhookId?.slice(0, 200) ?? null });
    return unauthorized(reason);
  };
  if (!accountId || accountId.length > 100) return security('missing_account');

  try {
    const account = await lookupIntakeAccount(db, accountId, now);
    if (!account || account.keys.length === 0) return security('unknown_account');
    const verified = verifySignature({
      keys: account.keys,
      webhookId,
      timestamp: req.header('webhook-timestamp'),
      signatureHeader: req.header('webhook-signature'),
      rawBody: req.body,
      nowSeconds: Math.floor(now.getTime() / 1000),
    });
    if (!verified.ok) return security(verified.reason);

    let text: string;
    let json: unknown;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(req.body);
      json = JSON.parse(text);
    } catch {
      return { status: 400, body: { error: 'invalid_json' } };
    }

    const headers: Record<string, string> = {};
    for (const h of STORED_HEADERS) {
      const v = req.header(h);
      if (v) headers[h] = v.slice(0, 500);
    }
    const input: DeliveryInput = { companyId: account.companyId, accountId, webhookId: webhookId!, rawBody: text, json, headers };
    return (await createdFirstTry(db, input, account.settings, now)) ?? (await processDelivery(db, input, now));
  } catch (e) {
    return unavailable(e, { accountId, webhookId });
  }
}

function unavailable(e: unknown, fields: Record<string, string | undefined>): IntakeResult {
  if (isDatabaseUnavailable(e)) {
    log.error('scalepoint_intake_db_unavailable', fields);
    return { status: 503, body: { error: 'database_unavailable' } };
  }
  log.error('scalepoint_intake_failed', { ...fields, error: e instanceof Error ? e.message.slice(0, 300) : 'unknown' });
  return { status: 503, body: { error: 'temporarily_unavailable' } };
}

export type DeliveryInput = {
  companyId: string;
  accountId: string;
  webhookId: string;
  rawBody: string;
  json: unknown;
  headers: Record<string, string>;
};

type Outcome =
  | { kind: 'created'; orderId: string; customerId: string; caseNumber: string; warnings: string[] }
  | { kind: 'duplicate'; orderId: string | null; caseNumber: string | null; reason: 'duplicate_delivery' | 'duplicate_case' }
  | { kind: 'rejected'; reason: 'validation_failed'; issues: ClaimIssue[]; caseNumber: string | null }
  | { kind: 'rejected'; reason: 'module_disabled'; caseNumber: string | null };

export function resultOf(o: Outcome): IntakeResult {
  switch (o.kind) {
    case 'created':
      return { status: 201, body: { status: 'created', orderId: o.orderId, customerId: o.customerId } };
    case 'duplicate':
      return { status: 200, body: { status: 'duplicate', orderId: o.orderId } };
    case 'rejected':
      return o.reason === 'validation_failed'
        ? { status: 422, body: { error: 'validation_failed', issues: o.issues } }
        : { status: 409, body: { error: 'module_disabled' } };
  }
}

/**
 * An authenticated delivery, in one transaction: claim the delivery row (unique per company and
 * webhook-id), then validate, check the module, resolve the customer and create the draft, and
 * record the outcome on the row. A redelivery of a processed delivery answers duplicate; one of
 * a rejected delivery is processed again with today's settings (as a replay is).
 */
export async function processDelivery(db: Db, input: DeliveryInput, now = new Date()): Promise<IntakeResult> {
  try {
    return await processInTransaction(db, input, now);
  } catch (e) {
    // Not an outage but a fault of ours: keep the delivery, visible and replayable, then let the caller answer 503.
    if (!isDatabaseUnavailable(e)) await recordFailure(db, input, now, e).catch(() => {});
    throw e;
  }
}

async function recordFailure(db: Db, input: DeliveryInput, now: Date, e: unknown) {
  log.error('scalepoint_delivery_failed', { companyId: input.companyId, webhookId: input.webhookId, error: e instanceof Error ? e.message.slice(0, 300) : 'unknown' });
  await inCompany(db, input.companyId, (tx) =>
    tx
    .insert(scalepointDeliveries)
    .values({
      ...deliveryRow(input, now),
      caseNumber: guessCaseNumber(input.json),
      status: 'failed',
      reason: 'internal_error',
    })
    .onConflictDoUpdate({
      target: [scalepointDeliveries.companyId, scalepointDeliveries.webhookId],
      set: { status: 'failed', reason: 'internal_error', processedAt: now },
      setWhere: sql`${scalepointDeliveries.status} in ('failed', 'rejected')`,
    }),
  );
}

async function processInTransaction(db: Db, input: DeliveryInput, now: Date): Promise<IntakeResult> {
  const outcome = await inCompany(db, input.companyId, async (tx): Promise<Outcome> => {
    const caseNumberGuess = guessCaseNumber(input.json);
    const [inserted] = await tx
      .insert(scalepointDeliveries)
      .values({
        ...deliveryRow(input, now),
        caseNumber: caseNumberGuess,
        status: 'failed',
        reason: 'processing',
      })
      .onConflictDoNothing({ target: [scalepointDeliveries.companyId, scalepointDeliveries.webhookId] })
      .returning({ id: scalepointDeliveries.id });

    let deliveryId: string;
    if (inserted) {
      deliveryId = inserted.id;
    } else {
      // Seen before: lock it, so concurrent redeliveries queue here and see the first one's outcome.
      const [existing] = await tx
        .select({ id: scalepointDeliveries.id, status: scalepointDeliveries.status, orderId: scalepointDeliveries.orderId, caseNumber: scalepointDeliveries.caseNumber })
        .from(scalepointDeliveries)
        .where(and(eq(scalepointDeliveries.companyId, input.companyId), eq(scalepointDeliveries.webhookId, input.webhookId)))
        .for('update');
      if (!existing) throw new Error('delivery vanished');
      await tx
        .update(scalepointDeliveries)
        .set({ attempts: sql`${scalepointDeliveries.attempts} + 1`, receivedAt: now })
        .where(and(eq(scalepointDeliveries.companyId, input.companyId), eq(scalepointDeliveries.id, existing.id)));
      if (existing.status === 'created' || existing.status === 'duplicate') {
        return { kind: 'duplicate', orderId: existing.orderId, caseNumber: existing.caseNumber, reason: 'duplicate_delivery' };
      }
      deliveryId = existing.id;
    }

    const outcome = await decide(tx, input);
    await tx
      .update(scalepointDeliveries)
      .set({
        status: outcome.kind,
        reason: outcome.kind === 'created' ? null : outcome.reason,
        caseNumber: outcome.caseNumber ?? caseNumberGuess,
        issues: outcome.kind === 'rejected' && outcome.reason === 'validation_failed' ? outcome.issues : null,
        warnings: outcome.kind === 'created' && outcome.warnings.length ? outcome.warnings : null,
        orderId: outcome.kind === 'created' || outcome.kind === 'duplicate' ? outcome.orderId : null,
        customerId: outcome.kind === 'created' ? outcome.customerId : null,
        processedAt: now,
      })
      .where(and(eq(scalepointDeliveries.companyId, input.companyId), eq(scalepointDeliveries.id, deliveryId)));
    return outcome;
  });

  if (outcome.kind === 'rejected') log.info('scalepoint_delivery_rejected', { companyId: input.companyId, webhookId: input.webhookId, reason: outcome.reason });
  return resultOf(outcome);
}

async function decide(tx: Db, input: DeliveryInput): Promise<Outcome> {
  const parsed = parseClaim(input.json);
  if (!parsed.ok) return { kind: 'rejected', reason: 'validation_failed', issues: parsed.issues, caseNumber: guessCaseNumber(input.json) };
  const claim = parsed.claim;

  const settings = await getSettings(tx, input.companyId);
  const { orderTypeId, orderTypeName } = settings;
  if (!settings.enabled || !orderTypeId || !orderTypeName) return { kind: 'rejected', reason: 'module_disabled', caseNumber: claim.caseNumber };

  // One draft per case: serialise deliveries of the same case (different webhook-ids) and
  // answer duplicate when the company already has an order for it.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`case:${input.companyId}:${claim.caseNumber}`}, 0))`);
  const [existingOrder] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.companyId, input.companyId), eq(orders.scalepointCaseNumber, claim.caseNumber)));
  if (existingOrder) return { kind: 'duplicate', orderId: existingOrder.id, caseNumber: claim.caseNumber, reason: 'duplicate_case' };

  const created = await createDraft(tx, input.companyId, { ...settings, orderTypeId, orderTypeName }, claim);
  if (!created) throw new Error('order for case already exists despite the case lock');
  return created;
}

type DraftSettings = Parameters<typeof resolveCustomer>[2] & { orderTypeId: string; orderTypeName: string };

/** Customer by the company's rule, then the draft as SPEC.md maps it; null if the case already has an order. */
async function createDraft(tx: Db, companyId: string, settings: DraftSettings, claim: Claim, preallocatedNumber?: string): Promise<Extract<Outcome, { kind: 'created' }> | null> {
  const customer = await resolveCustomer(tx, companyId, settings, claim, preallocatedNumber);
  const order = await insertDraft(tx, companyId, {
    orderTypeId: settings.orderTypeId,
    orderTypeName: settings.orderTypeName,
    heading: draftHeading(claim.caseNumber),
    requisitionNumber: claim.caseNumber,
    workDescription: workDescription(claim),
    customerId: customer.id,
    customerName: customer.name,
    installation: installationAddress(claim, customer.address),
    source: 'scalepoint',
    scalepointCaseNumber: claim.caseNumber,
    notes: contactNotes(claim),
  });
  if (!order) return null;
  return { kind: 'created', orderId: order.id, customerId: customer.id, caseNumber: claim.caseNumber, warnings: customer.warnings };
}

class Contended extends Error {}

/**
 * The common case in fewer round trips: a new, valid claim for a company whose module is on
 * (settings from the account look-up). No delivery row is claimed first and no case lock is
 * taken; instead the unique indexes decide at the end: if the case already has an order, or
 * the webhook-id already has a delivery, the whole transaction rolls back and the careful path
 * (processDelivery) handles it. Anything else unusual (invalid claim, module off) goes straight
 * to the careful path too, so every stored outcome is written by one code path or the other,
 * each in one transaction.
 */
async function createdFirstTry(
  db: Db,
  input: DeliveryInput,
  settings: { enabled: boolean; orderTypeId: string | null; orderTypeName: string | null; customerMode: CustomerMode; phoneAsCustomerNumber: boolean },
  now: Date,
): Promise<IntakeResult | null> {
  const parsed = parseClaim(input.json);
  const { orderTypeId, orderTypeName } = settings;
  if (!parsed.ok || !settings.enabled || !orderTypeId || !orderTypeName) return null;
  // A new customer's number is taken before the transaction, so concurrent claims do not wait
  // on the company's counter until each other's commit.
  const number = needsNextNumber(settings, parsed.claim) ? await allocateCustomerNumber(db, input.companyId) : undefined;
  try {
    const outcome = await inCompany(db, input.companyId, async (tx) => {
      const created = await createDraft(tx, input.companyId, { ...settings, orderTypeId, orderTypeName }, parsed.claim, number);
      if (!created) throw new Contended();
      const [delivery] = await tx
        .insert(scalepointDeliveries)
        .values({
          ...deliveryRow(input, now),
          caseNumber: created.caseNumber,
          status: 'created',
          warnings: created.warnings.length ? created.warnings : null,
          orderId: created.orderId,
          customerId: created.customerId,
        })
        .onConflictDoNothing({ target: [scalepointDeliveries.companyId, scalepointDeliveries.webhookId] })
        .returning({ id: scalepointDeliveries.id });
      if (!delivery) throw new Contended();
      return created;
    });
    return resultOf(outcome);
  } catch (e) {
    if (e instanceof Contended) return null;
    throw e;
  }
}

/** What every stored delivery row holds, whatever its outcome. */
function deliveryRow(input: DeliveryInput, now: Date) {
  return {
    companyId: input.companyId,
    webhookId: input.webhookId,
    accountId: input.accountId,
    rawBody: input.rawBody,
    headers: input.headers,
    receivedAt: now,
    processedAt: now,
  };
}

/** The case number as sent, for the log even when the claim is invalid. */
function guessCaseNumber(json: unknown): string | null {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const v = (json as Record<string, unknown>).caseNumber;
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 64);
  }
  return null;
}

