import { actorOf as sessionActor, signedIn } from '@/tests/support/sessions';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { rowsOf, type Database, type Db } from '@/db/client';
import { auditLog, companies, invitations, orders, orderTypes, users } from '@/db/schema';
import { loadActor, NotFoundError, type Actor } from '@/lib/auth/actor';
import { checkCredentials } from '@/lib/auth/credentials';
import {
  getCompanyForSupport,
  listCompanyDirectory,
  parseDirectoryParams,
} from '@/lib/companies/directory';
import {
  createCompany,
  deactivateCompany,
  reactivateCompany,
  resendInvitationForCompany,
  updateCompanyIdentity,
} from '@/lib/companies/support-actions';
import { createResendMailer } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { acceptInvitation, invitationForPage } from '@/lib/people/accept-invitation';
import { CVR_IN_USE, EMAIL_IN_USE } from '@/lib/people/schemas';
import {
  deactivateSupportUser,
  inviteSupportUser,
  LAST_SUPPORT,
  listSupportUsers,
  reactivateSupportUser,
  resendSupportInvitation,
  supportPeopleAudit,
} from '@/lib/people/support-users';
import { hashLinkToken } from '@/lib/people/tokens';
import { storeCredentials } from '@/lib/scalepoint/support/credentials';
import { handleClaimDelivery } from '@/lib/scalepoint/intake/http';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { generateSigningSecret, parseSigningSecret } from '@/lib/scalepoint/intake/signature';
import {
  listCompaniesForSupport,
  parseSupportListParams,
} from '@/lib/scalepoint/support/company-list';
import { startResendStandIn, type ReceivedMail } from '@/tools/stand-ins/resend';
import { exampleClaim, signedRequest } from '../support/claims';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';

/**
 * Support's Virksomheder and Supportbrugere (docs/people.md): the operations the forms call, through
 * the app's pool (the doors), with the real Resend SDK against the local stand-in.
 */

const APP_URL = 'https://kladde.example.dk';
const PASSWORD = 'Blå-Tagrende-Ved-Fjorden-7';

let t: TestDatabase;
let app: Database | undefined;
let standIn: http.Server;
let standInUrl: string;
let support: Actor;

const db = (): Db => app?.db ?? t.db;
const mailer = () => createResendMailer({ timeoutMs: 5_000 });
const suffix = () => randomBytes(4).toString('hex');
const newCvr = () => String(10_000_000 + Math.floor(Math.random() * 89_999_999));

async function actorOf(userId: string): Promise<Actor> {
  const actor = await loadActor(t.db, userId);
  if (!actor) throw new Error(`no actor ${userId}`);
  return actor;
}

async function mails(): Promise<ReceivedMail[]> {
  return (await (await fetch(`${standInUrl}/_test/emails`)).json()) as ReceivedMail[];
}

async function count(table: typeof companies | typeof users | typeof invitations): Promise<number> {
  const [row] = await t.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row!.n;
}

/** The link in the invitation mail to `email`, and its token. */
async function linkMailedTo(email: string) {
  const mail = (await mails())
    .filter((m) => m.body.to === email || (Array.isArray(m.body.to) && m.body.to.includes(email)))
    .at(-1);
  if (!mail) throw new Error(`no mail to ${email}`);
  const text = String(mail.body.text);
  const link = text.match(/https:\/\/kladde\.example\.dk\/invitation\/([A-Za-z0-9_-]+)/);
  if (!link) throw new Error(`no link in ${text}`);
  return { mail, link: link[0], token: link[1]! };
}

function companyInput(
  over: Partial<Record<'name' | 'cvr' | 'adminName' | 'adminEmail', string>> = {},
) {
  const s = suffix();
  return {
    name: `Test Tømrer ${s} ApS`,
    cvr: newCvr(),
    adminName: `Anna ${s}`,
    adminEmail: `anna-${s}@tomrer.test`,
    ...over,
  };
}

/** A company made the way support makes it, its admin signed up through the mailed link. */
async function companyWithActiveAdmin() {
  const input = companyInput();
  const made = await createCompany(mailer())(db(), support, input);
  expect(made.ok).toBe(true);
  const companyId = made.data!.companyId;
  const { token } = await linkMailedTo(input.adminEmail);
  const accepted = await acceptInvitation(db(), {
    token,
    name: input.adminName,
    password: PASSWORD,
    repeat: PASSWORD,
  });
  expect(accepted).toMatchObject({ ok: true });
  const [admin] = await t.db.select().from(users).where(eq(users.email, input.adminEmail));
  return { input, companyId, adminId: admin!.id };
}

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  vi.stubEnv('APP_URL', APP_URL);
  vi.stubEnv('RESEND_API_KEY', 're_test_stand_in');
  vi.stubEnv('MAIL_FROM', 'Kladde <noreply@kladde.test>');
  standIn = await startResendStandIn(0);
  standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  vi.stubEnv('RESEND_BASE_URL', standInUrl);
  resetEnvCache();
  t = await createTestDatabase({ max: 20 });
  app = await openAppDatabase(t, { max: 6 });
  support = await actorOf((await makeSupport(t.db)).id);
});
afterAll(async () => {
  standIn?.closeAllConnections();
  standIn?.close();
  await app?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});
beforeEach(async () => {
  await fetch(`${standInUrl}/_test/emails`, { method: 'DELETE' });
});

describe('Opret virksomhed', () => {
  it('makes the company with Service and Skadeservice, its admin Inviteret, a hashed link, and mails the admin', async () => {
    const input = companyInput({ adminEmail: `  Bo-${suffix()}@Tomrer.TEST ` });
    const email = input.adminEmail.trim().toLowerCase();
    const r = await createCompany(mailer())(db(), support, input);
    expect(r).toMatchObject({ ok: true, data: { email } });
    expect(r.message).toContain('Virksomheden er oprettet');
    expect(r.message).toContain(email);
    expect(r.data!.link).toBeUndefined(); // the mail went out: no link on the page
    const companyId = r.data!.companyId;

    const [company] = await t.db.select().from(companies).where(eq(companies.id, companyId));
    expect(company).toMatchObject({ name: input.name, cvr: input.cvr, deactivatedAt: null });
    const types = await t.db
      .select({ name: orderTypes.name, active: orderTypes.active })
      .from(orderTypes)
      .where(eq(orderTypes.companyId, companyId))
      .orderBy(asc(orderTypes.name));
    expect(types).toEqual([
      { name: 'Service', active: true },
      { name: 'Skadeservice', active: true },
    ]);
    const people = await t.db.select().from(users).where(eq(users.companyId, companyId));
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({
      email,
      name: input.adminName,
      role: 'admin',
      status: 'invited',
      passwordHash: null,
    });

    // The mail: subject names Kladde's invitation and the company; the text holds the link.
    const sent = await mails();
    expect(sent).toHaveLength(1);
    const { mail, token, link } = await linkMailedTo(email);
    expect(mail.body.subject).toContain('Invitation til Kladde');
    expect(mail.body.subject).toContain(input.name);
    expect(link).toBe(`${APP_URL}/invitation/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    // Only the token's hash is stored: the token itself is nowhere in the database.
    const rows = await t.db.select().from(invitations).where(eq(invitations.userId, people[0]!.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      companyId,
      tokenHash: hashLinkToken(token),
      mailStatus: 'sent',
      usedAt: null,
      voidedAt: null,
      createdBy: support.userId,
    });
    expect(rows[0]!.tokenHash).not.toContain(token);
    const [found] = rowsOf<{ n: number }>(
      await t.db.execute(
        sql`select count(*)::int as n from invitations i where i::text like ${`%${token}%`}`,
      ),
    );
    expect(found!.n).toBe(0);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(7 * 24 * 3600_000);

    // Audited, with who; and it shows in Virksomheder and in Scalepoint-adgange.
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.companyId, companyId))
      .orderBy(asc(auditLog.createdAt));
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([
      ['company.created', support.userId],
      ['user.invited', support.userId],
    ]);
    const directory = await listCompanyDirectory(
      db(),
      support,
      parseDirectoryParams({ q: input.cvr }),
    );
    expect(directory.rows).toEqual([
      {
        id: companyId,
        name: input.name,
        cvr: input.cvr,
        createdAt: expect.any(Date),
        deactivated: false,
        users: 1,
      },
    ]);
    const scalepoint = await listCompaniesForSupport(
      db(),
      support,
      parseSupportListParams({ q: input.cvr }),
    );
    expect(scalepoint.rows.map((x) => [x.id, x.status])).toEqual([[companyId, 'disabled']]);
    expect(await invitationForPage(db(), token)).toEqual({
      name: input.adminName,
      email,
      companyName: input.name,
    });
  });

  it('refuses a CVR or an e-mail in use (any case, any company, support too) at the field, and creates nothing', async () => {
    const other = await makeCompany(t.db, `Optaget ${suffix()} ApS`);
    const otherSupport = await makeSupport(t.db);
    const before = {
      companies: await count(companies),
      users: await count(users),
      invitations: await count(invitations),
    };

    const cvrTaken = await createCompany(mailer())(
      db(),
      support,
      companyInput({ cvr: other.company.cvr }),
    );
    expect(cvrTaken).toMatchObject({ ok: false, fieldErrors: { cvr: CVR_IN_USE } });
    expect(CVR_IN_USE).toContain('CVR-nummeret findes allerede');

    const emailTaken = await createCompany(mailer())(
      db(),
      support,
      companyInput({ adminEmail: ` ${other.admin.email.toUpperCase()}` }),
    );
    expect(emailTaken).toMatchObject({ ok: false, fieldErrors: { adminEmail: EMAIL_IN_USE } });
    expect(EMAIL_IN_USE).toContain('E-mailen er allerede i brug');
    const supportsEmail = await createCompany(mailer())(
      db(),
      support,
      companyInput({ adminEmail: otherSupport.email }),
    );
    expect(supportsEmail).toMatchObject({ ok: false, fieldErrors: { adminEmail: EMAIL_IN_USE } });

    const both = await createCompany(mailer())(
      db(),
      support,
      companyInput({ cvr: other.company.cvr, adminEmail: other.member.email }),
    );
    expect(both.fieldErrors).toEqual({ cvr: CVR_IN_USE, adminEmail: EMAIL_IN_USE });

    const invalid = await createCompany(mailer())(db(), support, {
      name: ' ',
      cvr: '1234567',
      adminName: '',
      adminEmail: 'ikke-en-mail',
    });
    expect(invalid.ok).toBe(false);
    expect(Object.keys(invalid.fieldErrors ?? {}).sort()).toEqual([
      'adminEmail',
      'adminName',
      'cvr',
      'name',
    ]);
    expect(invalid.fieldErrors!.cvr).toBe('CVR-nummeret skal være 8 cifre.');

    expect({
      companies: await count(companies),
      users: await count(users),
      invitations: await count(invitations),
    }).toEqual(before);
    expect(await mails()).toEqual([]);
  });

  it('two creations of one CVR at once make one company; of one e-mail at once, one admin', async () => {
    const cvr = newCvr();
    const [a, b] = await Promise.all([
      createCompany(mailer())(db(), support, companyInput({ cvr })),
      createCompany(mailer())(db(), support, companyInput({ cvr })),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect((a.ok ? b : a).fieldErrors).toEqual({ cvr: CVR_IN_USE });
    expect(await t.db.select().from(companies).where(eq(companies.cvr, cvr))).toHaveLength(1);

    const email = `samme-${suffix()}@tomrer.test`;
    const cvrs = [newCvr(), newCvr()];
    const [c, d] = await Promise.all(
      cvrs.map((x) =>
        createCompany(mailer())(db(), support, companyInput({ cvr: x, adminEmail: email })),
      ),
    );
    expect([c!.ok, d!.ok].sort()).toEqual([false, true]);
    expect((c!.ok ? d! : c!).fieldErrors).toEqual({ adminEmail: EMAIL_IN_USE });
    // The loser's company rolled back with its admin.
    expect(await t.db.select().from(companies).where(inArray(companies.cvr, cvrs))).toHaveLength(1);
    expect(await t.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    expect((await mails()).filter((m) => m.body.to === email)).toHaveLength(1);
  });

  it('without RESEND_API_KEY: created, the mail recorded as not sent, and the link handed back once', async () => {
    vi.stubEnv('RESEND_API_KEY', '');
    resetEnvCache();
    try {
      const input = companyInput();
      const r = await createCompany(mailer())(db(), support, input);
      expect(r.ok).toBe(true);
      expect(r.message).toContain('Virksomheden er oprettet');
      expect(r.data!.link).toMatch(
        /^https:\/\/kladde\.example\.dk\/invitation\/[A-Za-z0-9_-]{22,}$/,
      );
      const [row] = await t.db
        .select()
        .from(invitations)
        .where(eq(invitations.companyId, r.data!.companyId));
      expect(row).toMatchObject({
        mailStatus: 'not_sent',
        tokenHash: hashLinkToken(r.data!.link!.split('/').at(-1)!),
      });
      expect(await mails()).toEqual([]);
    } finally {
      vi.stubEnv('RESEND_API_KEY', 're_test_stand_in');
      resetEnvCache();
    }
  });
});

describe('a company for support', () => {
  it('is for support only: admins, members and the signed out get NotFoundError from every operation', async () => {
    const c = await makeCompany(t.db, `Fremmed ${suffix()} ApS`);
    const admin = await actorOf(c.admin.id);
    const member = await actorOf(c.member.id);
    for (const actor of [admin, member, null]) {
      await expect(createCompany(mailer())(db(), actor, companyInput())).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(
        updateCompanyIdentity(db(), actor, {
          companyId: c.company.id,
          name: 'Overtaget ApS',
          cvr: newCvr(),
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        deactivateCompany(db(), actor, { companyId: c.company.id }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        reactivateCompany(db(), actor, { companyId: c.company.id }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        resendInvitationForCompany(mailer())(db(), actor, {
          companyId: c.company.id,
          userId: c.member.id,
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(listCompanyDirectory(db(), actor)).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        getCompanyForSupport(db(), actor, { companyId: c.company.id }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(listSupportUsers(db(), actor)).rejects.toBeInstanceOf(NotFoundError);
      await expect(supportPeopleAudit(db(), actor)).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        inviteSupportUser(mailer())(db(), actor, {
          name: 'Indtrænger',
          email: `x-${suffix()}@kladde.dk`,
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        deactivateSupportUser(db(), actor, { userId: support.userId }),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
    const [company] = await t.db.select().from(companies).where(eq(companies.id, c.company.id));
    expect(company).toMatchObject({
      name: c.company.name,
      cvr: c.company.cvr,
      deactivatedAt: null,
    });
    expect(await loadActor(t.db, support.userId)).not.toBeNull();
  });

  it('shows its people with their live invitation, never its orders or customers; unknown id → null, a malformed one → NotFoundError (404)', async () => {
    const input = companyInput();
    const made = await createCompany(mailer())(db(), support, input);
    const view = await getCompanyForSupport(db(), support, { companyId: made.data!.companyId });
    expect(view).toMatchObject({
      id: made.data!.companyId,
      name: input.name,
      cvr: input.cvr,
      deactivatedAt: null,
    });
    expect(view!.users).toEqual([
      expect.objectContaining({
        email: input.adminEmail,
        role: 'admin',
        status: 'invited',
        invitation: expect.objectContaining({ mailStatus: 'sent', expiresAt: expect.any(Date) }),
      }),
    ]);
    expect(Object.keys(view!).sort()).toEqual([
      'audit',
      'createdAt',
      'cvr',
      'deactivatedAt',
      'id',
      'name',
      'users',
    ]);
    expect(JSON.stringify(view)).not.toMatch(/passwordHash|tokenHash/);
    expect(await getCompanyForSupport(db(), support, { companyId: randomUUID() })).toBeNull();
    await expect(
      getCompanyForSupport(db(), support, { companyId: 'not-a-uuid' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('Firmanavn and CVR-nr.: changed and audited with before and after; a taken CVR at the field; unknown id → NotFoundError', async () => {
    const a = await makeCompany(t.db, `Gammelt Navn ${suffix()} ApS`);
    const b = await makeCompany(t.db, `Nabo ${suffix()} ApS`);
    const cvr = newCvr();
    const name = `Nyt Navn ${suffix()} ApS`;
    const r = await updateCompanyIdentity(db(), support, {
      companyId: a.company.id,
      name: `  ${name} `,
      cvr,
    });
    expect(r).toMatchObject({ ok: true, message: 'Gemt.' });
    const [after] = await t.db.select().from(companies).where(eq(companies.id, a.company.id));
    expect(after).toMatchObject({ name, cvr });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.companyId, a.company.id), eq(auditLog.action, 'company.identity_changed')),
      );
    expect(audit).toMatchObject({
      actorUserId: support.userId,
      actorRole: 'support',
      details: { from: { name: a.company.name, cvr: a.company.cvr }, to: { name, cvr } },
    });
    expect(
      (await getCompanyForSupport(db(), support, { companyId: a.company.id }))!.audit.map(
        (x) => x.action,
      ),
    ).toContain('company.identity_changed');

    const taken = await updateCompanyIdentity(db(), support, {
      companyId: a.company.id,
      name: 'Andet ApS',
      cvr: b.company.cvr,
    });
    expect(taken).toMatchObject({ ok: false, fieldErrors: { cvr: CVR_IN_USE } });
    const bad = await updateCompanyIdentity(db(), support, {
      companyId: a.company.id,
      name: '',
      cvr: '12 34',
    });
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['cvr', 'name']);
    expect(
      (await t.db.select().from(companies).where(eq(companies.id, a.company.id)))[0],
    ).toMatchObject({ name, cvr });
    // Its own CVR again is no conflict.
    expect(
      (await updateCompanyIdentity(db(), support, { companyId: a.company.id, name, cvr })).ok,
    ).toBe(true);
    await expect(
      updateCompanyIdentity(db(), support, { companyId: randomUUID(), name, cvr: newCvr() }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      updateCompanyIdentity(db(), support, { companyId: 'nope', name, cvr: newCvr() }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('Deaktiver virksomhed: its people are signed out and refused, the intake answers as module off, its data stays; Genaktiver lets them in again, the old session stays ended', async () => {
    const c = await companyWithActiveAdmin();
    const before = await signedIn(db(), c.adminId);
    expect(await checkCredentials(db(), { email: c.input.adminEmail, password: PASSWORD })).toBe(
      c.adminId,
    );
    const admin = await sessionActor(db(), before);
    expect(admin).toMatchObject({ role: 'admin', companyId: c.companyId });

    // The module on and direct delivery stored: a claim becomes a draft.
    const [service] = await t.db
      .select()
      .from(orderTypes)
      .where(and(eq(orderTypes.companyId, c.companyId), eq(orderTypes.name, 'Service')));
    expect(
      (
        await saveScalepointSettings(db(), admin, {
          enabled: true,
          orderTypeId: service!.id,
          customerMode: 'policyholder',
          phoneAsCustomerNumber: false,
        })
      ).ok,
    ).toBe(true);
    const secret = generateSigningSecret();
    const account = { accountId: `acct-${suffix()}`, key: parseSigningSecret(secret)! };
    expect(
      (
        await storeCredentials(db(), support, {
          companyId: c.companyId,
          accountId: account.accountId,
          secret,
        })
      ).ok,
    ).toBe(true);
    expect((await handleClaimDelivery(db(), signedRequest(account, exampleClaim()))).status).toBe(
      201,
    );

    const now = new Date();
    const off = await deactivateCompany(db(), support, { companyId: c.companyId }, now);
    expect(off.ok).toBe(true);
    expect(off.message).toContain('er deaktiveret');
    expect(await sessionActor(db(), before)).toBeNull();
    expect(await loadActor(db(), c.adminId)).toBeNull();
    expect(
      await checkCredentials(db(), { email: c.input.adminEmail, password: PASSWORD }),
    ).toBeNull();
    expect(await handleClaimDelivery(db(), signedRequest(account, exampleClaim()))).toEqual({
      status: 409,
      body: { error: 'module_disabled' },
    });
    // Its data stays: the company, its people, its order types and its draft.
    expect(await t.db.select().from(orders).where(eq(orders.companyId, c.companyId))).toHaveLength(
      1,
    );
    expect(await t.db.select().from(users).where(eq(users.companyId, c.companyId))).toHaveLength(1);
    expect(
      (await getCompanyForSupport(db(), support, { companyId: c.companyId }))!.deactivatedAt,
    ).toEqual(now);
    expect(
      (await listCompanyDirectory(db(), support, parseDirectoryParams({ q: c.input.cvr }))).rows[0],
    ).toMatchObject({ deactivated: true, users: 1 });
    expect((await deactivateCompany(db(), support, { companyId: c.companyId })).message).toContain(
      'allerede deaktiveret',
    );

    const on = await reactivateCompany(db(), support, { companyId: c.companyId });
    expect(on).toMatchObject({ ok: true });
    expect(on.message).toContain('aktiv igen');
    expect(await checkCredentials(db(), { email: c.input.adminEmail, password: PASSWORD })).toBe(
      c.adminId,
    );
    expect(await sessionActor(db(), before)).toBeNull(); // the session from before stays ended
    expect(await sessionActor(db(), await signedIn(db(), c.adminId))).toMatchObject({
      companyId: c.companyId,
    }); // a new sign-in works
    expect((await handleClaimDelivery(db(), signedRequest(account, exampleClaim()))).status).toBe(
      201,
    );

    const actions = (await getCompanyForSupport(db(), support, {
      companyId: c.companyId,
    }))!.audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'company.deactivated',
        'company.reactivated',
        'user.invitation_accepted',
      ]),
    );
    await expect(
      deactivateCompany(db(), support, { companyId: randomUUID() }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(reactivateCompany(db(), support, { companyId: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('a deactivated company’s invitation link opens nothing', async () => {
    const input = companyInput();
    const made = await createCompany(mailer())(db(), support, input);
    const { token } = await linkMailedTo(input.adminEmail);
    await deactivateCompany(db(), support, { companyId: made.data!.companyId });
    expect(await invitationForPage(db(), token)).toBeNull();
    expect(
      await acceptInvitation(db(), { token, name: 'X', password: PASSWORD, repeat: PASSWORD }),
    ).toMatchObject({ ok: false });
  });

  it('Send invitation igen: a new link mailed, the old one void; refused for an active user; another company’s user → NotFoundError', async () => {
    const input = companyInput();
    const made = await createCompany(mailer())(db(), support, input);
    const companyId = made.data!.companyId;
    const first = await linkMailedTo(input.adminEmail);
    const [admin] = await t.db.select().from(users).where(eq(users.email, input.adminEmail));
    const again = await resendInvitationForCompany(mailer())(db(), support, {
      companyId,
      userId: admin!.id,
    });
    expect(again.ok).toBe(true);
    expect(again.message).toContain(input.adminEmail);
    const second = await linkMailedTo(input.adminEmail);
    expect(second.token).not.toBe(first.token);
    expect(await invitationForPage(db(), first.token)).toBeNull();
    expect(await invitationForPage(db(), second.token)).toMatchObject({ email: input.adminEmail });

    const other = await makeCompany(t.db, `Anden ${suffix()} ApS`);
    expect(
      await resendInvitationForCompany(mailer())(db(), support, {
        companyId: other.company.id,
        userId: other.admin.id,
      }),
    ).toMatchObject({ ok: false });
    await expect(
      resendInvitationForCompany(mailer())(db(), support, {
        companyId: other.company.id,
        userId: admin!.id,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('Virksomheder: searched by name or CVR, paged by the server', async () => {
    const tag = `Søgbar${suffix()}`;
    const made: string[] = [];
    for (const n of ['Alfa', 'Bravo', 'Charlie'])
      made.push((await makeCompany(t.db, `${tag} ${n} ApS`)).company.id);
    const page1 = await listCompanyDirectory(db(), support, {
      q: tag.toLowerCase(),
      page: 1,
      pageSize: 2,
    });
    const page2 = await listCompanyDirectory(db(), support, { q: tag, page: 2, pageSize: 2 });
    const page5 = await listCompanyDirectory(db(), support, { q: tag, page: 5, pageSize: 2 });
    expect(page1.rows.map((r) => r.id)).toEqual(made.slice(0, 2));
    expect(page2.rows.map((r) => r.id)).toEqual(made.slice(2));
    expect([page1.total, page2.total, page5.total]).toEqual([3, 3, 3]);
    expect(page1.rows[0]!.users).toBe(2);
    expect(parseDirectoryParams({ q: '  x ', page: '2' })).toMatchObject({ q: 'x', page: 2 });
    expect(parseDirectoryParams({ page: '-3' })).toMatchObject({ q: '', page: 1 });
  });
});

describe('Supportbrugere', () => {
  // Its own database: the last active support user is counted over all of Kladde.
  let s: TestDatabase;
  let sApp: Database | undefined;
  const sdb = (): Db => sApp?.db ?? s.db;
  const activeSupports = async () =>
    (
      await s.db
        .select({ n: sql<number>`count(*)::int` })
        .from(users)
        .where(and(eq(users.role, 'support'), eq(users.status, 'active')))
    )[0]!.n;

  beforeAll(async () => {
    s = await createTestDatabase();
    sApp = await openAppDatabase(s);
  });
  afterAll(async () => {
    await sApp?.close();
    await s?.close();
  });

  /** A support user the way one comes to be: invited by `inviter`, the mailed link accepted. */
  async function acceptedSupport(inviter: Actor, name: string) {
    const email = `support-${suffix()}@kladde.dk`;
    expect((await inviteSupportUser(mailer())(sdb(), inviter, { name, email })).ok).toBe(true);
    const { token } = await linkMailedTo(email);
    expect(
      (await acceptInvitation(sdb(), { token, name, password: PASSWORD, repeat: PASSWORD })).ok,
    ).toBe(true);
    const [user] = await s.db.select().from(users).where(eq(users.email, email));
    return { user: user!, actor: (await loadActor(s.db, user!.id))! };
  }

  it('the last active support user cannot be deactivated; two deactivating each other at once leave one active', async () => {
    const boot = await makeSupport(s.db);
    const bootActor = (await loadActor(s.db, boot.id))!;
    expect(await deactivateSupportUser(sdb(), bootActor, { userId: boot.id })).toEqual({
      ok: false,
      message: LAST_SUPPORT,
    });

    // An invited one does not count as active, and may be deactivated (its link voided).
    const invitedEmail = `ny-${suffix()}@kladde.dk`;
    expect(
      (
        await inviteSupportUser(mailer())(sdb(), bootActor, {
          name: 'Ny Kollega',
          email: invitedEmail,
        })
      ).ok,
    ).toBe(true);
    const [invitedRow] = await s.db.select().from(users).where(eq(users.email, invitedEmail));
    expect(invitedRow).toMatchObject({ status: 'invited' });
    expect(await deactivateSupportUser(sdb(), bootActor, { userId: boot.id })).toEqual({
      ok: false,
      message: LAST_SUPPORT,
    });
    expect((await deactivateSupportUser(sdb(), bootActor, { userId: invitedRow!.id })).ok).toBe(
      true,
    );
    expect(
      (await s.db.select().from(invitations).where(eq(invitations.userId, invitedRow!.id)))[0]!
        .voidedAt,
    ).not.toBeNull();

    const first = await acceptedSupport(bootActor, 'Første');
    const second = await acceptedSupport(bootActor, 'Anden');
    expect((await deactivateSupportUser(sdb(), first.actor, { userId: boot.id })).ok).toBe(true);
    expect(await activeSupports()).toBe(2);
    const results = await Promise.all([
      deactivateSupportUser(sdb(), first.actor, { userId: second.user.id }),
      deactivateSupportUser(sdb(), second.actor, { userId: first.user.id }),
    ]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, message: LAST_SUPPORT });
    expect(await activeSupports()).toBe(1);
    const [gone, stayed] = results[0]!.ok ? [second, first] : [first, second];
    expect(await loadActor(sdb(), gone.user.id)).toBeNull();
    expect(await loadActor(sdb(), stayed.user.id)).not.toBeNull();

    // Genaktiver: one who had accepted an invitation is active again; the audit names who did what.
    expect(
      await reactivateSupportUser(sdb(), stayed.actor, { userId: gone.user.id }),
    ).toMatchObject({ ok: true, message: `${gone.user.name} er aktiv igen.` });
    expect(await activeSupports()).toBe(2);
    const audit = await supportPeopleAudit(sdb(), stayed.actor);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'user.invited',
        'user.invitation_accepted',
        'user.deactivated',
        'user.reactivated',
      ]),
    );
    expect(audit.find((a) => a.action === 'user.reactivated')).toMatchObject({
      actorName: stayed.user.name,
      actorRole: 'support',
    });
    await expect(
      deactivateSupportUser(sdb(), stayed.actor, { userId: randomUUID() }),
    ).rejects.toBeInstanceOf(NotFoundError);
    // A company's user is not a support user.
    const c = await makeCompany(s.db);
    await expect(
      deactivateSupportUser(sdb(), stayed.actor, { userId: c.admin.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('Inviter supportbruger without RESEND_API_KEY: the link handed back once, the mail recorded as not sent; an e-mail in use refused', async () => {
    const me = (await loadActor(s.db, (await makeSupport(s.db)).id))!;
    vi.stubEnv('RESEND_API_KEY', '');
    resetEnvCache();
    try {
      const email = `hans-${suffix()}@kladde.dk`;
      const r = await inviteSupportUser(mailer())(sdb(), me, {
        name: 'Hans Hjælper',
        email: ` ${email.toUpperCase()}`,
      });
      expect(r.ok).toBe(true);
      expect(r.message).toContain('ikke sendt');
      expect(r.data!.link).toMatch(
        /^https:\/\/kladde\.example\.dk\/invitation\/[A-Za-z0-9_-]{22,}$/,
      );
      const [user] = await s.db.select().from(users).where(eq(users.email, email));
      expect(user).toMatchObject({ role: 'support', status: 'invited', companyId: null });
      const [row] = await s.db.select().from(invitations).where(eq(invitations.userId, user!.id));
      expect(row).toMatchObject({
        mailStatus: 'not_sent',
        companyId: null,
        tokenHash: hashLinkToken(r.data!.link!.split('/').at(-1)!),
      });
      expect(await mails()).toEqual([]);
      expect((await listSupportUsers(sdb(), me)).find((u) => u.email === email)).toMatchObject({
        status: 'invited',
        invited: true,
      });

      expect(await inviteSupportUser(mailer())(sdb(), me, { name: 'Igen', email })).toMatchObject({
        ok: false,
        fieldErrors: { email: EMAIL_IN_USE },
      });
      const resent = await resendSupportInvitation(mailer())(sdb(), me, { userId: user!.id });
      expect(resent.data!.link).toMatch(/\/invitation\//);
      expect(resent.data!.link).not.toBe(r.data!.link);
    } finally {
      vi.stubEnv('RESEND_API_KEY', 're_test_stand_in');
      resetEnvCache();
    }
  });

  it('Inviter supportbruger with Resend: mailed as Kladde support', async () => {
    const me = (await loadActor(s.db, (await makeSupport(s.db)).id))!;
    const email = `grete-${suffix()}@kladde.dk`;
    const r = await inviteSupportUser(mailer())(sdb(), me, { name: 'Grete', email });
    expect(r).toMatchObject({ ok: true });
    expect(r.data!.link).toBeUndefined();
    const { mail } = await linkMailedTo(email);
    expect(mail.body.subject).toContain('Invitation til Kladde');
    expect(mail.body.subject).toContain('Kladde support');
  });
});
