import { endSessionsOf } from '@/lib/auth/sessions';
import { resetTwoFactorOf, twoFactorStatus } from '@/lib/auth/two-factor';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '@/db/client';
import { invitations, users, type UserStatus } from '@/db/schema';
import { companyAction, companyActionInSteps, companyRead, refuse } from '@/lib/door';
import { refused } from '@/lib/action-result';
import type { Mailer } from '@/lib/email';
import { isUuid } from '@/lib/ids';
import { lockPeople } from '@/lib/locks';
import { asSystem } from '@/lib/tenancy';
import {
  deliverInvitation,
  issueInvitation,
  recordInvitationMail,
  voidInvitations,
} from './invitations';
import { EMAIL_IN_USE, inviteUserSchema, userIdSchema, userRoleSchema } from './schemas';

/**
 * An admin's Brugere (docs/people.md): invite, Rolle, Deaktiver / Genaktiver, Send invitation igen.
 * Everything runs in the admin's own company (inCompany): another company's user is not found (404).
 * The last active administrator stays: every change that could remove one takes the company's
 * people lock first, then counts.
 */
export const LAST_ADMIN =
  'Du kan ikke fjerne den sidste administrator. Gør en anden bruger til administrator først.';

export type CompanyUserRow = {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'member';
  status: UserStatus;
  createdAt: Date;
};

const userColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  status: users.status,
  createdAt: users.createdAt,
};

/** Brugere: the admin's own company's users, by name. */
export const listCompanyUsers = companyRead(
  { name: 'users.list', roles: ['admin'] },
  ({ tx, companyId }) => companyUsers(tx, companyId),
);

/** The users of one company, by name, in the caller's transaction; the caller's door decides who may see them. */
export async function companyUsers(tx: Db, companyId: string): Promise<CompanyUserRow[]> {
  const rows = await tx
    .select(userColumns)
    .from(users)
    .where(eq(users.companyId, companyId))
    .orderBy(asc(users.name), asc(users.email));
  return rows as CompanyUserRow[];
}

/** One user of the admin's company, with any live invitation; null for another company's user (404). */
export const getCompanyUser = companyRead(
  { name: 'users.get', roles: ['admin'], input: z.object({ userId: z.uuid() }) },
  async ({ tx, companyId, input: { userId } }) => {
    const [user] = await tx
      .select(userColumns)
      .from(users)
      .where(and(eq(users.companyId, companyId), eq(users.id, userId)));
    if (!user) return null;
    const [invitation] = await tx
      .select({
        createdAt: invitations.createdAt,
        expiresAt: invitations.expiresAt,
        mailStatus: invitations.mailStatus,
        mailError: invitations.mailError,
      })
      .from(invitations)
      .where(
        and(
          eq(invitations.companyId, companyId),
          eq(invitations.userId, userId),
          sql`${invitations.usedAt} is null and ${invitations.voidedAt} is null`,
        ),
      );
    // The key lives outside the company's tables (system door, this one user only).
    const twoFactor = await twoFactorStatus(tx, userId);
    return {
      ...(user as CompanyUserRow),
      invitation: invitation ?? null,
      twoFactorEnabled: twoFactor.enabled,
    };
  },
);

/** The user of this company, held for the change (its row locked), or null. */
async function targetOf(tx: Db, companyId: string, userId: string) {
  if (!isUuid(userId)) return null;
  const [user] = await tx
    .select(userColumns)
    .from(users)
    .where(and(eq(users.companyId, companyId), eq(users.id, userId)))
    .for('update');
  return (user as CompanyUserRow | undefined) ?? null;
}

async function activeAdmins(tx: Db, companyId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(
      and(eq(users.companyId, companyId), eq(users.role, 'admin'), eq(users.status, 'active')),
    );
  return row?.n ?? 0;
}

/** True when taking `user` away as an active admin would leave the company without one. */
async function isLastAdmin(tx: Db, companyId: string, user: CompanyUserRow): Promise<boolean> {
  return (
    user.role === 'admin' && user.status === 'active' && (await activeAdmins(tx, companyId)) <= 1
  );
}

/** Inviter bruger: the user (status Inviteret) and its link in one step; the mail after it. */
export function inviteCompanyUser(mailer: Mailer) {
  return companyActionInSteps(
    { name: 'users.invite', roles: ['admin'], input: inviteUserSchema },
    async ({ step, companyId, actor, input, now }) => {
      const issued = await step(async (tx, audit) => {
        // Unique in all of Kladde, whatever the case: another company's user is invisible here,
        // so the unique index answers (and settles two invitations of one e-mail at once).
        // Named columns only: kladde_app may insert these five and never password_hash (migration
        // 0011), and drizzle's insert names every column (`default` for the rest), which PostgreSQL refuses.
        const [user] = rowsOf<{ id: string }>(
          await tx.execute(
            sql`insert into ${users} (email, name, role, company_id, status) values (${input.email}, ${input.name}, ${input.role}, ${companyId}, 'invited') on conflict do nothing returning id`,
          ),
        );
        if (!user) return null;
        const invitation = await issueInvitation(tx, {
          userId: user.id,
          companyId,
          createdBy: actor.userId,
          now,
        });
        await audit('user.invited', { userId: user.id, email: input.email, role: input.role });
        return { userId: user.id, invitation };
      });
      if (!issued) return refused({ email: EMAIL_IN_USE });
      const sent = await deliverInvitation(
        mailer,
        issued.invitation,
        { email: input.email, name: input.name, companyName: actor.companyName },
        (outcome) => step((tx) => recordInvitationMail(tx, issued.invitation.id, outcome)),
      );
      return { ok: true, message: sent.message, data: { userId: issued.userId, link: sent.link } };
    },
  );
}

/** Send invitation igen: a new link for an invited user; the old one stops working. */
export function resendCompanyInvitation(mailer: Mailer) {
  return companyActionInSteps(
    { name: 'users.resendInvitation', roles: ['admin'], input: userIdSchema },
    async ({ step, companyId, actor, input, now }) => {
      const issued = await step(async (tx, audit) => {
        const user = await targetOf(tx, companyId, input.userId);
        if (!user) refuse(actor, 'users.resendInvitation', companyId);
        if (user.status !== 'invited')
          return {
            refusal: `${user.name} er ikke inviteret (status ${user.status === 'active' ? 'Aktiv' : 'Deaktiveret'}).`,
          } as const;
        const invitation = await issueInvitation(tx, {
          userId: user.id,
          companyId,
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
        { email: issued.user.email, name: issued.user.name, companyName: actor.companyName },
        (outcome) => step((tx) => recordInvitationMail(tx, issued.invitation.id, outcome)),
      );
      return { ok: true, message: sent.message, data: { userId: issued.user.id, link: sent.link } };
    },
  );
}

/** Rolle → Gem. Demoting the last active administrator is refused. A role change ends the user's sessions. */
export const changeUserRole = companyAction(
  { name: 'users.changeRole', roles: ['admin'], input: userRoleSchema },
  async ({ tx, companyId, actor, input, now, audit }) => {
    await lockPeople(tx, companyId);
    const user = await targetOf(tx, companyId, input.userId);
    if (!user) refuse(actor, 'users.changeRole', companyId);
    if (user.role === input.role) return { ok: true, message: 'Gemt. Rollen er uændret.' };
    if (input.role !== 'admin' && (await isLastAdmin(tx, companyId, user)))
      return refused({ role: LAST_ADMIN }, LAST_ADMIN);
    await tx
      .update(users)
      .set({ role: input.role })
      .where(and(eq(users.companyId, companyId), eq(users.id, user.id)));
    await endSessionsOf(tx, user.id, { now, reason: 'role_changed' });
    await audit('user.role_changed', {
      userId: user.id,
      email: user.email,
      from: user.role,
      to: input.role,
    });
    return {
      ok: true,
      message: `Gemt. ${user.name} er nu ${input.role === 'admin' ? 'administrator' : 'medarbejder'}.`,
    };
  },
);

/**
 * Nulstil to-trinsbekræftelse (a lost phone): the user's key and recovery codes go, every session
 * of the user ends, and the next sign-in needs the password only (docs/security.md).
 */
export const resetUserTwoFactor = companyAction(
  { name: 'users.resetTwoFactor', roles: ['admin'], input: userIdSchema },
  async ({ tx, companyId, actor, input, now, audit }) => {
    const user = await targetOf(tx, companyId, input.userId);
    if (!user) refuse(actor, 'users.resetTwoFactor', companyId);
    if (!(await resetTwoFactorOf(tx, user.id, now)))
      return { ok: true, message: `${user.name} har ikke to-trinsbekræftelse slået til.` };
    await audit('user.two_factor_reset', { userId: user.id, email: user.email });
    return {
      ok: true,
      message: `To-trinsbekræftelse er nulstillet for ${user.name}, som er logget ud overalt.`,
    };
  },
);

/** Deaktiver: the user's sessions end at once, its link stops working; the last active administrator stays. */
export const deactivateCompanyUser = companyAction(
  { name: 'users.deactivate', roles: ['admin'], input: userIdSchema },
  async ({ tx, companyId, actor, input, now, audit }) => {
    await lockPeople(tx, companyId);
    const user = await targetOf(tx, companyId, input.userId);
    if (!user) refuse(actor, 'users.deactivate', companyId);
    if (user.status === 'deactivated')
      return { ok: true, message: `${user.name} er allerede deaktiveret.` };
    if (await isLastAdmin(tx, companyId, user)) return { ok: false, message: LAST_ADMIN };
    await tx
      .update(users)
      .set({ status: 'deactivated' })
      .where(and(eq(users.companyId, companyId), eq(users.id, user.id)));
    await endSessionsOf(tx, user.id, { now, reason: 'deactivated' });
    await voidInvitations(tx, user.id, now);
    await audit('user.deactivated', { userId: user.id, email: user.email, was: user.status });
    return { ok: true, message: `${user.name} er deaktiveret og kan ikke længere logge ind.` };
  },
);

/** Genaktiver: a user who had chosen a password is active again; one who never did is invited again (send a new link). */
export const reactivateCompanyUser = companyAction(
  { name: 'users.reactivate', roles: ['admin'], input: userIdSchema },
  async ({ tx, companyId, actor, input, audit }) => {
    await lockPeople(tx, companyId);
    const user = await targetOf(tx, companyId, input.userId);
    if (!user) refuse(actor, 'users.reactivate', companyId);
    if (user.status !== 'deactivated')
      return { ok: true, message: `${user.name} er ikke deaktiveret.` };
    const status = await reactivatedStatus(tx, user.id);
    await tx
      .update(users)
      .set({ status })
      .where(and(eq(users.companyId, companyId), eq(users.id, user.id)));
    await audit('user.reactivated', { userId: user.id, email: user.email, to: status });
    return {
      ok: true,
      message:
        status === 'active'
          ? `${user.name} er aktiv igen.`
          : `${user.name} er inviteret igen. Tryk Send invitation igen for at sende et nyt link.`,
    };
  },
);

/**
 * Active when the user has a password (it accepted an invitation once, or was made with one), else
 * invited. kladde_app cannot read password_hash, so the question goes through the system door for
 * this one boolean (a savepoint; the caller's role and company are put back after it).
 */
export async function reactivatedStatus(tx: Db, userId: string): Promise<'active' | 'invited'> {
  const [row] = await asSystem(tx, 'people', (sys) =>
    sys
      .select({ has: sql<boolean>`${users.passwordHash} is not null` })
      .from(users)
      .where(eq(users.id, userId)),
  );
  return row?.has ? 'active' : 'invited';
}
