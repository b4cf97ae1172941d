/**
 * Glemt adgangskode? and the reset page (docs/people.md, "Forgotten password"), against real
 * PostgreSQL (PGlite when none is reachable), with the Resend stand-in for the mail.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { drizzle } from 'drizzle-orm/postgres-js';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, Db } from '@/db/client';
import * as schema from '@/db/schema';
import { auditLog, passwordResets, users } from '@/db/schema';
import { checkCredentials } from '@/lib/auth/credentials';
import { createResendMailer } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { LINK_EXPIRED } from '@/lib/people/accept-invitation';
import {
  markLostResetMails,
  requestPasswordReset,
  RESET_REQUESTED,
  resetForPage,
  resetPassword,
  sendResetMail,
  type QueuedResetMail,
} from '@/lib/people/password-reset';
import { hashLinkToken } from '@/lib/people/tokens';
import { asSystem } from '@/lib/tenancy';
import { startResendStandIn, type ReceivedMail } from '@/tools/stand-ins/resend';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';
import { actorOf, signedIn } from '../support/sessions';

const APP_URL = 'https://kladde.example.dk';
const NEW_PASSWORD = 'Blå-Hest-Løber-7';
const HOUR = 3600_000;

let t: TestDatabase;
let pool: Database | undefined;
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
  pool = await openAppDatabase(t, { max: 6 });
  db = pool?.db ?? t.db;
});
afterAll(async () => {
  await pool?.close();
  await t?.close();
  await new Promise((r) => resend?.close(r));
  vi.unstubAllEnvs();
  resetEnvCache();
});

const unique = () => randomBytes(4).toString('hex');
const tokenOf = (mail: QueuedResetMail) => mail.link.slice(`${APP_URL}/password/reset/`.length);

async function mailsTo(email: string): Promise<ReceivedMail[]> {
  const all = (await (await fetch(`${resendUrl}/_test/emails`)).json()) as ReceivedMail[];
  return all.filter((m) => [m.body.to].flat().includes(email));
}

async function requested(email: string, now = new Date()) {
  const r = await requestPasswordReset(db, { email }, now);
  expect(r.result).toEqual({ ok: true, message: RESET_REQUESTED });
  return r.mail;
}

describe('Glemt adgangskode?', () => {
  it('answers an unknown e-mail exactly as a known one, with the same statements and one token hash', async () => {
    if (!t.url) return; // statement counting needs postgres.js's debug hook
    const c = await makeCompany(t.db);
    const invited = `invited-${unique()}@test.dk`;
    await t.db.insert(users).values({
      email: invited,
      name: 'Inviteret',
      role: 'member',
      companyId: c.company.id,
      status: 'invited',
    });
    const statements: string[] = [];
    const client = postgres(t.url, {
      max: 1,
      onnotice: () => {},
      debug: (_connection, query) => statements.push(query),
    });
    const counted = drizzle(client, { schema }) as unknown as Db;
    let hashes = 0;
    const deps = {
      hashToken: (token: string) => {
        hashes += 1;
        return hashLinkToken(token);
      },
    };
    const work = async (email: string) => {
      statements.length = 0;
      hashes = 0;
      const r = await requestPasswordReset(counted, { email }, new Date(), deps);
      return { answer: r.result, mailed: !!r.mail, statements: [...statements], hashes };
    };
    try {
      await counted.execute(sql`select 1`); // the driver's first look at the types, before counting
      const known = await work(c.admin.email.toUpperCase());
      const unknown = await work(`nobody-${unique()}@test.dk`);
      const notActive = await work(invited);
      expect(known.mailed).toBe(true);
      expect(unknown.mailed).toBe(false);
      expect(notActive.mailed).toBe(false);
      for (const other of [unknown, notActive]) {
        expect(other.answer).toEqual(known.answer);
        expect(other.statements).toEqual(known.statements);
        expect(other.hashes).toBe(1);
      }
      expect(known.hashes).toBe(1);
      // begin, the door, the look-up, the count, the row, commit
      expect(known.statements).toHaveLength(6);
    } finally {
      await client.end();
    }
  });

  it('mails a link that works once, for an hour, and ends every session of the user', async () => {
    const c = await makeCompany(t.db);
    const elsewhere = await signedIn(t.db, c.member.id);
    const queued = await requested(c.member.email);
    expect(queued).not.toBeNull();
    await sendResetMail(db, mailer, queued!);
    const [mail] = await mailsTo(c.member.email);
    expect(mail?.body.subject).toContain('Nulstil adgangskode');
    expect(mail?.body.text).toContain(`${APP_URL}/password/reset/`);
    const token = tokenOf(queued!);
    expect(mail?.body.text).toContain(token);
    const [row] = await t.db
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.id, queued!.resetId));
    expect(row).toMatchObject({ mailStatus: 'sent', userId: c.member.id });
    expect(row!.tokenHash).toBe(hashLinkToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    expect(await resetForPage(db, token)).toEqual({ email: c.member.email });
    const refused = await resetPassword(db, { token, password: 'kort', repeat: 'kort' });
    expect(refused.ok).toBe(false);
    expect(refused.fieldErrors?.password).toBeTruthy();
    const done = await resetPassword(db, { token, password: NEW_PASSWORD, repeat: NEW_PASSWORD });
    expect(done).toMatchObject({ ok: true });
    expect(await checkCredentials(db, { email: c.member.email, password: NEW_PASSWORD })).toBe(
      c.member.id,
    );
    expect(await checkCredentials(db, { email: c.member.email, password: 'secret123' })).toBeNull();
    expect(await actorOf(db, elsewhere)).toBeNull();
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'user.password_reset'));
    expect(audit.some((a) => (a.details as { userId?: string }).userId === c.member.id)).toBe(true);

    // Once only.
    expect(await resetForPage(db, token)).toBeNull();
    expect(
      await resetPassword(db, { token, password: `${NEW_PASSWORD}x`, repeat: `${NEW_PASSWORD}x` }),
    ).toEqual({ ok: false, message: LINK_EXPIRED });
  });

  it('a link older than an hour opens nothing', async () => {
    const c = await makeCompany(t.db);
    const at = new Date();
    const token = tokenOf((await requested(c.admin.email, at))!);
    const later = new Date(at.getTime() + HOUR + 1000);
    expect(await resetForPage(db, token, new Date(at.getTime() + HOUR - 1000))).not.toBeNull();
    expect(await resetForPage(db, token, later)).toBeNull();
    expect(
      await resetPassword(db, { token, password: NEW_PASSWORD, repeat: NEW_PASSWORD }, later),
    ).toEqual({ ok: false, message: LINK_EXPIRED });
  });

  it('makes at most 3 links per e-mail per hour, and says the same to the fourth', async () => {
    const c = await makeCompany(t.db);
    const at = new Date();
    const links = [];
    for (let i = 0; i < 4; i++)
      links.push(await requested(c.admin.email, new Date(at.getTime() + i)));
    expect(links.map((l) => !!l)).toEqual([true, true, true, false]);
    expect(await requested(c.admin.email, new Date(at.getTime() + HOUR + 10))).not.toBeNull();
  });

  it('refuses a malformed e-mail at its field, and gives nobody a link to a deactivated user', async () => {
    const r = await requestPasswordReset(db, { email: 'ikke en e-mail' });
    expect(r.result.ok).toBe(false);
    expect(r.result.fieldErrors?.email).toBeTruthy();
    const c = await makeCompany(t.db);
    await t.db.update(users).set({ status: 'deactivated' }).where(eq(users.id, c.member.id));
    expect(await requested(c.member.email)).toBeNull();
  });

  it('two tabs saving one link at once: one new password, the other told the link is used', async () => {
    const c = await makeCompany(t.db);
    const token = tokenOf((await requested(c.admin.email))!);
    const results = await Promise.all(
      ['Første-Hest-Løber-1', 'Anden-Hest-Løber-2'].map((password) =>
        resetPassword(db, { token, password, repeat: password }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, message: LINK_EXPIRED }]);
  });

  it('a mail still queued after 10 minutes is marked failed: it was lost with its process', async () => {
    const c = await makeCompany(t.db);
    const at = new Date(Date.now() - 11 * 60_000);
    const queued = (await requested(c.admin.email, at))!;
    expect(await markLostResetMails(db)).toBeGreaterThanOrEqual(1);
    const [row] = await t.db
      .select({ mailStatus: passwordResets.mailStatus })
      .from(passwordResets)
      .where(eq(passwordResets.id, queued.resetId));
    expect(row?.mailStatus).toBe('failed');
  });

  it('without RESEND_API_KEY the row says the mail was not sent', async () => {
    const c = await makeCompany(t.db);
    const queued = (await requested(c.admin.email))!;
    vi.stubEnv('RESEND_API_KEY', '');
    resetEnvCache();
    try {
      await sendResetMail(db, createResendMailer(), queued);
    } finally {
      vi.stubEnv('RESEND_API_KEY', 're_test_stand_in');
      resetEnvCache();
    }
    const [row] = await asSystem(t.db, 'password-reset', (tx) =>
      tx
        .select({ mailStatus: passwordResets.mailStatus })
        .from(passwordResets)
        .where(eq(passwordResets.id, queued.resetId)),
    );
    expect(row?.mailStatus).toBe('not_sent');
  });
});
