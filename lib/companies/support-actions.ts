import { endCompanySessions } from '@/lib/auth/sessions';
import { and, eq, ne } from 'drizzle-orm';
import { companies, users } from '@/db/schema';
import { refuse, supportAction, supportActionInSteps } from '@/lib/door';
import { refused } from '@/lib/action-result';
import type { Mailer } from '@/lib/email';
import { isUuid } from '@/lib/ids';
import { deliverInvitation, issueInvitation, recordInvitationMail } from '@/lib/people/invitations';
import {
  companyIdentitySchema,
  companyIdSchema,
  createCompanySchema,
  CVR_IN_USE,
  EMAIL_IN_USE,
  userIdSchema,
} from '@/lib/people/schemas';
import { insertCompanyBasics } from './directory';
import { z } from 'zod';

/**
 * Support's work on companies (docs/people.md): Opret virksomhed (the company, its starting order
 * types, its first admin and the admin's invitation in one transaction; the mail after it), the
 * company's Firmanavn and CVR-nr., Deaktiver / Genaktiver virksomhed, and Send invitation igen for
 * one of its invited people. All through the named system door (supportAction).
 */
export function createCompany(mailer: Mailer) {
  return supportActionInSteps(
    { name: 'support.createCompany', input: createCompanySchema },
    async ({ step, actor, input, now }) => {
      const made = await step(async (tx, audit) => {
        const errors: Record<string, string> = {};
        const [cvrTaken] = await tx
          .select({ id: companies.id })
          .from(companies)
          .where(eq(companies.cvr, input.cvr));
        if (cvrTaken) errors.cvr = CVR_IN_USE;
        const [emailTaken] = await tx
          .select({ id: users.id })
          .from(users)
          .where(eq(users.email, input.adminEmail));
        if (emailTaken) errors.adminEmail = EMAIL_IN_USE;
        if (Object.keys(errors).length) return { errors };
        // Two supports creating the same CVR or e-mail at once: the unique indexes decide, and the
        // loser's transaction rolls back whole (its company too): ON CONFLICT answers without raising.
        const [company] = await tx
          .insert(companies)
          .values({ name: input.name, cvr: input.cvr, createdAt: now })
          .onConflictDoNothing()
          .returning({ id: companies.id });
        if (!company) return { errors: { cvr: CVR_IN_USE } };
        await insertCompanyBasics(tx, company.id);
        const [admin] = await tx
          .insert(users)
          .values({
            email: input.adminEmail,
            name: input.adminName,
            role: 'admin',
            companyId: company.id,
            status: 'invited',
          })
          .onConflictDoNothing()
          .returning({ id: users.id });
        if (!admin) throw new EmailRaced();
        const invitation = await issueInvitation(tx, {
          userId: admin.id,
          companyId: company.id,
          createdBy: actor.userId,
          now,
        });
        await audit('company.created', { name: input.name, cvr: input.cvr }, company.id);
        await audit(
          'user.invited',
          { userId: admin.id, email: input.adminEmail, role: 'admin' },
          company.id,
        );
        return { companyId: company.id, adminId: admin.id, invitation };
      }).catch((e: unknown) => {
        if (e instanceof EmailRaced) return { errors: { adminEmail: EMAIL_IN_USE } };
        throw e;
      });
      if ('errors' in made) return refused(made.errors as Record<string, string>);
      const sent = await deliverInvitation(
        mailer,
        made.invitation,
        { email: input.adminEmail, name: input.adminName, companyName: input.name },
        (outcome) => step((tx) => recordInvitationMail(tx, made.invitation.id, outcome)),
      );
      return {
        ok: true,
        message: `Virksomheden er oprettet. ${sent.message}`,
        data: { companyId: made.companyId, link: sent.link, email: input.adminEmail },
      };
    },
  );
}

/** Thrown inside the transaction so it rolls back the company made just before. */
class EmailRaced extends Error {}

/** Firmanavn and CVR-nr. (support alone changes a CVR). */
export const updateCompanyIdentity = supportAction(
  { name: 'support.updateCompany', input: companyIdentitySchema },
  async ({ tx, actor, input, audit }) => {
    if (!isUuid(input.companyId)) refuse(actor, 'support.updateCompany');
    const [before] = await tx
      .select({ name: companies.name, cvr: companies.cvr })
      .from(companies)
      .where(eq(companies.id, input.companyId))
      .for('update');
    if (!before) refuse(actor, 'support.updateCompany', input.companyId);
    const [taken] = await tx
      .select({ id: companies.id })
      .from(companies)
      .where(and(eq(companies.cvr, input.cvr), ne(companies.id, input.companyId)));
    if (taken) return refused({ cvr: CVR_IN_USE });
    await tx
      .update(companies)
      .set({ name: input.name, cvr: input.cvr })
      .where(eq(companies.id, input.companyId));
    await audit(
      'company.identity_changed',
      { from: before, to: { name: input.name, cvr: input.cvr } },
      input.companyId,
    );
    return { ok: true, message: 'Gemt.' };
  },
);

/**
 * Deaktiver virksomhed: its people's sessions end and they cannot sign in (lib/auth/actor.ts,
 * lib/auth/credentials.ts), nothing is polled or sent for it; its data stays.
 */
export const deactivateCompany = supportAction(
  { name: 'support.deactivateCompany', input: companyIdSchema },
  async ({ tx, actor, input, now, audit }) => {
    if (!isUuid(input.companyId)) refuse(actor, 'support.deactivateCompany');
    const [company] = await tx
      .select({ name: companies.name, deactivatedAt: companies.deactivatedAt })
      .from(companies)
      .where(eq(companies.id, input.companyId))
      .for('update');
    if (!company) refuse(actor, 'support.deactivateCompany', input.companyId);
    if (company.deactivatedAt)
      return { ok: true, message: `${company.name} er allerede deaktiveret.` };
    await tx.update(companies).set({ deactivatedAt: now }).where(eq(companies.id, input.companyId));
    // Ended, not only refused: a later reactivation must not bring today's sessions back.
    await endCompanySessions(tx, input.companyId, { now });
    await audit('company.deactivated', {}, input.companyId);
    return {
      ok: true,
      message: `${company.name} er deaktiveret. Virksomhedens brugere er logget ud og kan ikke logge ind; intet hentes eller sendes for den.`,
    };
  },
);

export const reactivateCompany = supportAction(
  { name: 'support.reactivateCompany', input: companyIdSchema },
  async ({ tx, actor, input, audit }) => {
    if (!isUuid(input.companyId)) refuse(actor, 'support.reactivateCompany');
    const [company] = await tx
      .select({ name: companies.name, deactivatedAt: companies.deactivatedAt })
      .from(companies)
      .where(eq(companies.id, input.companyId))
      .for('update');
    if (!company) refuse(actor, 'support.reactivateCompany', input.companyId);
    if (!company.deactivatedAt) return { ok: true, message: `${company.name} er allerede aktiv.` };
    await tx
      .update(companies)
      .set({ deactivatedAt: null })
      .where(eq(companies.id, input.companyId));
    await audit('company.reactivated', {}, input.companyId);
    return { ok: true, message: `${company.name} er aktiv igen.` };
  },
);

/** Send invitation igen for an invited user of a company (support's view of its people). */
export function resendInvitationForCompany(mailer: Mailer) {
  return supportActionInSteps(
    {
      name: 'support.resendInvitation',
      input: userIdSchema.extend({ companyId: z.string().max(64) }),
    },
    async ({ step, actor, input, now }) => {
      if (!isUuid(input.companyId) || !isUuid(input.userId))
        refuse(actor, 'support.resendInvitation');
      const issued = await step(async (tx, audit) => {
        const [user] = await tx
          .select({
            id: users.id,
            name: users.name,
            email: users.email,
            status: users.status,
            companyName: companies.name,
          })
          .from(users)
          .innerJoin(companies, eq(companies.id, users.companyId))
          .where(and(eq(users.id, input.userId), eq(users.companyId, input.companyId)))
          .for('update', { of: users });
        if (!user) refuse(actor, 'support.resendInvitation', input.companyId);
        if (user.status !== 'invited')
          return { refusal: `${user.name} er ikke inviteret.` } as const;
        const invitation = await issueInvitation(tx, {
          userId: user.id,
          companyId: input.companyId,
          createdBy: actor.userId,
          now,
        });
        await audit(
          'user.invitation_resent',
          { userId: user.id, email: user.email },
          input.companyId,
        );
        return { user, invitation };
      });
      if (issued.refusal !== undefined) return { ok: false, message: issued.refusal };
      const sent = await deliverInvitation(
        mailer,
        issued.invitation,
        { email: issued.user.email, name: issued.user.name, companyName: issued.user.companyName },
        (outcome) => step((tx) => recordInvitationMail(tx, issued.invitation.id, outcome)),
      );
      return { ok: true, message: sent.message, data: { link: sent.link } };
    },
  );
}
