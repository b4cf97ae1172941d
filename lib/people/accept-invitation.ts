import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { invitations, users } from '@/db/schema';
import { fieldErrorsOf, refused, type ActionResult } from '@/lib/action-result';
import { isCommonPassword } from '@/lib/auth/common-passwords';
import { INVITATION_ACCEPTED } from '@/lib/auth/messages';
import { hashPassword } from '@/lib/auth/password';
import { writeAudit } from '@/lib/audit';
import { asSystem } from '@/lib/tenancy';
import { acceptInvitationSchema } from './accept-schema';
import { openInvitation, type OpenInvitation } from './invitations';

export const LINK_EXPIRED = 'Linket er udløbet eller allerede brugt';

/** The invitation page's view of a token: who is invited to what, or null (docs/people.md). */
export async function invitationForPage(
  db: Db,
  token: string,
  now = new Date(),
): Promise<Pick<OpenInvitation, 'name' | 'email' | 'companyName'> | null> {
  const found = await asSystem(db, 'invitation', (tx) => openInvitation(tx, token, now));
  return found ? { name: found.name, email: found.email, companyName: found.companyName } : null;
}

/**
 * Opret adgang: the invited user chooses a name and password and becomes active. Two browsers
 * accepting one link at once make one user: the second finds the user's row locked, then the link
 * used. The password is checked against the rules (docs/people.md) and hashed before the
 * transaction, so no connection waits on bcrypt.
 */
export async function acceptInvitation(
  db: Db,
  raw: unknown,
  now = new Date(),
): Promise<ActionResult> {
  const token = z.object({ token: z.string().max(100) }).safeParse(raw);
  const invitation = token.success
    ? await asSystem(db, 'invitation', (tx) => openInvitation(tx, token.data.token, now))
    : null;
  if (!invitation) return { ok: false, message: LINK_EXPIRED };
  const parsed = acceptInvitationSchema(invitation.email, isCommonPassword).safeParse(raw);
  if (!parsed.success) return refused(fieldErrorsOf(parsed.error.issues));
  const passwordHash = await hashPassword(parsed.data.password);
  return asSystem(db, 'invitation', async (tx) => {
    const live = await openInvitation(tx, parsed.data.token, now, true);
    if (!live) return { ok: false, message: LINK_EXPIRED };
    const [user] = await tx
      .update(users)
      .set({ name: parsed.data.name, passwordHash, status: 'active' })
      .where(eq(users.id, live.userId))
      .returning({
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        companyId: users.companyId,
      });
    await tx.update(invitations).set({ usedAt: now }).where(eq(invitations.id, live.invitationId));
    await writeAudit(
      tx,
      {
        userId: user!.id,
        email: user!.email,
        name: user!.name,
        role: user!.role,
        companyId: user!.companyId,
        companyName: live.companyName,
      },
      user!.companyId,
      'user.invitation_accepted',
      {
        userId: user!.id,
      },
    );
    return { ok: true, message: INVITATION_ACCEPTED };
  });
}
