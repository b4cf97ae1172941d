import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { fieldErrorsOf, refused, REFUSAL, type ActionResult } from '@/lib/action-result';
import { writeAudit } from '@/lib/audit';
import { NotFoundError, type Actor } from '@/lib/auth/actor';
import { isCommonPassword } from '@/lib/auth/common-passwords';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { endSessionsOf } from '@/lib/auth/sessions';
import { log } from '@/lib/log';
import { asSystem } from '@/lib/tenancy';
import { accountNameSchema, changePasswordSchema } from './account-schema';

/**
 * Min konto (docs/people.md, "Min konto"): a signed-in person's own name and password. Support
 * users have no company, so the writes go through the system door ('account'), each confined to
 * the actor's own row by its id — the only row these functions ever touch.
 */
export const WRONG_CURRENT_PASSWORD = 'Adgangskoden er forkert.';

function requireSignedIn(actor: Actor | null, action: string): asserts actor is Actor {
  if (!actor) {
    log.warn('action.refused', { action, reason: 'signed_out' });
    throw new NotFoundError();
  }
}

/** The page's view: what the person may see of their own account. */
export async function accountForPage(db: Db, actor: Actor) {
  const [row] = await asSystem(db, 'account', (tx) =>
    tx
      .select({ name: users.name, email: users.email })
      .from(users)
      .where(eq(users.id, actor.userId)),
  );
  if (!row) throw new NotFoundError();
  return row;
}

export async function renameAccount(
  db: Db,
  actor: Actor | null,
  raw: unknown,
): Promise<ActionResult> {
  requireSignedIn(actor, 'account.rename');
  const parsed = accountNameSchema.safeParse(raw);
  if (!parsed.success) return refused(fieldErrorsOf(parsed.error.issues));
  return asSystem(db, 'account', async (tx) => {
    const [before] = await tx
      .select({ name: users.name })
      .from(users)
      .where(eq(users.id, actor.userId))
      .for('update');
    if (!before) throw new NotFoundError();
    if (before.name === parsed.data.name) return { ok: true, message: 'Gemt. Navnet er uændret.' };
    await tx.update(users).set({ name: parsed.data.name }).where(eq(users.id, actor.userId));
    await writeAudit(tx, actor, actor.companyId, 'user.renamed_self', {
      userId: actor.userId,
      from: before.name,
      to: parsed.data.name,
    });
    return { ok: true, message: 'Gemt.' };
  });
}

/**
 * Skift adgangskode: the current password is required (one bcrypt compare), the new one follows
 * the rules; the person's other sessions end, this one goes on. Hashing happens outside the
 * transaction, so no connection waits on bcrypt.
 */
export async function changeOwnPassword(
  db: Db,
  actor: (Actor & { sessionId?: string }) | null,
  raw: unknown,
  now = new Date(),
): Promise<ActionResult> {
  requireSignedIn(actor, 'account.changePassword');
  const parsed = changePasswordSchema(actor.email, isCommonPassword).safeParse(raw);
  if (!parsed.success) return refused(fieldErrorsOf(parsed.error.issues));
  const [row] = await asSystem(db, 'account', (tx) =>
    tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.userId)),
  );
  if (!(await verifyPassword(parsed.data.current, row?.hash)))
    return refused({ current: WRONG_CURRENT_PASSWORD }, REFUSAL.invalid);
  const passwordHash = await hashPassword(parsed.data.password);
  return asSystem(db, 'account', async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.userId));
    const ended = await endSessionsOf(tx, actor.userId, {
      now,
      reason: 'password_changed',
      except: actor.sessionId,
    });
    await writeAudit(tx, actor, actor.companyId, 'user.password_changed', {
      userId: actor.userId,
      otherSessionsEnded: ended,
    });
    return {
      ok: true,
      message:
        ended > 0
          ? `Adgangskoden er skiftet. Du er logget ud de ${ended} andre steder, du var logget ind.`
          : 'Adgangskoden er skiftet.',
    };
  });
}
