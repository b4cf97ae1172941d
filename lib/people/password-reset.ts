import { createHash } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { companies, passwordResets, users } from '@/db/schema';
import { fieldErrorsOf, refused, type ActionResult } from '@/lib/action-result';
import { writeAudit } from '@/lib/audit';
import { isCommonPassword } from '@/lib/auth/common-passwords';
import { PASSWORD_CHANGED } from '@/lib/auth/messages';
import { hashPassword } from '@/lib/auth/password';
import { endSessionsOf, pruneSessions } from '@/lib/auth/sessions';
import type { Mailer, MailOutcome, OutgoingMail } from '@/lib/email';
import { env } from '@/lib/env';
import { formatDateTime } from '@/lib/format';
import { log } from '@/lib/log';
import { asSystem } from '@/lib/tenancy';
import { normaliseEmail } from './email-address';
import { LINK_EXPIRED } from './accept-invitation';
import { forgotPasswordSchema, resetPasswordSchema } from './password-reset-schema';
import { hashLinkToken, isLinkTokenShape, newLinkToken } from './tokens';

/**
 * Glemt adgangskode? and the reset page (docs/people.md, "Forgotten password"). The answer to a
 * request never tells whether the e-mail is known, and neither does the work: every request
 * makes one token, hashes it once, and runs the same three statements in one transaction — the
 * user look-up, the hourly count for the e-mail, one row in `password_resets` (a link only for an
 * active user of an active company, under the limit). The mail goes out after the answer, from the
 * row (`mail_status` queued), so the answer does not wait on Resend either.
 */
export const RESET_LINK_MINUTES = 60;
export const RESETS_PER_HOUR = 3;
export const RESET_REQUESTED = 'Hvis der findes en bruger med den e-mail, har vi sendt et link.';

/** The hourly limit's key: never the e-mail itself. */
export const resetEmailKey = (email: string) =>
  createHash('sha256')
    .update(`reset\n${normaliseEmail(email)}`)
    .digest('base64url');

export type ResetRequestDeps = { hashToken: (token: string) => string };
const realDeps: ResetRequestDeps = { hashToken: hashLinkToken };

/** A mail to send after the answer: the row to record it on, and the link (held in memory only). */
export type QueuedResetMail = {
  resetId: string;
  to: string;
  name: string;
  link: string;
  expiresAt: Date;
};

export async function requestPasswordReset(
  db: Db,
  raw: unknown,
  now = new Date(),
  deps: ResetRequestDeps = realDeps,
): Promise<{ result: ActionResult; mail: QueuedResetMail | null }> {
  const parsed = forgotPasswordSchema.safeParse(raw);
  if (!parsed.success) return { result: refused(fieldErrorsOf(parsed.error.issues)), mail: null };
  const email = parsed.data.email;
  const { token } = newLinkToken();
  const tokenHash = deps.hashToken(token);
  const expiresAt = new Date(now.getTime() + RESET_LINK_MINUTES * 60_000);
  const emailKey = resetEmailKey(email);
  const made = await asSystem(db, 'password-reset', async (tx) => {
    const [user] = await tx
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .leftJoin(companies, eq(companies.id, users.companyId))
      .where(
        and(
          sql`lower(${users.email}) = ${email}`,
          eq(users.status, 'active'),
          isNull(companies.deactivatedAt),
        ),
      )
      .limit(1);
    const [recent] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(passwordResets)
      .where(
        and(
          eq(passwordResets.emailKey, emailKey),
          gt(passwordResets.createdAt, new Date(now.getTime() - 60 * 60_000)),
        ),
      );
    // Over the limit, or nobody to send to: the row still counts the request, with no link.
    const linked = user && (recent?.n ?? 0) < RESETS_PER_HOUR ? user : null;
    const [row] = await tx
      .insert(passwordResets)
      .values({
        emailKey,
        userId: linked?.id ?? null,
        tokenHash: linked ? tokenHash : null,
        createdAt: now,
        expiresAt,
        mailStatus: linked ? 'queued' : 'none',
      })
      .returning({ id: passwordResets.id });
    return linked ? { resetId: row!.id, user: linked } : null;
  });
  return {
    result: { ok: true, message: RESET_REQUESTED },
    mail: made
      ? {
          resetId: made.resetId,
          to: made.user.email,
          name: made.user.name,
          link: `${env().appUrl}/password/reset/${token}`,
          expiresAt,
        }
      : null,
  };
}

export function resetMail(queued: QueuedResetMail): OutgoingMail {
  return {
    from: env().mailFrom,
    to: queued.to,
    subject: 'Nulstil adgangskode til Kladde',
    text: [
      `Hej ${queued.name}`,
      '',
      'Nogen (forhåbentlig dig) har bedt om at nulstille adgangskoden til din bruger i Kladde.',
      'Åbn linket, og vælg en ny adgangskode:',
      '',
      queued.link,
      '',
      `Linket virker én gang og udløber ${formatDateTime(queued.expiresAt)}.`,
      'Har du ikke bedt om det, kan du se bort fra mailen; din adgangskode er uændret.',
    ].join('\n'),
    idempotencyKey: `password-reset-${queued.resetId}`,
  };
}

/** Sends a queued reset mail and records how it went on its row. Never throws. */
export async function sendResetMail(db: Db, mailer: Mailer, queued: QueuedResetMail) {
  let outcome: MailOutcome;
  try {
    outcome = await mailer(resetMail(queued));
  } catch (e) {
    outcome = { status: 'failed', error: e instanceof Error ? e.name : 'error' };
  }
  try {
    await asSystem(db, 'password-reset', (tx) =>
      tx
        .update(passwordResets)
        .set({
          mailStatus: outcome.status,
          mailError:
            outcome.status === 'failed'
              ? outcome.error.slice(0, 300)
              : outcome.status === 'not_sent'
                ? outcome.reason.slice(0, 300)
                : null,
          mailProviderId: outcome.status === 'sent' ? outcome.providerId : null,
        })
        .where(eq(passwordResets.id, queued.resetId)),
    );
  } catch (e) {
    log.error('password_reset.record_failed', { resetId: queued.resetId });
    void e;
  }
  if (outcome.status !== 'sent')
    log.warn('password_reset.mail_not_sent', { resetId: queued.resetId, status: outcome.status });
}

/**
 * A mail still queued after this long was lost with its process (the link lives only in memory
 * until it is mailed): marked failed, so the row says what happened. The user asks again.
 */
export const LOST_MAIL_AFTER_MS = 10 * 60_000;
export async function markLostResetMails(db: Db, now = new Date()): Promise<number> {
  const lost = await asSystem(db, 'password-reset', (tx) =>
    tx
      .update(passwordResets)
      .set({ mailStatus: 'failed', mailError: 'lost before it was sent (process ended)' })
      .where(
        and(
          eq(passwordResets.mailStatus, 'queued'),
          lt(passwordResets.createdAt, new Date(now.getTime() - LOST_MAIL_AFTER_MS)),
        ),
      )
      .returning({ id: passwordResets.id }),
  );
  return lost.length;
}

type OpenReset = { resetId: string; userId: string; email: string };

async function openReset(
  tx: Db,
  token: string,
  now: Date,
  forUpdate = false,
): Promise<OpenReset | null> {
  if (!isLinkTokenShape(token)) return null;
  const query = tx
    .select({ resetId: passwordResets.id, userId: users.id, email: users.email })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .leftJoin(companies, eq(companies.id, users.companyId))
    .where(
      and(
        eq(passwordResets.tokenHash, hashLinkToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
        eq(users.status, 'active'),
        isNull(companies.deactivatedAt),
      ),
    )
    .limit(1);
  const [row] = forUpdate ? await query.for('update', { of: passwordResets }) : await query;
  return row ?? null;
}

/** The reset page's view of a token: the e-mail it is for, or null for any link that opens nothing. */
export async function resetForPage(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ email: string } | null> {
  const found = await asSystem(db, 'password-reset', (tx) => openReset(tx, token, now));
  return found ? { email: found.email } : null;
}

/**
 * Gem adgangskode: the new password (the rules of docs/people.md), the link used, and every
 * session of the user ended — in one transaction. Two tabs with one link: the second finds the
 * row locked, then used. The password is hashed before the transaction.
 */
export async function resetPassword(db: Db, raw: unknown, now = new Date()): Promise<ActionResult> {
  const token = z.object({ token: z.string().max(100) }).safeParse(raw);
  const reset = token.success
    ? await asSystem(db, 'password-reset', (tx) => openReset(tx, token.data.token, now))
    : null;
  if (!reset) return { ok: false, message: LINK_EXPIRED };
  const parsed = resetPasswordSchema(reset.email, isCommonPassword).safeParse(raw);
  if (!parsed.success) return refused(fieldErrorsOf(parsed.error.issues));
  const passwordHash = await hashPassword(parsed.data.password);
  return asSystem(db, 'password-reset', async (tx) => {
    const live = await openReset(tx, parsed.data.token, now, true);
    if (!live) return { ok: false, message: LINK_EXPIRED };
    await tx.update(passwordResets).set({ usedAt: now }).where(eq(passwordResets.id, live.resetId));
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, live.userId))
      .returning({
        userId: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        companyId: users.companyId,
      });
    const ended = await endSessionsOf(tx, live.userId, { now, reason: 'password_reset' });
    await writeAudit(tx, { ...user!, companyName: null }, user!.companyId, 'user.password_reset', {
      userId: live.userId,
      sessionsEnded: ended,
    });
    return { ok: true, message: PASSWORD_CHANGED };
  });
}

/** Requests are kept a day (the hourly limit needs one hour; the rest is for support's questions). */
export const RESET_ROWS_KEPT_MS = 24 * 60 * 60_000;

/** How often the background room runs `sweepAccountRows` (lib/background/server.ts). */
export const ACCOUNT_SWEEP_EVERY_MS = 60_000;

/** The background sweep: lost mails marked failed, old requests and old sessions deleted. */
export async function sweepAccountRows(db: Db, now = new Date()): Promise<void> {
  await markLostResetMails(db, now);
  await asSystem(db, 'password-reset', (tx) =>
    tx
      .delete(passwordResets)
      .where(lt(passwordResets.createdAt, new Date(now.getTime() - RESET_ROWS_KEPT_MS))),
  );
  await pruneSessions(db, now);
}
