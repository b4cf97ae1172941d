import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, scalepointConnections, scalepointSettings } from '@/db/schema';
import { decryptSecret } from '@/lib/crypto';
import { asSystem } from '@/lib/tenancy';
import { DeliveryAborted } from '../apply-delivery';
import type { ConnectionKeys } from './token';

/**
 * The poller's bookkeeping on the connection row (docs/events-api.md, "The receiver"): which
 * connections to poll, the lease that lets exactly one instance poll a connection, the cursor,
 * and the health the status card shows. Everything here crosses companies, so it goes through
 * the system door with the reason 'poller'.
 */

/** A connection that should be polled: its module is on. `generation` changes with any change to the connection or the module. */
export type ActiveConnection = {
  id: string;
  companyId: string;
  tenant: string;
  generation: string;
};

export async function listActiveConnections(db: Db): Promise<ActiveConnection[]> {
  const rows = await asSystem(db, 'poller', (tx) =>
    tx
      .select({
        id: scalepointConnections.id,
        companyId: scalepointConnections.companyId,
        tenant: scalepointConnections.tenant,
        version: scalepointConnections.version,
        settingsUpdatedAt: scalepointSettings.updatedAt,
      })
      .from(scalepointConnections)
      .innerJoin(
        scalepointSettings,
        and(
          eq(scalepointSettings.companyId, scalepointConnections.companyId),
          eq(scalepointSettings.enabled, true),
        ),
      )
      // Nothing is polled for a deactivated company (docs/people.md).
      .innerJoin(
        companies,
        and(eq(companies.id, scalepointConnections.companyId), isNull(companies.deactivatedAt)),
      ),
  );
  return rows.map((r) => ({
    id: r.id,
    companyId: r.companyId,
    tenant: r.tenant,
    generation: `${r.version}:${new Date(r.settingsUpdatedAt).getTime()}`,
  }));
}

export type LeasedConnection = {
  keys: ConnectionKeys & { tenant: string };
  companyId: string;
  cursor: string | null;
  version: number;
};

/**
 * Take (or renew) the lease on one connection for `owner`: it succeeds when nobody holds it,
 * the holder's lease has expired, or `owner` holds it already. A single UPDATE decides, so
 * two instances racing for a free connection end with one holder — also behind a
 * transaction-mode pooler, where a session-level advisory lock would not hold.
 */
export async function acquireLease(
  db: Db,
  connectionId: string,
  owner: string,
  leaseMs: number,
): Promise<LeasedConnection | null> {
  const [row] = await asSystem(db, 'poller', (tx) =>
    tx
      .update(scalepointConnections)
      .set({
        leaseOwner: owner,
        leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
      })
      .where(
        and(
          eq(scalepointConnections.id, connectionId),
          or(
            isNull(scalepointConnections.leaseOwner),
            eq(scalepointConnections.leaseOwner, owner),
            lt(scalepointConnections.leaseExpiresAt, sql`now()`),
          ),
        ),
      )
      .returning({
        id: scalepointConnections.id,
        companyId: scalepointConnections.companyId,
        clientId: scalepointConnections.clientId,
        tenant: scalepointConnections.tenant,
        environment: scalepointConnections.environment,
        certificatePem: scalepointConnections.certificatePem,
        privateKeyEnc: scalepointConnections.privateKeyEnc,
        previousCertificatePem: scalepointConnections.previousCertificatePem,
        previousPrivateKeyEnc: scalepointConnections.previousPrivateKeyEnc,
        previousValidUntil: scalepointConnections.previousValidUntil,
        cursor: scalepointConnections.cursor,
        version: scalepointConnections.version,
      }),
  );
  if (!row) return null;
  const previous =
    row.previousCertificatePem && row.previousPrivateKeyEnc && row.previousValidUntil
      ? {
          certificatePem: row.previousCertificatePem,
          privateKeyPem: decryptSecret(row.previousPrivateKeyEnc),
          validUntil: new Date(row.previousValidUntil),
        }
      : null;
  return {
    companyId: row.companyId,
    cursor: row.cursor,
    version: row.version,
    keys: {
      connectionId: row.id,
      clientId: row.clientId,
      environment: row.environment,
      tenant: row.tenant,
      certificatePem: row.certificatePem,
      privateKeyPem: decryptSecret(row.privateKeyEnc),
      previous,
    },
  };
}

/** The heartbeat: extends the lease while `owner` still holds it; false when it was lost. */
export async function renewLease(
  db: Db,
  connectionId: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await asSystem(db, 'poller', (tx) =>
    tx
      .update(scalepointConnections)
      .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
      .where(
        and(
          eq(scalepointConnections.id, connectionId),
          eq(scalepointConnections.leaseOwner, owner),
        ),
      )
      .returning({ id: scalepointConnections.id }),
  );
  return rows.length === 1;
}

export async function releaseLease(db: Db, connectionId: string, owner: string): Promise<void> {
  await asSystem(db, 'poller', (tx) =>
    tx
      .update(scalepointConnections)
      .set({ leaseOwner: null, leaseExpiresAt: null })
      .where(
        and(
          eq(scalepointConnections.id, connectionId),
          eq(scalepointConnections.leaseOwner, owner),
        ),
      ),
  );
}

/** Undoes the event's transaction: the lease went to another instance, or the cursor moved. */
export class LeaseLostError extends DeliveryAborted {
  constructor() {
    super('the lease on the connection was lost, or its cursor moved');
    this.name = 'LeaseLostError';
  }
}

/**
 * Moves the cursor from `from` to `to` inside the transaction that holds the event's effect,
 * only while `owner` holds the lease and nobody moved the cursor meanwhile: the effect and the
 * cursor commit together or not at all. Throws LeaseLostError (which rolls the effect back).
 */
export async function advanceCursor(
  tx: Db,
  connectionId: string,
  owner: string,
  from: string | null,
  to: string,
): Promise<void> {
  const rows = await tx
    .update(scalepointConnections)
    .set({ cursor: to })
    .where(
      and(
        eq(scalepointConnections.id, connectionId),
        eq(scalepointConnections.leaseOwner, owner),
        from === null
          ? isNull(scalepointConnections.cursor)
          : eq(scalepointConnections.cursor, from),
      ),
    )
    .returning({ id: scalepointConnections.id });
  if (rows.length !== 1) throw new LeaseLostError();
}

/**
 * A successful call to Scalepoint: the status card's "Seneste hentning", and the failure streak
 * ends. The last error and its time stay, so the card can still say there was an outage.
 */
export async function recordSuccess(db: Db, connectionId: string, at: Date): Promise<void> {
  await asSystem(db, 'poller', (tx) =>
    tx
      .update(scalepointConnections)
      .set({ lastSuccessAt: at, failingSince: null })
      .where(eq(scalepointConnections.id, connectionId)),
  );
}

/** A failed call: the error code (worded in Danish by the pages) and since when it has failed. */
export async function recordFailure(
  db: Db,
  connectionId: string,
  code: string,
  at: Date,
): Promise<{ failingSince: Date; alertedAt: Date | null }> {
  const [row] = await asSystem(db, 'poller', (tx) =>
    tx
      .update(scalepointConnections)
      .set({
        lastErrorCode: code,
        lastErrorAt: at,
        failingSince: sql`coalesce(${scalepointConnections.failingSince}, ${at.toISOString()}::timestamptz)`,
      })
      .where(eq(scalepointConnections.id, connectionId))
      .returning({
        failingSince: scalepointConnections.failingSince,
        alertedAt: scalepointConnections.alertedAt,
      }),
  );
  return {
    failingSince: row?.failingSince ? new Date(row.failingSince) : at,
    alertedAt: row?.alertedAt ? new Date(row.alertedAt) : null,
  };
}
