import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, invitations, users } from '@/db/schema';
import type { MailOutcome, Mailer, OutgoingMail } from '@/lib/email';
import { env } from '@/lib/env';
import { formatDateTime } from '@/lib/format';
import { hashLinkToken, isLinkTokenShape, newLinkToken } from './tokens';

/**
 * Invitation links (docs/people.md): random tokens stored only as hashes, valid 7 days, used
 * once; a new invitation voids the user's old link (the partial unique index
 * invitations_live_user_key allows one live invitation per user, so two at once cannot both live).
 * Callers pass their own transaction (the company's door for an admin, the system door for support).
 */
export const INVITATION_DAYS = 7;

export type IssuedInvitation = { id: string; token: string; link: string; expiresAt: Date };

export function invitationLink(token: string): string {
  return `${env().appUrl}/invitation/${token}`;
}

/** Voids the user's live links and makes a new one, in the caller's transaction. */
export async function issueInvitation(
  tx: Db,
  input: { userId: string; companyId: string | null; createdBy: string | null; now: Date },
): Promise<IssuedInvitation> {
  await voidInvitations(tx, input.userId, input.now);
  const { token, hash } = newLinkToken();
  const expiresAt = new Date(input.now.getTime() + INVITATION_DAYS * 24 * 3600_000);
  const [row] = await tx
    .insert(invitations)
    .values({
      userId: input.userId,
      companyId: input.companyId,
      tokenHash: hash,
      expiresAt,
      createdBy: input.createdBy,
      createdAt: input.now,
    })
    .returning({ id: invitations.id });
  return { id: row!.id, token, link: invitationLink(token), expiresAt };
}

/** Every live link of the user stops working (a new invitation, a deactivation). */
export async function voidInvitations(tx: Db, userId: string, now: Date): Promise<void> {
  await tx
    .update(invitations)
    .set({ voidedAt: now })
    .where(
      and(eq(invitations.userId, userId), isNull(invitations.usedAt), isNull(invitations.voidedAt)),
    );
}

/** The invitation mail (Resend, like the access mail): subject names Kladde and the company. */
export function invitationMail(input: {
  to: string;
  name: string;
  companyName: string | null;
  link: string;
  expiresAt: Date;
  invitationId: string;
}): OutgoingMail {
  const where = input.companyName ?? 'Kladde support';
  return {
    from: env().mailFrom,
    to: input.to,
    subject: `Invitation til Kladde – ${where}`,
    text: [
      `Hej ${input.name}`,
      '',
      input.companyName
        ? `Du er inviteret til ${input.companyName} i ordresystemet Kladde.`
        : 'Du er inviteret som supportbruger i Kladde.',
      'Åbn linket, og vælg din adgangskode:',
      '',
      input.link,
      '',
      `Linket virker én gang og udløber ${formatDateTime(input.expiresAt)}.`,
      'Har du ikke ventet denne invitation, kan du se bort fra mailen.',
    ].join('\n'),
    idempotencyKey: `invitation-${input.invitationId}`,
  };
}

/** Records how the invitation's mail went, in the caller's transaction. */
export async function recordInvitationMail(
  tx: Db,
  invitationId: string,
  outcome: MailOutcome,
): Promise<void> {
  await tx
    .update(invitations)
    .set({
      mailStatus: outcome.status,
      mailProviderId: outcome.status === 'sent' ? outcome.providerId : null,
      mailError:
        outcome.status === 'failed'
          ? outcome.error.slice(0, 500)
          : outcome.status === 'not_sent'
            ? outcome.reason
            : null,
    })
    .where(eq(invitations.id, invitationId));
}

/**
 * Sends an issued invitation (call with no transaction open: it waits on Resend) and records the
 * outcome through `record`. Returns what the inviter's page says, and the link when the mail did
 * not go out (shown once, to pass on by hand).
 */
export async function deliverInvitation(
  mailer: Mailer,
  issued: IssuedInvitation,
  to: { email: string; name: string; companyName: string | null },
  record: (outcome: MailOutcome) => Promise<void>,
): Promise<{ message: string; link?: string }> {
  const outcome = await mailer(
    invitationMail({
      to: to.email,
      name: to.name,
      companyName: to.companyName,
      link: issued.link,
      expiresAt: issued.expiresAt,
      invitationId: issued.id,
    }),
  );
  await record(outcome);
  if (outcome.status === 'sent') return { message: `Invitationen er sendt til ${to.email}.` };
  if (outcome.status === 'not_sent') {
    return {
      message: `Invitationen er ikke sendt (${outcome.reason}). Giv linket til ${to.email} videre selv; det vises kun denne ene gang.`,
      link: issued.link,
    };
  }
  return {
    message: `Invitationen til ${to.email} kunne ikke sendes: ${outcome.error}. Prøv Send invitation igen, eller giv linket videre selv; det vises kun denne ene gang.`,
    link: issued.link,
  };
}

export type OpenInvitation = {
  invitationId: string;
  userId: string;
  email: string;
  name: string;
  companyName: string | null;
};

/**
 * The invitation a token opens, or null for an unknown, used, voided or expired link, a user who
 * is no longer invited, or a deactivated company. `tx` is the system door (the visitor is not
 * signed in); `lock` holds the user's row, then the invitation's, until the transaction ends — the
 * same order a deactivation takes them, so the two cannot deadlock.
 */
export async function openInvitation(
  tx: Db,
  token: string,
  now: Date,
  lock = false,
): Promise<OpenInvitation | null> {
  if (!isLinkTokenShape(token)) return null;
  const hash = hashLinkToken(token);
  const [found] = await tx
    .select({ userId: invitations.userId })
    .from(invitations)
    .where(eq(invitations.tokenHash, hash));
  if (!found) return null;
  if (lock)
    await tx.execute(sql`select 1 from ${users} where ${users.id} = ${found.userId} for update`);
  const live = tx
    .select({
      invitationId: invitations.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      companyName: companies.name,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .leftJoin(companies, eq(companies.id, users.companyId))
    .where(
      and(
        eq(invitations.tokenHash, hash),
        isNull(invitations.usedAt),
        isNull(invitations.voidedAt),
        sql`${invitations.expiresAt} > ${now.toISOString()}::timestamptz`,
        eq(users.status, 'invited'),
        isNull(companies.deactivatedAt),
      ),
    );
  const [row] = lock ? await live.for('update', { of: invitations }) : await live;
  return row ?? null;
}
