/**
 * Invitation links (docs/people.md, lib/people/invitations.ts and accept-invitation.ts) against a real
 * database, through the app's pool (kladde_app, so every call goes through the doors), with the
 * real Resend SDK posting to the local stand-in: random tokens stored only as hashes, valid 7
 * days, used once, voided by a new invitation or a deactivation, one user from two accepts at
 * once, the password rules at their fields, and any malformed token answered as an expired link.
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf, type Database, type Db } from '@/db/client';
import { auditLog, invitations, users } from '@/db/schema';
import { loadActor, type Actor } from '@/lib/auth/actor';
import {
  PASSWORD_IS_EMAIL,
  PASSWORD_TOO_COMMON,
  PASSWORD_TOO_SHORT,
  REPEAT_MISMATCH,
} from '@/lib/auth/password-schema';
import { verifyPassword } from '@/lib/auth/password';
import { deactivateCompany } from '@/lib/companies/support-actions';
import { createResendMailer } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { acceptInvitation, invitationForPage, LINK_EXPIRED } from '@/lib/people/accept-invitation';
import {
  deactivateCompanyUser,
  inviteCompanyUser,
  reactivateCompanyUser,
  resendCompanyInvitation,
} from '@/lib/people/company-users';
import { INVITATION_DAYS } from '@/lib/people/invitations';
import { inviteSupportUserFromCommand } from '@/lib/people/support-users';
import { hashLinkToken } from '@/lib/people/tokens';
import { startResendStandIn, type ReceivedMail } from '@/tools/stand-ins/resend';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';

const APP_URL = 'https://kladde.example.dk';
const GOOD = 'Blå-Hest-Løber-7';
const DAY = 24 * 3600_000;

let t: TestDatabase;
let pool: Database | undefined;
/** The app's pool (kladde_app); the owner's on PGlite, which has one connection. */
let db: Db;
let resend: http.Server;
let resendUrl: string;
const mailer = createResendMailer();

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  vi.stubEnv('APP_URL', APP_URL);
  vi.stubEnv('RESEND_API_KEY', 're_test_stand_in');
  resend = await startResendStandIn(0);
  resendUrl = `http://127.0.0.1:${(resend.address() as AddressInfo).port}`;
  vi.stubEnv('RESEND_BASE_URL', resendUrl);
  resetEnvCache();
  t = await createTestDatabase({ max: 6 });
  pool = await openAppDatabase(t, { max: 8 });
  db = pool?.db ?? t.db;
});
afterAll(async () => {
  await pool?.close();
  await t?.close();
  await new Promise((r) => resend?.close(r));
  vi.unstubAllEnvs();
  resetEnvCache();
});

// ---------------------------------------------------------------------------------------------
// helpers

const unique = () => randomBytes(4).toString('hex');
const tokenOf = (link: string) => link.slice(`${APP_URL}/invitation/`.length);

async function mailsTo(email: string): Promise<ReceivedMail[]> {
  const all = (await (await fetch(`${resendUrl}/_test/emails`)).json()) as ReceivedMail[];
  return all.filter((m) => [m.body.to].flat().includes(email));
}

/** A support user invited by the command at `now`; its token from the command's answer. */
async function invitedSupport(now = new Date(), email = `support-${unique()}@kladde.test`) {
  const made = await inviteSupportUserFromCommand(
    db,
    { email, name: 'Første Support' },
    mailer,
    now,
  );
  if (!made.ok) throw new Error(made.message);
  return { email, token: tokenOf(made.link), link: made.link, expiresAt: made.expiresAt };
}

async function actorOf(userId: string): Promise<Actor> {
  const actor = await loadActor(t.db, userId);
  if (!actor) throw new Error(`no actor ${userId}`);
  return actor;
}

/** A company user invited by the company's admin; its token read from the mail that reached Resend. */
async function invitedMember(admin: Actor, email = `ny-${unique()}@firma.test`) {
  const result = await inviteCompanyUser(mailer)(db, admin, {
    name: 'Nina Ny',
    email,
    role: 'member',
  });
  expect(result.ok, result.message).toBe(true);
  const userId = (result.data as { userId: string }).userId;
  return { email, userId, token: await lastTokenMailedTo(email) };
}

async function lastTokenMailedTo(email: string): Promise<string> {
  const mails = await mailsTo(email);
  const text = String(mails.at(-1)?.body.text ?? '');
  const m = text.match(new RegExp(`${APP_URL}/invitation/([A-Za-z0-9_-]+)`));
  if (!m) throw new Error(`no invitation link mailed to ${email}`);
  return m[1]!;
}

async function userByEmail(email: string) {
  const [u] = await t.db.select().from(users).where(eq(users.email, email));
  return u!;
}

async function invitationsOf(userId: string) {
  return t.db.select().from(invitations).where(eq(invitations.userId, userId));
}

const accept = (
  token: unknown,
  fields: Partial<Record<'name' | 'password' | 'repeat', string>> = {},
  now?: Date,
) =>
  acceptInvitation(
    db,
    { token, name: 'Første Support', password: GOOD, repeat: GOOD, ...fields },
    now,
  );

let company: Awaited<ReturnType<typeof makeCompany>>;
let admin: Actor;
beforeAll(async () => {
  company = await makeCompany(t.db, `Invitationsfirma ${unique()}`);
  admin = await actorOf(company.admin.id);
});

// ---------------------------------------------------------------------------------------------

describe('the token', () => {
  it('is 43 base64url characters (256 bits), mailed in the link, and only its SHA-256 is stored', async () => {
    const invited = await invitedSupport();
    expect(invited.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invited.link).toBe(`${APP_URL}/invitation/${invited.token}`);
    // The mail went out through Resend with the same link.
    expect(await lastTokenMailedTo(invited.email)).toBe(invited.token);

    const user = await userByEmail(invited.email);
    const [row] = await invitationsOf(user.id);
    expect(row!.tokenHash).toBe(hashLinkToken(invited.token));
    expect(row!.mailStatus).toBe('sent');
    // Nowhere in the invitations table nor in the audit log, in any column.
    const everything = async (table: string) =>
      rowsOf<{ row: string }>(
        await t.db.execute(sql.raw(`select row_to_json(x)::text as row from ${table} x`)),
      )
        .map((r) => r.row)
        .join('\n');
    for (const table of ['invitations', 'audit_log', 'users']) {
      const text = await everything(table);
      expect(text.length).toBeGreaterThan(0);
      expect(text, table).not.toContain(invited.token);
      expect(text, table).not.toContain(invited.token.slice(0, 20));
    }
    // The command's audit row names the user, not the link.
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, 'user.invited'), sql`${auditLog.details}->>'userId' = ${user.id}`),
      );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorRole).toBe('command');
  });

  it('opens the page with the invitation itself: name, e-mail and company (Kladde support: none)', async () => {
    const invited = await invitedSupport();
    expect(await invitationForPage(db, invited.token)).toEqual({
      name: 'Første Support',
      email: invited.email,
      companyName: null,
    });
    const member = await invitedMember(admin);
    expect(await invitationForPage(db, member.token)).toEqual({
      name: 'Nina Ny',
      email: member.email,
      companyName: company.company.name,
    });
    expect(
      await invitationForPage(
        db,
        `${member.token.slice(0, 42)}${member.token.endsWith('A') ? 'B' : 'A'}`,
      ),
    ).toBeNull();
  });
});

describe('accepting', () => {
  it('makes the user active with the chosen name and password, once', async () => {
    const invited = await invitedSupport();
    const first = await accept(invited.token, { name: '  Første Support Hansen ' });
    expect(first).toMatchObject({ ok: true });
    expect(first.message).toContain('Adgang oprettet');
    const user = await userByEmail(invited.email);
    expect(user.status).toBe('active');
    expect(user.name).toBe('Første Support Hansen');
    expect(await verifyPassword(GOOD, user.passwordHash)).toBe(true);
    const [row] = await invitationsOf(user.id);
    expect(row!.usedAt).not.toBeNull();

    // Used once: the same link again is an expired link, and nothing changes.
    const second = await accept(invited.token, {
      password: 'Helt-Anden-Kode-9',
      repeat: 'Helt-Anden-Kode-9',
    });
    expect(second).toEqual({ ok: false, message: LINK_EXPIRED });
    expect(await invitationForPage(db, invited.token)).toBeNull();
    const after = await userByEmail(invited.email);
    expect(after.passwordHash).toBe(user.passwordHash);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'user.invitation_accepted'),
          sql`${auditLog.details}->>'userId' = ${user.id}`,
        ),
      );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorUserId).toBe(user.id);
  });

  it('is valid for 7 days: 7 days + 1 s after the invitation the link has expired; 1 s before it works', async () => {
    const issuedAt = new Date(Date.now() - 60_000);
    const invited = await invitedSupport(issuedAt);
    expect(INVITATION_DAYS).toBe(7);
    expect(invited.expiresAt.getTime()).toBe(issuedAt.getTime() + 7 * DAY);
    const late = new Date(issuedAt.getTime() + 7 * DAY + 1000);
    expect(await invitationForPage(db, invited.token, late)).toBeNull();
    expect(await accept(invited.token, {}, late)).toEqual({ ok: false, message: LINK_EXPIRED });
    expect((await userByEmail(invited.email)).status).toBe('invited');

    const justInTime = new Date(issuedAt.getTime() + 7 * DAY - 1000);
    expect(await accept(invited.token, {}, justInTime)).toMatchObject({ ok: true });
    expect((await userByEmail(invited.email)).status).toBe('active');
  });

  it('a new invitation voids the old link; the new one works', async () => {
    const member = await invitedMember(admin);
    const resent = await resendCompanyInvitation(mailer)(db, admin, { userId: member.userId });
    expect(resent.ok, resent.message).toBe(true);
    const newToken = await lastTokenMailedTo(member.email);
    expect(newToken).not.toBe(member.token);
    expect(await invitationForPage(db, member.token)).toBeNull();
    expect(await accept(member.token, { name: 'Nina Ny' })).toEqual({
      ok: false,
      message: LINK_EXPIRED,
    });
    const rows = await invitationsOf(member.userId);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.voidedAt)).toHaveLength(1);
    expect(await accept(newToken, { name: 'Nina Ny' })).toMatchObject({ ok: true });
    expect((await userByEmail(member.email)).status).toBe('active');
  });

  it("a deactivated user's link fails, and stays failed after reactivation (a new invitation is needed)", async () => {
    const member = await invitedMember(admin);
    const off = await deactivateCompanyUser(db, admin, { userId: member.userId });
    expect(off.ok, off.message).toBe(true);
    expect(await invitationForPage(db, member.token)).toBeNull();
    expect(await accept(member.token, { name: 'Nina Ny' })).toEqual({
      ok: false,
      message: LINK_EXPIRED,
    });
    const user = await userByEmail(member.email);
    expect(user.status).toBe('deactivated');
    expect(user.passwordHash).toBeNull();

    const on = await reactivateCompanyUser(db, admin, { userId: member.userId });
    expect(on.ok, on.message).toBe(true);
    expect((await userByEmail(member.email)).status).toBe('invited');
    expect(await accept(member.token, { name: 'Nina Ny' })).toEqual({
      ok: false,
      message: LINK_EXPIRED,
    });
  });

  it("a deactivated company's links fail", async () => {
    const other = await makeCompany(t.db, `Lukket firma ${unique()}`);
    const otherAdmin = await actorOf(other.admin.id);
    const member = await invitedMember(otherAdmin);
    const support = await actorOf((await makeSupport(t.db)).id);
    const closed = await deactivateCompany(db, support, { companyId: other.company.id });
    expect(closed.ok, closed.message).toBe(true);
    expect(await invitationForPage(db, member.token)).toBeNull();
    expect(await accept(member.token)).toEqual({ ok: false, message: LINK_EXPIRED });
    expect((await userByEmail(member.email)).passwordHash).toBeNull();
  });

  it('two accepts of one link at once: exactly one succeeds, the user is active once, one invitation used (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const invited = await invitedSupport();
      const results = await Promise.all([
        accept(invited.token, {
          name: 'Browser A',
          password: 'Første-Browser-1',
          repeat: 'Første-Browser-1',
        }),
        accept(invited.token, {
          name: 'Browser B',
          password: 'Anden-Browser-2',
          repeat: 'Anden-Browser-2',
        }),
      ]);
      const won = results.filter((r) => r.ok);
      expect(won, `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toEqual({ ok: false, message: LINK_EXPIRED });
      const user = await userByEmail(invited.email);
      expect(user.status).toBe('active');
      // The winner's name and password, not a mix of the two.
      const winner = results[0]!.ok
        ? { name: 'Browser A', password: 'Første-Browser-1' }
        : { name: 'Browser B', password: 'Anden-Browser-2' };
      expect(user.name).toBe(winner.name);
      expect(await verifyPassword(winner.password, user.passwordHash)).toBe(true);
      const used = await t.db
        .select()
        .from(invitations)
        .where(and(eq(invitations.userId, user.id), isNotNull(invitations.usedAt)));
      expect(used).toHaveLength(1);
      const accepted = await t.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.action, 'user.invitation_accepted'),
            sql`${auditLog.details}->>'userId' = ${user.id}`,
          ),
        );
      expect(accepted).toHaveLength(1);
    }
  }, 60_000);
});

describe('the password rules, at their fields, changing nothing', () => {
  const email = `anne.jensen.${unique()}@firma.test`;
  const localPart = email.split('@')[0]!;
  let token: string;

  beforeAll(async () => {
    token = (await invitedSupport(new Date(), email)).token;
  });

  it.each([
    ['too short', { password: 'kort123', repeat: 'kort123' }, { password: PASSWORD_TOO_SHORT }],
    [
      'among the most common',
      { password: 'password123', repeat: 'password123' },
      { password: PASSWORD_TOO_COMMON },
    ],
    [
      'common whatever its case and spaces',
      { password: ' PassWord123 ', repeat: ' PassWord123 ' },
      { password: PASSWORD_TOO_COMMON },
    ],
    [
      "the e-mail's part before @",
      { password: localPart, repeat: localPart },
      { password: PASSWORD_IS_EMAIL },
    ],
    [
      'the e-mail itself, in capitals',
      { password: email.toUpperCase(), repeat: email.toUpperCase() },
      { password: PASSWORD_IS_EMAIL },
    ],
    ['repeated differently', { password: GOOD, repeat: `${GOOD}x` }, { repeat: REPEAT_MISMATCH }],
    ['without a name', { name: '   ' }, { name: 'Skriv dit navn.' }],
  ])('%s', async (_what, fields, fieldErrors) => {
    const result = await accept(token, fields);
    expect(result.ok).toBe(false);
    expect(result.fieldErrors).toEqual(fieldErrors);
    const user = await userByEmail(email);
    expect(user.status).toBe('invited');
    expect(user.passwordHash).toBeNull();
    expect(user.name).toBe('Første Support');
    expect((await invitationsOf(user.id))[0]!.usedAt).toBeNull();
    expect(await invitationForPage(db, token)).not.toBeNull();
  });

  it('after all those refusals the link still works', async () => {
    expect(await accept(token)).toMatchObject({ ok: true });
  });
});

describe('malformed tokens are an expired link, never a throw', () => {
  const valid = 'A'.repeat(43);
  it.each<[string, unknown]>([
    ['empty', ''],
    ['1 MB', 'A'.repeat(1 << 20)],
    ['unicode of the right length', 'æ'.repeat(43)],
    ['emoji', '🔑'.repeat(22)],
    ['SQL-ish', "' or 1=1; drop table invitations; --"],
    ['SQL-ish of the right length', "'or''='".padEnd(43, "'")],
    ['a LIKE pattern', '%'.repeat(43)],
    ['NUL bytes', '\u0000'.repeat(43)],
    ['44 characters', `${valid}A`],
    ['42 characters', valid.slice(1)],
    ['base64 with + and /', `${valid.slice(2)}+/`],
    ['padded', `${valid.slice(1)}=`],
    ['well-formed but unknown', valid],
    ['a number', 12345],
    ['null', null],
    ['an object', { $ne: null }],
    ['an array', [valid]],
  ])('%s', async (_what, token) => {
    await expect(
      acceptInvitation(db, { token, name: 'X', password: GOOD, repeat: GOOD }),
    ).resolves.toEqual({ ok: false, message: LINK_EXPIRED });
    if (typeof token === 'string') await expect(invitationForPage(db, token)).resolves.toBeNull();
  });

  it('no input at all, or no token field', async () => {
    await expect(acceptInvitation(db, undefined)).resolves.toEqual({
      ok: false,
      message: LINK_EXPIRED,
    });
    await expect(acceptInvitation(db, 'token')).resolves.toEqual({
      ok: false,
      message: LINK_EXPIRED,
    });
    await expect(
      acceptInvitation(db, { name: 'X', password: GOOD, repeat: GOOD }),
    ).resolves.toEqual({ ok: false, message: LINK_EXPIRED });
  });
});
