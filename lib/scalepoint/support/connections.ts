import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { companies, scalepointConnections } from '@/db/schema/index';
import { REFUSAL, type ActionResult } from '@/lib/action-result';
import { NotFoundError, type Actor } from '@/lib/auth/actor';
import { decryptSecret, DecryptError, encryptSecret } from '@/lib/crypto';
import { isUniqueViolation } from '@/lib/db-errors';
import { refuse, supportAction, supportActionInSteps, supportRead } from '@/lib/door';
import { formatDateTime } from '@/lib/format';
import { log } from '@/lib/log';
import { connectionRefSchema, saveConnectionSchema } from './connection-schema';
import { generateConnectionKeys } from '../events/certificate';
import { checkConnection } from '../events/check';
import { createTokenClient } from '../events/token';
import { connectionAnswers } from './words';
import { failOutboxOfConnection } from '../outbound/outbox';

/**
 * Support's Events API connections of a company (docs/events-api.md). Each action checks that
 * the company exists and the connection is that company's (else 404), bumps `version` so a
 * running poller reloads, and writes its audit row in the same transaction. Private keys are
 * encrypted before they reach the database and are decrypted only to sign a token request.
 */

/** How long a replaced certificate keeps being tried, so support can register the new one first. */
export const PREVIOUS_CERTIFICATE_GRACE_MS = 24 * 60 * 60 * 1000;

/** The company has a connection to this tenant in this environment already (its own key). */
const DUPLICATE: ActionResult = {
  ok: false,
  message: REFUSAL.unchanged,
  fieldErrors: {
    tenant: connectionAnswers.tenantTaken,
  },
};

/**
 * Another connection — of any company — holds this client id with this tenant and environment:
 * one queue at Scalepoint, so one connection in all of Kladde
 * (docs/events-api.md, "One client id, one connection"). The answer does not say whose it is.
 */
const CLIENT_TAKEN: ActionResult = {
  ok: false,
  message: REFUSAL.unchanged,
  fieldErrors: {
    clientId: connectionAnswers.clientTaken,
  },
};

/** The unique indexes of scalepoint_connections (db/schema/scalepoint-connections.ts). */
const COMPANY_KEY = 'scalepoint_connections_company_tenant_env_key';
const CLIENT_KEY = 'scalepoint_connections_client_key';

/** The constraint an error from either driver names: postgres.js `constraint_name`, PGlite `constraint`. */
function constraintOf(e: unknown): string | undefined {
  for (
    let cur: unknown = e, depth = 0;
    cur && depth < 4;
    cur = (cur as { cause?: unknown }).cause, depth++
  ) {
    const { constraint_name: name, constraint } = cur as {
      constraint_name?: unknown;
      constraint?: unknown;
    };
    if (typeof name === 'string') return name;
    if (typeof constraint === 'string') return constraint;
  }
  return undefined;
}

/**
 * A save that lost a race on one of the two keys (the check before it saw nothing): its field
 * error. Any other error is not a clash.
 */
function clashOf(e: unknown): ActionResult | null {
  if (!isUniqueViolation(e)) return null;
  const key = constraintOf(e);
  if (key === CLIENT_KEY) return CLIENT_TAKEN;
  if (key === COMPANY_KEY) return DUPLICATE;
  return null;
}

/**
 * Who holds this client id with this tenant and environment already (another connection than
 * `exceptId`), compared as the index compares: the client id case-insensitively (migration 0021
 * says why). The company's own connection answers as the per-company clash, on Tenant.
 */
async function heldBy(
  tx: Db,
  companyId: string,
  triple: { clientId: string; tenant: string; environment: 'sandbox' | 'production' },
  exceptId?: string,
): Promise<ActionResult | null> {
  const [holder] = await tx
    .select({ companyId: scalepointConnections.companyId })
    .from(scalepointConnections)
    .where(
      and(
        sql`lower(${scalepointConnections.clientId}) = lower(${triple.clientId})`,
        eq(scalepointConnections.tenant, triple.tenant),
        eq(scalepointConnections.environment, triple.environment),
        exceptId ? ne(scalepointConnections.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (!holder) return null;
  return holder.companyId === companyId ? DUPLICATE : CLIENT_TAKEN;
}

async function requireCompany(tx: Db, actor: Actor, action: string, companyId: string) {
  const [company] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(eq(companies.id, companyId));
  if (!company) refuse(actor, action, companyId);
}

/** The connection row, locked for the change; another company's connection is refused (404). */
async function lockConnection(tx: Db, actor: Actor, action: string, companyId: string, id: string) {
  const [row] = await tx
    .select()
    .from(scalepointConnections)
    .where(and(eq(scalepointConnections.id, id), eq(scalepointConnections.companyId, companyId)))
    .for('update');
  if (!row) refuse(actor, action, companyId);
  return row;
}

const changed = (now: Date, userId: string) => ({
  version: sql`${scalepointConnections.version} + 1`,
  changedAt: now,
  updatedAt: now,
  updatedBy: userId,
});

/** Gem forbindelse: a new connection gets its own key pair and certificate; a change keeps them. */
export const saveConnection = supportAction(
  { name: 'support.saveConnection', input: saveConnectionSchema },
  async ({ tx, actor, input, now, audit }) => {
    const { companyId, id, clientId, tenant, environment } = input;
    await requireCompany(tx, actor, 'support.saveConnection', companyId);

    if (!id) {
      const held = await heldBy(tx, companyId, input);
      if (held) return held;
      const keys = await generateConnectionKeys(clientId);
      let created: { id: string } | undefined;
      try {
        // A savepoint: a concurrent save that got either key first becomes a field error, not
        // a dead transaction (and never a 500).
        [created] = await tx.transaction((sp) =>
          sp
            .insert(scalepointConnections)
            .values({
              companyId,
              clientId,
              tenant,
              environment,
              certificatePem: keys.certificatePem,
              privateKeyEnc: encryptSecret(keys.privateKeyPem),
              createdAt: now,
              createdBy: actor.userId,
              updatedAt: now,
              updatedBy: actor.userId,
              changedAt: now,
            })
            .returning({ id: scalepointConnections.id }),
        );
      } catch (e) {
        const clash = clashOf(e);
        if (clash) return clash;
        throw e;
      }
      if (!created) throw new Error('The connection was not inserted.');
      await audit(
        'scalepoint.connection_created',
        { connectionId: created.id, clientId, tenant, environment, thumbprint: keys.thumbprint },
        companyId,
      );
      return { ok: true, message: connectionAnswers.created };
    }

    const before = await lockConnection(tx, actor, 'support.saveConnection', companyId, id);
    const changes: Record<string, { from: string; to: string }> = {};
    for (const [key, to] of [
      ['clientId', clientId],
      ['tenant', tenant],
      ['environment', environment],
    ] as const) {
      if (before[key] !== to) changes[key] = { from: before[key], to };
    }
    if (Object.keys(changes).length === 0)
      return { ok: true, message: connectionAnswers.unchanged };
    const held = await heldBy(tx, companyId, input, id);
    if (held) return held;
    try {
      // A savepoint: a clash on either key (a concurrent save) becomes a field error, not a dead transaction.
      await tx.transaction((sp) =>
        sp
          .update(scalepointConnections)
          .set({ clientId, tenant, environment, ...changed(now, actor.userId) })
          .where(eq(scalepointConnections.id, id)),
      );
    } catch (e) {
      const clash = clashOf(e);
      if (clash) return clash;
      throw e;
    }
    await audit('scalepoint.connection_changed', { connectionId: id, changes }, companyId);
    return { ok: true, message: connectionAnswers.saved };
  },
);

/** Slet forbindelse: the poller stops at its next look; the keys go with the row. */
export const deleteConnection = supportAction(
  { name: 'support.deleteConnection', input: connectionRefSchema },
  async ({ tx, actor, input, audit }) => {
    const { companyId, id } = input;
    await requireCompany(tx, actor, 'support.deleteConnection', companyId);
    const row = await lockConnection(tx, actor, 'support.deleteConnection', companyId, id);
    // Its waiting outgoing events can no longer go: Fejlet, "forbindelsen er slettet".
    await failOutboxOfConnection(tx, id);
    await tx.delete(scalepointConnections).where(eq(scalepointConnections.id, id));
    await audit(
      'scalepoint.connection_deleted',
      {
        connectionId: id,
        clientId: row.clientId,
        tenant: row.tenant,
        environment: row.environment,
        cursor: row.cursor,
      },
      companyId,
    );
    return { ok: true, message: connectionAnswers.deleted(row.tenant) };
  },
);

/**
 * Nyt certifikat: a new key pair; the current one becomes the previous, tried for 24 hours when
 * the new one is refused. A second renewal within those 24 hours would drop the certificate
 * Scalepoint may still have registered, so it is refused until the previous one is revoked.
 */
export const renewCertificate = supportAction(
  { name: 'support.renewCertificate', input: connectionRefSchema },
  async ({ tx, actor, input, now, audit }) => {
    const { companyId, id } = input;
    await requireCompany(tx, actor, 'support.renewCertificate', companyId);
    const row = await lockConnection(tx, actor, 'support.renewCertificate', companyId, id);
    if (row.previousCertificatePem && row.previousValidUntil && row.previousValidUntil > now) {
      const until = formatDateTime(row.previousValidUntil);
      return {
        ok: false,
        message: connectionAnswers.previousStillInUse(until),
      };
    }
    const keys = await generateConnectionKeys(row.clientId);
    const previousValidUntil = new Date(now.getTime() + PREVIOUS_CERTIFICATE_GRACE_MS);
    await tx
      .update(scalepointConnections)
      .set({
        certificatePem: keys.certificatePem,
        privateKeyEnc: encryptSecret(keys.privateKeyPem),
        previousCertificatePem: row.certificatePem,
        previousPrivateKeyEnc: row.privateKeyEnc,
        previousValidUntil,
        ...changed(now, actor.userId),
      })
      .where(eq(scalepointConnections.id, id));
    await audit(
      'scalepoint.certificate_renewed',
      {
        connectionId: id,
        thumbprint: keys.thumbprint,
        previousValidUntil: previousValidUntil.toISOString(),
      },
      companyId,
    );
    return {
      ok: true,
      message: connectionAnswers.renewed(formatDateTime(previousValidUntil)),
    };
  },
);

/** Tilbagekald forrige certifikat: ends the previous certificate's grace period now. */
export const revokePreviousCertificate = supportAction(
  { name: 'support.revokePreviousCertificate', input: connectionRefSchema },
  async ({ tx, actor, input, now, audit }) => {
    const { companyId, id } = input;
    await requireCompany(tx, actor, 'support.revokePreviousCertificate', companyId);
    const row = await lockConnection(tx, actor, 'support.revokePreviousCertificate', companyId, id);
    if (!row.previousCertificatePem || !row.previousValidUntil || row.previousValidUntil <= now) {
      return { ok: false, message: connectionAnswers.noPreviousCertificate };
    }
    await tx
      .update(scalepointConnections)
      .set({
        previousCertificatePem: null,
        previousPrivateKeyEnc: null,
        previousValidUntil: null,
        ...changed(now, actor.userId),
      })
      .where(eq(scalepointConnections.id, id));
    await audit('scalepoint.previous_certificate_revoked', { connectionId: id }, companyId);
    return { ok: true, message: connectionAnswers.previousRevoked };
  },
);

/**
 * Test forbindelse: a token request and one short receive call with the stored keys (the
 * previous pair too, within its grace). Changes nothing but the audit trail. In steps: the keys
 * are read in one short transaction, Scalepoint is asked with none open (up to four calls of up to
 * 8 s each must not hold a pooled connection), and the audit row is its own transaction.
 */
export const testConnection = supportActionInSteps(
  { name: 'support.testConnection', input: connectionRefSchema },
  async ({ step, actor, input, now }) => {
    const { companyId, id } = input;
    const found = await step(async (tx, audit) => {
      await requireCompany(tx, actor, 'support.testConnection', companyId);
      const [row] = await tx
        .select()
        .from(scalepointConnections)
        .where(
          and(eq(scalepointConnections.id, id), eq(scalepointConnections.companyId, companyId)),
        );
      if (!row) refuse(actor, 'support.testConnection', companyId);
      try {
        return {
          row,
          keys: {
            privateKeyPem: decryptSecret(row.privateKeyEnc),
            previous:
              row.previousCertificatePem &&
              row.previousPrivateKeyEnc &&
              row.previousValidUntil &&
              row.previousValidUntil > now
                ? {
                    certificatePem: row.previousCertificatePem,
                    privateKeyPem: decryptSecret(row.previousPrivateKeyEnc),
                    validUntil: row.previousValidUntil,
                  }
                : undefined,
          },
        };
      } catch (e) {
        if (!(e instanceof DecryptError)) throw e;
        // CREDENTIALS_KEY changed without keeping the old key: the stored key cannot be used.
        log.error('scalepoint_connection_key_unreadable', { companyId, connectionId: id });
        await audit(
          'scalepoint.connection_tested',
          { connectionId: id, ok: false, reason: 'key_unreadable' },
          companyId,
        );
        return null;
      }
    });
    if (!found)
      return {
        ok: false,
        message: connectionAnswers.keyUnreadable,
      };
    const { row, keys } = found;
    // A fresh token client: the test asks Scalepoint now instead of reusing a cached token.
    const outcome = await checkConnection(
      {
        connectionId: row.id,
        clientId: row.clientId,
        environment: row.environment,
        tenant: row.tenant,
        certificatePem: row.certificatePem,
        ...keys,
      },
      createTokenClient(),
    );
    await step((_tx, audit) =>
      audit(
        'scalepoint.connection_tested',
        { connectionId: id, ok: outcome.ok, reason: outcome.ok ? undefined : outcome.reason },
        companyId,
      ),
    );
    return outcome.ok
      ? { ok: true, message: outcome.message }
      : { ok: false, message: outcome.message };
  },
);

/**
 * Hent certifikat: the connection's current certificate (public), for support only. Anyone
 * else, a malformed id or another company's connection: NotFoundError. Never the key.
 */
export const connectionCertificate = supportRead(
  {
    name: 'support.downloadCertificate',
    input: z.object({ companyId: z.uuid(), id: z.uuid() }),
  },
  async ({ tx, input: { companyId, id } }) => {
    const [row] = await tx
      .select({
        certificatePem: scalepointConnections.certificatePem,
        tenant: scalepointConnections.tenant,
        environment: scalepointConnections.environment,
      })
      .from(scalepointConnections)
      .where(and(eq(scalepointConnections.id, id), eq(scalepointConnections.companyId, companyId)));
    if (!row) throw new NotFoundError();
    return {
      pem: row.certificatePem,
      filename: `kladde-scalepoint-${row.tenant}-${row.environment}.pem`,
    };
  },
);
