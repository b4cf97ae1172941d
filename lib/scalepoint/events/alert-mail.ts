import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, scalepointConnections, scalepointMails, users } from '@/db/schema';
import { mailOutcomeColumns, type Mailer } from '@/lib/email';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import { asSystem } from '@/lib/tenancy';
import { composeConnectionAlert } from './words';

export { composeConnectionAlert };

/** At most one alert per connection in this window. */
export const ALERT_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * The alert of a connection that keeps failing: claims the day's alert on the connection row
 * (one UPDATE decides, so two instances never both send), then mails each admin of the company
 * through Resend and records every mail like the access mail.
 */
export function connectionAlerter(mailer: Mailer, now: () => Date = () => new Date()) {
  return async (
    db: Db,
    input: { connectionId: string; companyId: string; code: string; failingSince: Date },
  ): Promise<void> => {
    const at = now();
    const claimed = await asSystem(db, 'poller', (tx) =>
      tx
        .update(scalepointConnections)
        .set({ alertedAt: at })
        .where(
          and(
            eq(scalepointConnections.id, input.connectionId),
            or(
              isNull(scalepointConnections.alertedAt),
              lt(scalepointConnections.alertedAt, new Date(at.getTime() - ALERT_INTERVAL_MS)),
            ),
          ),
        )
        .returning({
          tenant: scalepointConnections.tenant,
          environment: scalepointConnections.environment,
        }),
    );
    const connection = claimed[0];
    if (!connection) return;

    const { company, admins } = await asSystem(db, 'poller', async (tx) => {
      const [company] = await tx
        .select({ name: companies.name })
        .from(companies)
        .where(eq(companies.id, input.companyId));
      const admins = await tx
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.companyId, input.companyId), eq(users.role, 'admin')));
      return { company, admins };
    });
    if (!company) return;
    const e = env();
    const mail = composeConnectionAlert({
      companyName: company.name,
      tenant: connection.tenant,
      environment: connection.environment,
      code: input.code,
      failingSince: input.failingSince,
      appUrl: e.appUrl,
    });
    for (const admin of admins) {
      const idempotencyKey = `kladde-scalepoint-alert/${input.connectionId}/${admin.email}/${Math.floor(at.getTime() / ALERT_INTERVAL_MS)}`;
      const outcome = await mailer({
        from: e.mailFrom,
        to: admin.email,
        subject: mail.subject,
        text: mail.text,
        idempotencyKey,
      });
      await asSystem(db, 'poller', (tx) =>
        tx.insert(scalepointMails).values({
          companyId: input.companyId,
          kind: 'connection_alert',
          toAddress: admin.email,
          subject: mail.subject,
          body: mail.text,
          ...mailOutcomeColumns(outcome),
          idempotencyKey,
          createdAt: at,
        }),
      );
      log.info('scalepoint_connection_alert', {
        connectionId: input.connectionId,
        companyId: input.companyId,
        status: outcome.status,
      });
    }
  };
}
