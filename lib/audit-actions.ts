import { z } from 'zod';

/**
 * Every action an audit row can name, with the Danish words a page shows for it and the zod
 * schema of its `details` (docs/architecture.md, "One copy of each thing"): one catalogue, like
 * the intake's outcomes (lib/scalepoint/intake/words.ts).
 * `writeAudit` and the doors' `audit()` take only these names, and for each name only details of
 * its schema's input type; the row is checked against the schema as it is written (a mismatch is a
 * programmer error: it throws). So a rename is a type error where the row is written and where it
 * is shown — never a raw code on a page.
 * The schemas are strict: a key they do not name is refused, so nothing slips into the log by
 * accident. No secret is ever a detail (a Scalepoint secret appears as its last four characters).
 * No server imports: history components use it too (zod only, as the forms' schemas).
 */

const id = z.string().min(1).max(64);
/** details.orderId is read by audit_log's generated order_id column (migration 0008): its uuid form. */
const orderId = z.guid();
const text = z.string();
const count = z.number().int().nonnegative();
const isoTime = z.iso.datetime();
/** The operator's command of a command-line row (`writeCommandAudit`). */
const command = z.string().startsWith('npm run ').optional();
/** What a save changed, field by field. */
const changes = z.record(z.string(), z.strictObject({ from: z.unknown(), to: z.unknown() }));
/** One of the Frister's hours, before and after a save. */
const hoursChange = z.strictObject({ from: z.number().int(), to: z.number().int() });
const nameAndCvr = z.strictObject({ name: text, cvr: text });
/** An order_steps row's id (lib/orders/steps.ts). */
const stepId = z.guid();
/** A milestone's step: its row, its Tidspunkt, its Bemærkning if any. */
const milestone = { orderId, stepId, at: isoTime, note: z.string().max(1000).optional() };

function action<S extends z.core.$ZodLooseShape>(description: string, details: S) {
  return { description, details: z.strictObject(details) };
}

export const AUDIT_ACTIONS = {
  'company.created': action('Virksomhed oprettet', { name: text, cvr: text }),
  'company.identity_changed': action('Firmanavn/CVR ændret', { from: nameAndCvr, to: nameAndCvr }),
  'company.details_saved': action('Firmaoplysninger gemt', { changes }),
  'company.deactivated': action('Virksomhed deaktiveret', {}),
  'company.reactivated': action('Virksomhed genaktiveret', {}),
  'user.invited': action('Bruger inviteret', { userId: id, email: text, role: text, by: command }),
  'user.invitation_resent': action('Invitation sendt igen', { userId: id, email: text }),
  'user.invitation_accepted': action('Invitation modtaget', { userId: id }),
  'user.role_changed': action('Rolle ændret', { userId: id, email: text, from: text, to: text }),
  'user.deactivated': action('Bruger deaktiveret', { userId: id, email: text, was: text }),
  'user.reactivated': action('Bruger genaktiveret', { userId: id, email: text, to: text }),
  'user.renamed_self': action('Navn ændret', { userId: id, from: text, to: text }),
  'user.password_changed': action('Adgangskode skiftet', {
    userId: id,
    otherSessionsEnded: count,
  }),
  'user.password_reset': action('Adgangskode nulstillet via link', {
    userId: id,
    sessionsEnded: count,
  }),
  'user.two_factor_enabled': action('To-trinsbekræftelse slået til', { userId: id }),
  'user.two_factor_disabled': action('To-trinsbekræftelse slået fra', { userId: id }),
  // An admin's reset names the user; the operator's command also says what it found and ended.
  'user.two_factor_reset': action('To-trinsbekræftelse nulstillet', {
    userId: id,
    email: text,
    wasOn: z.boolean().optional(),
    sessionsEnded: count.optional(),
    by: command,
  }),
  'user.recovery_code_used': action('Gendannelseskode brugt', { userId: id }),
  'order_type.created': action('Ordretype oprettet', { orderTypeId: id, name: text }),
  'order_type.renamed': action('Ordretype omdøbt', { orderTypeId: id, from: text, to: text }),
  'order_type.deactivated': action('Ordretype deaktiveret', { orderTypeId: id, name: text }),
  'order_type.reactivated': action('Ordretype genaktiveret', { orderTypeId: id, name: text }),
  // stepId: the order_steps row the step wrote (migration 0018); rows from before it have none.
  'order.approve': action('Godkendt', {
    orderId,
    orderNumber: z.number().int().positive(),
    confirmed: z.literal(true).optional(),
    stepId: stepId.optional(),
  }),
  'order.reject': action('Afvist', { orderId, reason: text, stepId: stepId.optional() }),
  'order.restore': action('Gendannet som kladde', { orderId, stepId: stepId.optional() }),
  // The job after Godkend (docs/drafts.md): each milestone with its Tidspunkt and Bemærkning.
  'order.customer_contacted': action('Kunde kontaktet', milestone),
  'order.inspection_scheduled': action('Besigtigelse aftalt', milestone),
  'order.work_started': action('Arbejde startet', milestone),
  'order.work_completed': action('Arbejde færdigt', milestone),
  'order.reopen': action('Genåbnet', { orderId, stepId }),
  'order.edit': action('Redigeret', {
    orderId,
    customerId: id,
    customerChanged: z.literal(true).optional(),
    customerCreated: z.literal(true).optional(),
  }),
  'scalepoint.settings_saved': action('Indstillinger ændret', { changes }),
  // Gem frister (lib/scalepoint/deadlines/save.ts): only the hours that changed; empty when none did.
  'scalepoint.deadlines_saved': action('Frister ændret', {
    changes: z.strictObject({
      contactHours: hoursChange.optional(),
      inspectionHours: hoursChange.optional(),
    }),
  }),
  'scalepoint.access_mail_started': action('Mail til Scalepoint sendes', { to: text }),
  'scalepoint.access_mail': action('Mail til Scalepoint', { status: text, to: text }),
  'scalepoint.credentials_stored': action('Adgang registreret af support', {
    accountId: text,
    secretLast4: z.string().max(4),
    replaced: z.boolean(),
    secretChanged: z.boolean(),
    previousAccountId: text.optional(),
  }),
  'scalepoint.delivery_replayed': action('Sag genbehandlet', { deliveryId: id, outcome: text }),
  // Send igen on a Fejlet outgoing event (lib/scalepoint/outbound/retry.ts); reason: why it had failed.
  'scalepoint.outbox_retried': action('Hændelse til Scalepoint sendt igen', {
    outboxId: id,
    orderId,
    reason: text.optional(),
  }),
  'scalepoint.previous_secret_revoked': action('Forrige nøgle tilbagekaldt af support', {
    graceWouldHaveEndedAt: isoTime,
  }),
  'scalepoint.connection_created': action('Events API-forbindelse oprettet', {
    connectionId: id,
    clientId: text,
    tenant: text,
    environment: text,
    thumbprint: text,
  }),
  'scalepoint.connection_changed': action('Events API-forbindelse ændret', {
    connectionId: id,
    changes,
  }),
  'scalepoint.connection_deleted': action('Events API-forbindelse slettet', {
    connectionId: id,
    clientId: text,
    tenant: text,
    environment: text,
    cursor: text.nullable(),
  }),
  'scalepoint.connection_tested': action('Events API-forbindelse testet', {
    connectionId: id,
    ok: z.boolean(),
    reason: text.optional(),
  }),
  'scalepoint.certificate_renewed': action('Nyt certifikat til Events API', {
    connectionId: id,
    thumbprint: text,
    previousValidUntil: isoTime,
  }),
  'scalepoint.previous_certificate_revoked': action('Forrige certifikat tilbagekaldt', {
    connectionId: id,
  }),
} as const satisfies Record<string, { description: string; details: z.ZodObject }>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
/** What a writer passes as an action's details. */
export type AuditDetailsInput<A extends AuditAction> = z.input<
  (typeof AUDIT_ACTIONS)[A]['details']
>;
/** An action's details as stored and as a page reads them. */
export type AuditDetails<A extends AuditAction> = z.output<(typeof AUDIT_ACTIONS)[A]['details']>;
/** A stored row read with its action's schema: switch on `action` and `details` is typed. */
export type AuditEntry = {
  [A in AuditAction]: { action: A; details: AuditDetails<A> };
}[AuditAction];

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, action);
}

/** The Danish words for a stored row's action; a row from a retired action says so plainly. */
export function auditDescription(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action].description : 'Ændring (ukendt handling)';
}

/**
 * The details of a row about to be written, checked against its action's schema: a mismatch (a
 * missing, wrong or unnamed key) is a programmer error and throws, and the transaction rolls back.
 * The message names the keys, never their values.
 */
export function checkAuditDetails<A extends AuditAction>(
  action: A,
  details: AuditDetailsInput<A>,
): AuditDetails<A> {
  const parsed = AUDIT_ACTIONS[action].details.safeParse(details);
  if (parsed.success) return parsed.data as AuditDetails<A>;
  const issues = parsed.error.issues
    .map((i) => `${i.path.join('.') || '(details)'}: ${i.message}`)
    .join('; ');
  throw new Error(`Audit details of ${action} do not match its schema: ${issues}`);
}

// Reading forgives a key the schema no longer names (an older row); a missing or mistyped one is not.
const readers = new Map<AuditAction, z.ZodType>();

/**
 * A stored row's action and details, read with its action's schema (`safeParse`, never a throw);
 * null for a retired action or details that no longer fit, which a page shows by its
 * description alone (`auditDescription`).
 */
export function readAudit(action: string, details: unknown): AuditEntry | null {
  if (!isAuditAction(action)) return null;
  let reader = readers.get(action);
  if (!reader) {
    reader = AUDIT_ACTIONS[action].details.loose();
    readers.set(action, reader);
  }
  const parsed = reader.safeParse(details);
  return parsed.success ? ({ action, details: parsed.data } as AuditEntry) : null;
}
