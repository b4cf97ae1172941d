import { endSessionsOf } from '@/lib/auth/sessions';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { invitations, users, type UserStatus } from '@/db/schema';
import { writeCommandAudit } from '@/lib/audit';
import { refuse, supportAction, supportActionInSteps, supportRead } from '@/lib/door';
import { refused } from '@/lib/action-result';
import type { Mailer } from '@/lib/email';
import { isUuid } from '@/lib/ids';
import { lockPeople } from '@/lib/locks';
import { recentPeopleAudit, type PeopleAuditRow } from '@/lib/companies/directory';
import { asSystem } from '@/lib/tenancy';
import { normaliseEmail } from './email-address';
import {
  deliverInvitation,
  issueInvitation,
  recordInvitationMail,
  voidInvitations,
  type IssuedInvitation,
} from './invitations';
import { EMAIL_IN_USE, inviteSupportUserSchema, userIdSchema } from './schemas';
import { reactivatedStatus } from './company-users';

/**
 * Support's own people (docs/people.md): Supportbrugere, Inviter supportbruger, Deaktiver (never
 * the last active support user), Genaktiver, Send invitation igen — and the first support user of
 * a production database, made by `npm run support:invite`.
 */
export const LAST_SUPPORT = 'Den sidste aktive supportbruger kan ikke deaktiveres.';

export type SupportUserRow = {
  id: string;
  name: string;
  email: string;
  status: UserStatus;
  createdAt: Date;
  invited: boolean;
};

/** Supportbrugere: every support user, by name, and whether a live invitation waits. */
export const listSupportUsers = supportRead(
  { name: 'support.listUsers' },
  async ({ tx }): Promise<SupportUserRow[]> => {
    const rows = await tx
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        status: users.status,
        createdAt: users.createdAt,
        live: invitations.id,
      })
      .from(users)
      .leftJoin(
        invitations,
        and(
          eq(invitations.userId, users.id),
          isNull(invitations.usedAt),
          isNull(invitations.voidedAt),
        ),
      )
      .where(eq(users.role, 'support'))
      .orderBy(asc(users.name), asc(users.email));
    return rows.map(({ live, ...r }) => ({ ...r, invited: !!live }));
  },
);

/** The Ændringslog of support's own people (the audit rows that belong to no company), newest first. */
export const supportPeopleAudit = supportRead(
  { name: 'support.peopleAudit' },
  ({ tx }): Promise<PeopleAuditRow[]> => recentPeopleAudit(tx, null),
);

/** A support user (status Inviteret) and its link, in the caller's system-door transaction; null when the e-mail is in use. */
async function insertInvitedSupport(
  tx: Db,
  input: { email: string; name: string; createdBy: string | null; now: Date },
): Promise<{ userId: string; invitation: IssuedInvitation } | null> {
  const [user] = await tx
    .insert(users)
    .values({
      email: normaliseEmail(input.email),
      name: input.name,
      role: 'support',
      companyId: null,
      status: 'invited',
    })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (!user) return null;
  const invitation = await issueInvitation(tx, {
    userId: user.id,
    companyId: null,
    createdBy: input.createdBy,
    now: input.now,
  });
  return { userId: user.id, invitation };
}

export function inviteSupportUser(mailer: Mailer) {
  return supportActionInSteps(
    { name: 'support.inviteSupportUser', input: inviteSupportUserSchema },
    async ({ step, actor, input, now }) => {
      const made = await step(async (tx, audit) => {
        const m = await insertInvitedSupport(tx, {
          email: input.email,
          name: input.name,
          createdBy: actor.userId,
          now,
        });
        if (m)
          await audit('user.invited', { userId: m.userId, email: input.email, role: 'support' });
        return m;
      });
      if (!made) return refused({ email: EMAIL_IN_USE });
      const sent = await deliverInvitation(
        mailer,
        made.invitation,
        { email: input.email, name: input.name, companyName: null },
        (outcome) => step((tx) => recordInvitationMail(tx, made.invitation.id, outcome)),
      );
      return { ok: true, message: sent.message, data: { link: sent.link } };
    },
  );
}

export function resendSupportInvitation(mailer: Mailer) {
  return supportActionInSteps(
    { name: 'support.resendSupportInvitation', input: userIdSchema },
    async ({ step, actor, input, now }) => {
      if (!isUuid(input.userId)) refuse(actor, 'support.resendSupportInvitation');
      const issued = await step(async (tx, audit) => {
        const [user] = await tx
          .select({ id: users.id, name: users.name, email: users.email, status: users.status })
          .from(users)
          .where(and(eq(users.id, input.userId), eq(users.role, 'support')))
          .for('update');
        if (!user) refuse(actor, 'support.resendSupportInvitation');
        if (user.status !== 'invited')
          return { refusal: `${user.name} er ikke inviteret.` } as const;
        const invitation = await issueInvitation(tx, {
          userId: user.id,
          companyId: null,
          createdBy: actor.userId,
          now,
        });
        await audit('user.invitation_resent', { userId: user.id, email: user.email });
        return { user, invitation };
      });
      if (issued.refusal !== undefined) return { ok: false, message: issued.refusal };
      const sent = await deliverInvitation(
        mailer,
        issued.invitation,
        { email: issued.user.email, name: issued.user.name, companyName: null },
        (outcome) => step((tx) => recordInvitationMail(tx, issued.invitation.id, outcome)),
      );
      return { ok: true, message: sent.message, data: { link: sent.link } };
    },
  );
}

async function supportTarget(tx: Db, userId: string) {
  if (!isUuid(userId)) return null;
  const [user] = await tx
    .select({ id: users.id, name: users.name, email: users.email, status: users.status })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.role, 'support')))
    .for('update');
  return user ?? null;
}

export const deactivateSupportUser = supportAction(
  { name: 'support.deactivateSupportUser', input: userIdSchema },
  async ({ tx, actor, input, now, audit }) => {
    await lockPeople(tx, null);
    const user = await supportTarget(tx, input.userId);
    if (!user) refuse(actor, 'support.deactivateSupportUser');
    if (user.status === 'deactivated')
      return { ok: true, message: `${user.name} er allerede deaktiveret.` };
    if (user.status === 'active') {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(users)
        .where(and(eq(users.role, 'support'), eq(users.status, 'active')));
      if ((row?.n ?? 0) <= 1) return { ok: false, message: LAST_SUPPORT };
    }
    await tx.update(users).set({ status: 'deactivated' }).where(eq(users.id, user.id));
    await endSessionsOf(tx, user.id, { now, reason: 'deactivated' });
    await voidInvitations(tx, user.id, now);
    await audit('user.deactivated', { userId: user.id, email: user.email, was: user.status });
    return { ok: true, message: `${user.name} er deaktiveret.` };
  },
);

export const reactivateSupportUser = supportAction(
  { name: 'support.reactivateSupportUser', input: userIdSchema },
  async ({ tx, actor, input, audit }) => {
    await lockPeople(tx, null);
    const user = await supportTarget(tx, input.userId);
    if (!user) refuse(actor, 'support.reactivateSupportUser');
    if (user.status !== 'deactivated')
      return { ok: true, message: `${user.name} er ikke deaktiveret.` };
    const status = await reactivatedStatus(tx, user.id);
    await tx.update(users).set({ status }).where(eq(users.id, user.id));
    await audit('user.reactivated', { userId: user.id, email: user.email, to: status });
    return {
      ok: true,
      message:
        status === 'active'
          ? `${user.name} er aktiv igen.`
          : `${user.name} er inviteret igen. Tryk Send invitation igen.`,
    };
  },
);

/**
 * `npm run support:invite -- <e-mail> "<name>"`: a support user for a database that has none yet
 * (or one more), with no one signed in to act. Audited as the command. An e-mail in use is refused.
 */
export async function inviteSupportUserFromCommand(
  db: Db,
  input: { email: string; name: string },
  mailer: Mailer,
  now = new Date(),
) {
  const parsed = inviteSupportUserSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false as const,
      message: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join(' '),
    };
  const made = await asSystem(db, 'people', async (tx) => {
    const m = await insertInvitedSupport(tx, {
      email: parsed.data.email,
      name: parsed.data.name,
      createdBy: null,
      now,
    });
    if (m)
      await writeCommandAudit(tx, 'user.invited', {
        userId: m.userId,
        email: parsed.data.email,
        role: 'support',
        by: 'npm run support:invite',
      });
    return m;
  });
  if (!made) return { ok: false as const, message: EMAIL_IN_USE };
  const sent = await deliverInvitation(
    mailer,
    made.invitation,
    { email: parsed.data.email, name: parsed.data.name, companyName: null },
    (outcome) =>
      asSystem(db, 'people', (tx) => recordInvitationMail(tx, made.invitation.id, outcome)),
  );
  return {
    ok: true as const,
    message: sent.message,
    userId: made.userId,
    link: made.invitation.link,
    expiresAt: made.invitation.expiresAt,
  };
}
