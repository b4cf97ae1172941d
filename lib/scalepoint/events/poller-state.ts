import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, scalepointConnections, scalepointSettings } from '@/db/schema';
import { decryptSecret } from '@/lib/crypto';
import { asSystem } from '@/lib/tenancy';
import { DeliveryAborted } from '../intake/apply-delivery';
import type { ConnectionKeys } from './token';

/**
 * The poller's bookkeeping on the connection row (docs/events-api.md, "The receiver"): which
 * connections to poll, the cursor, and the health the status card shows. Which instance polls a
 * connection is a lease of the background room (lib/background). Everything here crosses
 * companies, so it goes through the system door with the reason 'poller'.
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

export type PolledConnection = {
  keys: ConnectionKeys & { tenant: string };
  companyId: string;
  /** The id of the last event handled; moved by each event's own transaction. */
  cursor: string | null;
  version: number;
};

/**
 * A connection's keys and cursor, read when this instance starts polling it (the background
 * room's lease says it may), and again when its cursor moved under it. Null when it is gone.
 */
export async function loadConnection(
  db: Db,
  connectionId: string,
): Promise<PolledConnection | null> {
  const [row] = await asSystem(db, 'poller', (tx) =>
    tx
      .select({
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
      })
      .from(scalepointConnections)
      .where(eq(scalepointConnections.id, connectionId)),
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

/** Undoes the event's transaction: the cursor is no longer where this instance left it (another instance moved it). */
export class CursorMovedError extends DeliveryAborted {
  constructor() {
    super("the connection's cursor moved under this instance");
    this.name = 'CursorMovedError';
  }
}

/**
 * Undoes the event's transaction: the company's module is off (turned off after the event was
 * fetched, before the supervisor stopped the loop). The event is not consumed — no delivery row,
 * the cursor stays before it — and waits at Scalepoint until the module is on again
 * (docs/events-api.md, "The receiver"). Not a connection error: nothing is recorded, no alert.
 */
export class ModuleOffError extends DeliveryAborted {
  constructor() {
    super("the company's Scalepoint module is off");
    this.name = 'ModuleOffError';
  }
}

/**
 * Moves the cursor from `from` to `to` inside the transaction that holds the event's effect,
 * only if nobody moved it meanwhile (a compare-and-set): the effect and the cursor commit
 * together or not at all, and of two instances that handle one event — one whose lease ran out
 * unnoticed, one that took it over — exactly one commits. Throws CursorMovedError (which rolls
 * the effect back).
 */
export async function advanceCursor(
  tx: Db,
  connectionId: string,
  from: string | null,
  to: string,
): Promise<void> {
  const rows = await tx
    .update(scalepointConnections)
    .set({ cursor: to })
    .where(
      and(
        eq(scalepointConnections.id, connectionId),
        from === null
          ? isNull(scalepointConnections.cursor)
          : eq(scalepointConnections.cursor, from),
      ),
    )
    .returning({ id: scalepointConnections.id });
  if (rows.length !== 1) throw new CursorMovedError();
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
