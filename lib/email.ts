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

/**
 * Sends through Resend (the SDK honours RESEND_BASE_URL). Without RESEND_API_KEY nothing is
 * sent and the caller records the mail as not sent. Errors come back as values, never thrown.
 */
export const resendMailer: Mailer = async (mail) => {
  const apiKey = env().resendApiKey;
  if (!apiKey) return { status: 'not_sent', reason: 'RESEND_API_KEY er ikke sat' };
  try {
    const resend = new Resend(apiKey);
    const { data, error } = await resend.emails.send(
      { from: mail.from, to: mail.to, cc: mail.cc, replyTo: mail.replyTo, subject: mail.subject, text: mail.text },
      { idempotencyKey: mail.idempotencyKey },
    );
    if (error || !data) return { status: 'failed', error: error?.message ?? 'Resend svarede uden id' };
    return { status: 'sent', providerId: data.id };
  } catch (e) {
    return { status: 'failed', error: e instanceof Error ? e.message : String(e) };
  }
};
