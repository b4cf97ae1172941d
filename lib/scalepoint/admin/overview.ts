import { and, asc, desc, eq, sql } from 'drizzle-orm';
import {
  auditLog,
  orderTypes,
  scalepointConnections,
  scalepointCredentials,
  scalepointDeliveries,
  scalepointMails,
  users,
} from '@/db/schema';
import { companyRead } from '@/lib/door';
import { getSettings } from '../settings/read';
import { integrationStatus } from '../settings/words';

/** Everything the admin's Scalepoint page shows, for the actor's own company only. */
export const getScalepointOverview = companyRead(
  { name: 'scalepoint.overview', roles: ['admin'] },
  async ({ tx: db, actor, companyId }) => {
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
  },
);
