import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  auditLog,
  companies,
  orderTypes,
  scalepointConnections,
  scalepointCredentials,
  scalepointDeliveries,
  scalepointMails,
  scalepointSettings,
  users,
} from '@/db/schema';
import { isCompanyAdmin, type Actor } from '@/lib/auth/actor';
import { REFUSAL } from '@/lib/action-result';
import { companyAction, refuse } from '@/lib/door';
import { scalepointSettingsSchema } from './settings-schema';
import { inCompany } from '@/lib/tenancy';

export type IntegrationStatus = 'disabled' | 'awaiting_access' | 'active';

export const statusLabel: Record<IntegrationStatus, string> = {
  disabled: 'Ikke aktiveret',
  awaiting_access: 'Afventer adgang fra Scalepoint',
  active: 'Aktiv',
};

/** `hasAccess`: credentials for direct delivery stored, or at least one Events API connection. */
export function integrationStatus(enabled: boolean, hasAccess: boolean): IntegrationStatus {
  if (!enabled) return 'disabled';
  return hasAccess ? 'active' : 'awaiting_access';
}

/**
 * The company's Scalepoint settings in effect. A deactivated company (docs/people.md) reads as if
 * its module were off, like the intake's account look-up, so no path (the careful intake path, an
 * event, a replay) makes a draft for it.
 */
export async function getSettings(db: Db, companyId: string) {
  const [row] = await db
    .select({
      enabled: sql<boolean>`(${scalepointSettings.enabled} and ${companies.deactivatedAt} is null)`,
      orderTypeId: scalepointSettings.orderTypeId,
      orderTypeName: orderTypes.name,
      customerMode: scalepointSettings.customerMode,
      phoneAsCustomerNumber: scalepointSettings.phoneAsCustomerNumber,
      updatedAt: scalepointSettings.updatedAt,
    })
    .from(scalepointSettings)
    .innerJoin(companies, eq(companies.id, scalepointSettings.companyId))
    .leftJoin(
      orderTypes,
      and(eq(orderTypes.id, scalepointSettings.orderTypeId), eq(orderTypes.companyId, companyId)),
    )
    .where(eq(scalepointSettings.companyId, companyId));
  return (
    row ?? {
      enabled: false,
      orderTypeId: null,
      orderTypeName: null,
      customerMode: 'policyholder' as const,
      phoneAsCustomerNumber: false,
      updatedAt: null,
    }
  );
}

/** Everything the admin's Scalepoint page shows, for the actor's own company only. */
export async function getScalepointOverview(db: Db, actor: Actor | null) {
  if (!isCompanyAdmin(actor)) refuse(actor, 'scalepoint.overview');
  return inCompany(db, actor.companyId, async (db) => {
    const companyId = actor.companyId;
    const [settings, types, [credentials], connections, [lastMail], [lastClaim], audit] =
      await Promise.all([
        getSettings(db, companyId),
        // Only active types may be the Standard ordretype (docs/people.md).
        db
          .select({ id: orderTypes.id, name: orderTypes.name })
          .from(orderTypes)
          .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.active, true)))
          .orderBy(asc(orderTypes.name)),
        db
          .select({ storedAt: scalepointCredentials.storedAt })
          .from(scalepointCredentials)
          .where(eq(scalepointCredentials.companyId, companyId)),
        // The Events API connections' health (the poller keeps it on the row): Seneste hentning and the last error.
        db
          .select({
            id: scalepointConnections.id,
            tenant: scalepointConnections.tenant,
            environment: scalepointConnections.environment,
            lastSuccessAt: scalepointConnections.lastSuccessAt,
            lastErrorCode: scalepointConnections.lastErrorCode,
            lastErrorAt: scalepointConnections.lastErrorAt,
            failingSince: scalepointConnections.failingSince,
          })
          .from(scalepointConnections)
          .where(eq(scalepointConnections.companyId, companyId))
          .orderBy(asc(scalepointConnections.tenant), asc(scalepointConnections.environment)),
        db
          .select({
            status: scalepointMails.status,
            createdAt: scalepointMails.createdAt,
            error: scalepointMails.error,
            toAddress: scalepointMails.toAddress,
          })
          .from(scalepointMails)
          .where(
            and(
              eq(scalepointMails.companyId, companyId),
              eq(scalepointMails.kind, 'access_request'),
            ),
          )
          .orderBy(desc(scalepointMails.createdAt))
          .limit(1),
        db
          .select({ receivedAt: scalepointDeliveries.receivedAt })
          .from(scalepointDeliveries)
          .where(
            and(
              eq(scalepointDeliveries.companyId, companyId),
              sql`${scalepointDeliveries.status} in ('created', 'duplicate')`,
            ),
          )
          .orderBy(desc(scalepointDeliveries.receivedAt))
          .limit(1),
        db
          .select({
            id: auditLog.id,
            action: auditLog.action,
            details: auditLog.details,
            createdAt: auditLog.createdAt,
            actorRole: auditLog.actorRole,
            actorName: users.name,
          })
          .from(auditLog)
          .leftJoin(users, eq(users.id, auditLog.actorUserId))
          .where(eq(auditLog.companyId, companyId))
          .orderBy(desc(auditLog.createdAt))
          .limit(10),
      ]);
    return {
      companyName: actor.companyName,
      settings,
      orderTypes: types,
      status: integrationStatus(settings.enabled, !!credentials || connections.length > 0),
      connections,
      credentialsStoredAt: credentials?.storedAt ?? null,
      lastMail: lastMail ?? null,
      lastClaimAt: lastClaim?.receivedAt ?? null,
      audit,
    };
  });
}

/** Save the company's settings; the settings row and its audit row land together or not at all. */
export const saveScalepointSettings = companyAction(
  { name: 'scalepoint.saveSettings', roles: ['admin'], input: scalepointSettingsSchema },
  async ({ tx, actor, companyId, input: v, audit, now }) => {
    if (v.orderTypeId) {
      const [type] = await tx
        .select({ id: orderTypes.id })
        .from(orderTypes)
        .where(
          and(
            eq(orderTypes.companyId, companyId),
            sql`${orderTypes.id}::text = ${v.orderTypeId}`,
            eq(orderTypes.active, true),
          ),
        )
        // Held until commit: a deactivation of this type waits, then sees it is the standard type
        // (lib/order-types/order-types.ts), and one that came first makes this row not match.
        .for('share');
      if (!type)
        return {
          ok: false,
          message: REFUSAL.unchanged,
          fieldErrors: { orderTypeId: 'Vælg en af virksomhedens egne, aktive ordretyper.' },
        };
    }
    const before = await getSettings(tx, companyId);
    await tx
      .insert(scalepointSettings)
      .values({ companyId, ...v, updatedAt: now, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: scalepointSettings.companyId,
        set: { ...v, updatedAt: now, updatedBy: actor.userId },
      });
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of [
      'enabled',
      'orderTypeId',
      'customerMode',
      'phoneAsCustomerNumber',
    ] as const) {
      if (before[key] !== v[key]) changes[key] = { from: before[key], to: v[key] };
    }
    await audit('scalepoint.settings_saved', { changes });
    return { ok: true, message: 'Gemt. Indstillingerne gælder for alle nye sager fra Scalepoint.' };
  },
);
