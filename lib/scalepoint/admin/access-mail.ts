import { and, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { scalepointMails, type MailStatus } from '@/db/schema/index';
import { companyAddressLine, companyDetailsOf } from '@/lib/companies/details';
import type { ActionResult } from '@/lib/action-result';
import type { Actor } from '@/lib/auth/actor';
import { mailOutcomeColumns, type Mailer } from '@/lib/email';
import { env } from '@/lib/env';
import { companyActionInSteps, companyRead, refuse, type Operation } from '@/lib/door';
import { getSettings } from '../settings/read';
import { lockAccessMail } from '@/lib/locks';
import { accessMailAnswers, composeAccessMail, type AccessMail } from './words';

export { composeAccessMail, type AccessMail };

async function mailFor(db: Db, actor: Actor & { companyId: string }): Promise<AccessMail> {
  const details = await companyDetailsOf(db, actor.companyId);
  if (!details) refuse(actor, 'scalepoint.mail');
  const company = {
    name: details.name,
    cvr: details.cvr,
    address: companyAddressLine(details),
    phone: details.phone,
    email: details.email,
  };
  const e = env();
  return composeAccessMail({
    company,
    admin: { name: actor.name, email: actor.email },
    appUrl: e.appUrl,
    to: e.scalepointEmail,
    from: e.mailFrom,
  });
}

/** The access request as it would be sent now, for the admin page's preview. */
export const previewAccessMail = companyRead(
  { name: 'scalepoint.previewMail', roles: ['admin'] },
  ({ tx, actor }) => mailFor(tx, actor),
);

const RESEND_WINDOW_MS = 60_000;

const recentAnswer = (status: MailStatus): ActionResult =>
  status === 'sent' || status === 'sending'
    ? { ok: true, message: accessMailAnswers.sentRecently }
    : { ok: false, message: accessMailAnswers.failedRecently };

/**
 * Send the access request (docs/scalepoint-mail.md). Only with the module on and saved.
 * Step 1, one short transaction: presses are serialised per company by a transaction-scoped
 * advisory lock; any attempt within the last minute (sent, sending, failed or not sent) answers
 * instead of sending; otherwise the attempt is recorded as 'sending' and committed.
 * Then the mailer is called with no transaction open (the Resend mailer gives up after 10 s).
 * Step 2, a second short transaction: the outcome is recorded on the attempt.
 */
type Attempt =
  | { answer: ActionResult }
  | { answer?: undefined; mailId: string; mail: AccessMail; idempotencyKey: string };

export function accessMailOperation(mailer: Mailer): Operation<undefined> {
  return companyActionInSteps(
    { name: 'scalepoint.sendMail', roles: ['admin'] },
    async ({ actor, companyId, now, step }) => {
      const attempt = await step(async (tx, audit): Promise<Attempt> => {
        const settings = await getSettings(tx, companyId);
        if (!settings.enabled) {
          return { answer: { ok: false, message: accessMailAnswers.moduleOff } };
        }
        const mail = await mailFor(tx, actor);
        await lockAccessMail(tx, companyId);
        const [recent] = await tx
          .select({ status: scalepointMails.status })
          .from(scalepointMails)
          .where(
            and(
              eq(scalepointMails.companyId, companyId),
              eq(scalepointMails.kind, 'access_request'),
              gt(scalepointMails.createdAt, new Date(now.getTime() - RESEND_WINDOW_MS)),
            ),
          )
          .orderBy(desc(scalepointMails.createdAt))
          .limit(1);
        if (recent) return { answer: recentAnswer(recent.status) };

        const idempotencyKey = `kladde-scalepoint-access/${companyId}/${Math.floor(now.getTime() / RESEND_WINDOW_MS)}`;
        const [row] = await tx
          .insert(scalepointMails)
          .values({
            companyId,
            toAddress: mail.to,
            ccAddress: mail.cc ?? null,
            replyTo: mail.replyTo ?? null,
            subject: mail.subject,
            body: mail.text,
            status: 'sending',
            idempotencyKey,
            sentBy: actor.userId,
            createdAt: now,
          })
          .returning({ id: scalepointMails.id });
        await audit('scalepoint.access_mail_started', { to: mail.to });
        return { mailId: row!.id, mail, idempotencyKey };
      });
      if (attempt.answer) return attempt.answer;

      const { mail, idempotencyKey, mailId } = attempt;
      const outcome = await mailer({ ...mail, idempotencyKey });
      await step(async (tx, audit) => {
        await tx
          .update(scalepointMails)
          .set({
            ...mailOutcomeColumns(outcome),
          })
          .where(and(eq(scalepointMails.id, mailId), eq(scalepointMails.companyId, companyId)));
        await audit('scalepoint.access_mail', { status: outcome.status, to: mail.to });
      });
      if (outcome.status === 'sent') return { ok: true, message: accessMailAnswers.sent(mail.to) };
      if (outcome.status === 'not_sent')
        return { ok: false, message: accessMailAnswers.noMailService };
      return { ok: false, message: accessMailAnswers.failed(outcome.error) };
    },
  );
}

export function sendAccessMail(
  db: Db,
  actor: Actor | null,
  mailer: Mailer,
  now = new Date(),
): Promise<ActionResult> {
  return accessMailOperation(mailer)(db, actor, undefined, now);
}
