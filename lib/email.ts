import { Resend } from 'resend';
import { env } from './env';

export type OutgoingMail = {
  from: string;
  to: string;
  cc?: string;
  replyTo?: string;
  subject: string;
  text: string;
  idempotencyKey: string;
};

export type MailOutcome =
  | { status: 'sent'; providerId: string }
  | { status: 'not_sent'; reason: string }
  | { status: 'failed'; error: string };

export type Mailer = (mail: OutgoingMail) => Promise<MailOutcome>;

/** A mail's outcome as the columns of its record (`scalepoint_mails`): the access mail, the alerts, the morning mail. */
export function mailOutcomeColumns(outcome: MailOutcome) {
  return {
    status: outcome.status,
    providerId: outcome.status === 'sent' ? outcome.providerId : null,
    error:
      outcome.status === 'failed'
        ? outcome.error
        : outcome.status === 'not_sent'
          ? outcome.reason
          : null,
  };
}

/** How long a send may take before it counts as failed (docs/scalepoint-mail.md). */
export const RESEND_TIMEOUT_MS = 10_000;

/**
 * Sends through Resend (the SDK honours RESEND_BASE_URL), giving up after `timeoutMs`. Without
 * RESEND_API_KEY nothing is sent and the caller records the mail as not sent. Errors come back
 * as values, never thrown. Call it with no transaction open: it waits on the network.
 */
export function createResendMailer(options: { timeoutMs?: number } = {}): Mailer {
  const timeoutMs = options.timeoutMs ?? RESEND_TIMEOUT_MS;
  return async (mail) => {
    const apiKey = env().resendApiKey;
    if (!apiKey) return { status: 'not_sent', reason: 'RESEND_API_KEY er ikke sat' };
    const signal = AbortSignal.timeout(timeoutMs);
    const timedOut = {
      status: 'failed',
      error: `Resend svarede ikke inden for ${Math.round(timeoutMs / 100) / 10} s`,
    } as const;
    try {
      const resend = new Resend(apiKey);
      const { data, error } = await resend.emails.send(
        {
          from: mail.from,
          to: mail.to,
          cc: mail.cc,
          replyTo: mail.replyTo,
          subject: mail.subject,
          text: mail.text,
        },
        { idempotencyKey: mail.idempotencyKey, signal },
      );
      if (signal.aborted) return timedOut;
      if (error || !data)
        return { status: 'failed', error: error?.message ?? 'Resend svarede uden id' };
      return { status: 'sent', providerId: data.id };
    } catch (e) {
      if (signal.aborted) return timedOut;
      return { status: 'failed', error: e instanceof Error ? e.message : String(e) };
    }
  };
}

export const resendMailer: Mailer = createResendMailer();
