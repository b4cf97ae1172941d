import { X509Certificate } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  companies,
  scalepointConnections,
  scalepointCredentials,
  scalepointMails,
  scalepointSettings,
  users,
} from '@/db/schema/index';
import { supportRead } from '@/lib/door';
import { connectionOutboundState } from '../outbound/reads';
import { integrationStatus } from '../settings/words';

/** What support's page shows of a certificate: its SHA-1 fingerprint and expiry, for comparing with Scalepoint's. */
function certificateSummary(pem: string) {
  try {
    const cert = new X509Certificate(pem);
    return { fingerprint: cert.fingerprint, validTo: new Date(cert.validTo) };
  } catch {
    return { fingerprint: null, validTo: null };
  }
}

/**
 * One company as support's company view shows it (docs/support-scalepoint.md): status, the
 * stored credentials (last 4 of the secret only) and the Events API connections with explicit
 * columns — never a private key, never a secret. Null for an unknown id; a malformed one is refused (404).
 */
export const getSupportCompanyView = supportRead(
  { name: 'support.companyView', input: z.object({ companyId: z.uuid() }) },
  async ({ tx, input: { companyId }, now }) => {
    const [company] = await tx
      .select({
        id: companies.id,
        name: companies.name,
        cvr: companies.cvr,
        enabled: scalepointSettings.enabled,
      })
      .from(companies)
      .leftJoin(scalepointSettings, eq(scalepointSettings.companyId, companies.id))
      .where(eq(companies.id, companyId));
    if (!company) return null;
    const [[credentials], [lastMail], connections, outbound] = await Promise.all([
      tx
        .select({
          accountId: scalepointCredentials.accountId,
          secretLast4: scalepointCredentials.secretLast4,
          storedAt: scalepointCredentials.storedAt,
          storedBy: users.name,
          previousValidUntil: scalepointCredentials.previousValidUntil,
        })
        .from(scalepointCredentials)
        .leftJoin(users, eq(users.id, scalepointCredentials.storedBy))
        .where(eq(scalepointCredentials.companyId, companyId)),
      tx
        .select({ createdAt: scalepointMails.createdAt })
        .from(scalepointMails)
        .where(
          and(
            eq(scalepointMails.companyId, companyId),
            eq(scalepointMails.kind, 'access_request'),
            eq(scalepointMails.status, 'sent'),
          ),
        )
        .orderBy(desc(scalepointMails.createdAt))
        .limit(1),
      tx
        .select({
          id: scalepointConnections.id,
          clientId: scalepointConnections.clientId,
          tenant: scalepointConnections.tenant,
          environment: scalepointConnections.environment,
          certificatePem: scalepointConnections.certificatePem,
          previousValidUntil: scalepointConnections.previousValidUntil,
          lastSuccessAt: scalepointConnections.lastSuccessAt,
          lastErrorCode: scalepointConnections.lastErrorCode,
          lastErrorAt: scalepointConnections.lastErrorAt,
          createdAt: scalepointConnections.createdAt,
          updatedAt: scalepointConnections.updatedAt,
        })
        .from(scalepointConnections)
        .where(eq(scalepointConnections.companyId, companyId))
        .orderBy(asc(scalepointConnections.tenant), asc(scalepointConnections.environment)),
      connectionOutboundState(tx, companyId),
    ]);
    const outboundOf = new Map(outbound.map(({ connectionId, ...state }) => [connectionId, state]));
    const enabled = company.enabled ?? false;
    return {
      company: { id: company.id, name: company.name, cvr: company.cvr },
      status: integrationStatus(enabled, !!credentials || connections.length > 0),
      lastMailAt: lastMail?.createdAt ?? null,
      credentials: credentials
        ? {
            accountId: credentials.accountId,
            secretLast4: credentials.secretLast4,
            storedAt: credentials.storedAt,
            storedBy: credentials.storedBy,
            // Only while it still works: after that there is nothing to revoke.
            previousValidUntil:
              credentials.previousValidUntil && credentials.previousValidUntil > now
                ? credentials.previousValidUntil
                : null,
          }
        : null,
      connections: connections.map(({ certificatePem, previousValidUntil, ...c }) => ({
        ...c,
        ...certificateSummary(certificatePem),
        previousValidUntil:
          previousValidUntil && previousValidUntil > now ? previousValidUntil : null,
        // What it sends (lib/scalepoint/outbound/reads.ts); nothing sent yet → zeros and nulls.
        outbound: outboundOf.get(c.id) ?? {
          lastSentAt: null,
          lastFailedAt: null,
          lastFailureReason: null,
          pending: 0,
        },
      })),
    };
  },
);

export type SupportCompanyView = NonNullable<Awaited<ReturnType<typeof getSupportCompanyView>>>;
export type SupportConnectionView = SupportCompanyView['connections'][number];
