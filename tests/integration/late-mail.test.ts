import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, Db } from '@/db/client';
import { companies, orders, scalepointMails, scalepointSettings, users } from '@/db/schema';
import { createCustomerWithNextNumber } from '@/lib/customers/numbering';
import { createResendMailer, type Mailer, type OutgoingMail } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { formatDateTime } from '@/lib/format';
import { insertDraft } from '@/lib/orders/create';
import {
  LATE_MAIL_GRACE_MS,
  LATE_MAIL_MAX_CASES,
  lateMailer,
} from '@/lib/scalepoint/deadlines/late-mail';
import { startDeadlinesSweep } from '@/lib/scalepoint/deadlines/sweep';
import { clockLabel } from '@/lib/scalepoint/deadlines/words';
import { startResendStandIn, type ReceivedMail } from '@/tools/stand-ins/resend';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

/**
 * The morning mail Forsinkede sager (docs/deadlines.md): driven by an injected clock, through the
 * real Resend SDK against the local stand-in over HTTP. Every run sees every company in the
 * database, so each test makes its own companies and counts their mails by subject.
 */

const APP_URL = 'https://kladde.test';
const HOUR = 3_600_000;

let t: TestDatabase;
/** Two instances' pools on PostgreSQL (the app's login, as in production); PGlite has one. */
let one: Database | undefined;
let two: Database | undefined;
let standIn: http.Server;
let standInUrl: string;
/** Every mail handed to the Mailer, in order. */
const calls: OutgoingMail[] = [];
let resend: Mailer;
const mailer: Mailer = (mail) => {
  calls.push(mail);
  return resend(mail);
};

const dbOne = (): Db => one?.db ?? t.db;
const dbTwo = (): Db => two?.db ?? t.db;
const at = (iso: string) => () => new Date(iso);

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  vi.stubEnv('RESEND_API_KEY', 're_test_stand_in');
  vi.stubEnv('APP_URL', APP_URL);
  standIn = await startResendStandIn(0);
  standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  vi.stubEnv('RESEND_BASE_URL', standInUrl);
  resetEnvCache();
  resend = createResendMailer();
  t = await createTestDatabase({ max: 10 });
  one = await openAppDatabase(t);
  two = await openAppDatabase(t);
});
afterAll(async () => {
  standIn?.closeAllConnections();
  standIn?.close();
  await one?.close();
  await two?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

type Company = Awaited<ReturnType<typeof company>>;

/** A company with its module on (or off), its admin, a member, and more admins as asked. */
async function company(
  name: string,
  opts: { enabled?: boolean; admins?: number; inactiveAdmins?: boolean } = {},
) {
  const unique = `${name} ${randomBytes(3).toString('hex')}`;
  const c = await makeCompany(t.db, unique);
  await t.db
    .update(scalepointSettings)
    .set({ enabled: opts.enabled ?? true, orderTypeId: c.types[1].id })
    .where(eq(scalepointSettings.companyId, c.company.id));
  const admins = [c.admin.email];
  for (let i = 2; i <= (opts.admins ?? 1); i++) {
    const email = `admin${i}-${c.company.id}@test.dk`;
    await t.db.insert(users).values({
      email,
      name: `Admin ${i}`,
      role: 'admin',
      companyId: c.company.id,
      passwordHash: 'x',
    });
    admins.push(email);
  }
  if (opts.inactiveAdmins) {
    await t.db.insert(users).values([
      {
        email: `gone-${c.company.id}@test.dk`,
        name: 'Deaktiveret admin',
        role: 'admin',
        status: 'deactivated',
        companyId: c.company.id,
        passwordHash: 'x',
      },
      {
        email: `invited-${c.company.id}@test.dk`,
        name: 'Inviteret admin',
        role: 'admin',
        status: 'invited',
        companyId: c.company.id,
      },
    ]);
  }
  return { ...c, name: unique, admins: admins.sort() };
}

let orderNumber = 0;

/**
 * A Scalepoint case of the company with its contact clock due at `due` (visit two days later),
 * as a draft or in another status (an order gets a number).
 */
async function scalepointCase(
  c: Company,
  due: Date,
  opts: {
    status?: 'draft' | 'new' | 'in_progress' | 'closed' | 'rejected';
    heading?: string;
    contactStoppedAt?: Date;
  } = {},
) {
  const customer = await createCustomerWithNextNumber(t.db, c.company.id, { name: 'Karen Kunde' });
  const created = await insertDraft(t.db, c.company.id, {
    orderTypeId: c.types[1].id,
    orderTypeName: c.types[1].name,
    heading: opts.heading ?? 'Vandskade',
    customerId: customer.id,
    customerName: customer.name,
    source: 'scalepoint',
  });
  const status = opts.status ?? 'draft';
  const numbered = status === 'new' || status === 'in_progress' || status === 'closed';
  await t.db
    .update(orders)
    .set({
      status,
      orderNumber: numbered ? ++orderNumber : null,
      contactDueAt: due,
      inspectionDueAt: new Date(due.getTime() + 48 * HOUR),
      workDueAt: null,
      contactStoppedAt: opts.contactStoppedAt ?? null,
      inspectionStoppedAt: null,
      workStoppedAt: null,
    })
    .where(eq(orders.id, created!.id));
  return { id: created!.id, number: numbered ? orderNumber : null };
}

const link = (id: string) => `${APP_URL}/orders/${id}`;

async function arrived(): Promise<ReceivedMail[]> {
  return (await (await fetch(`${standInUrl}/_test/emails`)).json()) as ReceivedMail[];
}
/** The mails of one company the stand-in kept, by their subject. */
async function arrivedFor(c: Company) {
  return (await arrived()).filter((m) =>
    String(m.body.subject).startsWith(`Forsinkede sager hos ${c.name}:`),
  );
}
const callsFor = (c: Company) =>
  calls.filter((m) => m.subject.startsWith(`Forsinkede sager hos ${c.name}:`));

const rowsOf = (c: Company) =>
  t.db
    .select({
      kind: scalepointMails.kind,
      to: scalepointMails.toAddress,
      status: scalepointMails.status,
      providerId: scalepointMails.providerId,
      error: scalepointMails.error,
      key: scalepointMails.idempotencyKey,
      subject: scalepointMails.subject,
    })
    .from(scalepointMails)
    .where(eq(scalepointMails.companyId, c.company.id))
    .orderBy(asc(scalepointMails.createdAt), asc(scalepointMails.toAddress));

const lateMailOn = async (c: Company) =>
  (
    await t.db
      .select({ day: scalepointSettings.lateMailOn })
      .from(scalepointSettings)
      .where(eq(scalepointSettings.companyId, c.company.id))
  )[0]!.day;

describe('the morning mail Forsinkede sager', () => {
  it('in winter (07:00 is 06:00Z): nothing before 07:00; at 07:00 one mail to each active admin of each company with a case past its Frist and the module on', async () => {
    const now = new Date('2026-01-14T06:00:00Z');
    const late = await company('Forsinket ApS', { admins: 2, inactiveAdmins: true });
    const draft = await scalepointCase(late, new Date('2026-01-13T09:30:00Z'), {
      heading: 'Vandskade i kælder',
    });
    const order = await scalepointCase(late, new Date('2026-01-12T08:00:00Z'), {
      status: 'in_progress',
      heading: 'Stormskade',
    });
    const ahead = await scalepointCase(late, new Date(now.getTime() + HOUR));
    const finished = await scalepointCase(late, new Date('2026-01-10T08:00:00Z'), {
      status: 'closed',
    });
    const rejected = await scalepointCase(late, new Date('2026-01-10T08:00:00Z'), {
      status: 'rejected',
    });
    const neighbour = await company('Nabo ApS');
    const neighbourCase = await scalepointCase(neighbour, new Date('2026-01-14T05:00:00Z'));

    const off = await company('Slukket ApS', { enabled: false });
    await scalepointCase(off, new Date('2026-01-13T08:00:00Z'));
    const closedDown = await company('Lukket ApS');
    await scalepointCase(closedDown, new Date('2026-01-13T08:00:00Z'));
    await t.db
      .update(companies)
      .set({ deactivatedAt: new Date('2026-01-01T00:00:00Z') })
      .where(eq(companies.id, closedDown.company.id));
    const quiet = await company('Rolig ApS');
    const onTime = await company('Rettidig ApS');
    await scalepointCase(onTime, new Date(now.getTime() + 60_000));
    await scalepointCase(onTime, new Date('2026-01-13T08:00:00Z'), {
      contactStoppedAt: new Date('2026-01-13T07:00:00Z'),
    });
    const all = [late, neighbour, off, closedDown, quiet, onTime];

    // 06:59:59 in Copenhagen: nothing, and no day claimed.
    const early = await lateMailer(mailer, at('2026-01-14T05:59:59Z'))(dbOne());
    expect(early).toEqual({ companies: 0, mails: 0, resent: 0 });
    for (const c of all) {
      expect(await arrivedFor(c)).toHaveLength(0);
      expect(await lateMailOn(c)).toBeNull();
    }

    const run = await lateMailer(mailer, () => now)(dbOne());
    expect(run.companies).toBeGreaterThanOrEqual(2);

    const lateMails = await arrivedFor(late);
    expect(lateMails.map((m) => m.body.to).sort()).toEqual(late.admins);
    expect(late.admins).toHaveLength(2);
    for (const m of lateMails) {
      const subject = String(m.body.subject);
      const text = String(m.body.text);
      expect(subject).toContain('Forsinkede sager');
      expect(subject).toContain('2 sager');
      expect(text).toContain(link(draft.id));
      expect(text).toContain(link(order.id));
      // The oldest Frist first: the order (12 January) before the draft (13 January).
      expect(text.indexOf(link(order.id))).toBeLessThan(text.indexOf(link(draft.id)));
      expect(text).toContain(`Ordre ${order.number}: Stormskade (Karen Kunde)`);
      expect(text).toContain('Kladde: Vandskade i kælder (Karen Kunde)');
      expect(text).toContain(
        `${clockLabel.contact}, frist ${formatDateTime(new Date('2026-01-13T09:30:00Z'))}`,
      );
      for (const other of [ahead, finished, rejected, neighbourCase])
        expect(text).not.toContain(link(other.id));
      expect(m.headers['idempotency-key']).toBe(
        `kladde-late-cases/${late.company.id}/2026-01-14/${String(m.body.to)}`,
      );
    }
    const neighbourMails = await arrivedFor(neighbour);
    expect(neighbourMails).toHaveLength(1);
    expect(neighbourMails[0]!.body.to).toBe(neighbour.admin.email);
    expect(String(neighbourMails[0]!.body.text)).toContain(link(neighbourCase.id));
    expect(String(neighbourMails[0]!.body.text)).not.toContain(link(draft.id));
    expect(String(neighbourMails[0]!.body.subject)).toContain('1 sag har');

    for (const c of [off, closedDown, quiet, onTime]) {
      expect(await arrivedFor(c)).toHaveLength(0);
      expect(await rowsOf(c)).toEqual([]);
      expect(await lateMailOn(c)).toBeNull();
    }

    // Recorded like the access mail: a row per mail, kind late_cases, sent, Resend's id.
    const rows = await rowsOf(late);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ kind: 'late_cases', status: 'sent', error: null });
      expect(row.providerId).toMatch(/^stand-in-/);
      expect(row.subject).toContain('Forsinkede sager');
      expect(row.key).toBe(`kladde-late-cases/${late.company.id}/2026-01-14/${row.to}`);
    }
    expect(rows.map((r) => r.to)).toEqual(late.admins);
    expect(await lateMailOn(late)).toBe('2026-01-14');
  });

  it('in summer (07:00 is 05:00Z): nothing at 06:59, the mail at 07:00', async () => {
    const c = await company('Sommer ApS');
    const kase = await scalepointCase(c, new Date('2026-07-07T10:00:00Z'));
    await lateMailer(mailer, at('2026-07-08T04:59:00Z'))(dbOne());
    expect(await arrivedFor(c)).toHaveLength(0);
    expect(await lateMailOn(c)).toBeNull();

    await lateMailer(mailer, at('2026-07-08T05:00:00Z'))(dbOne());
    const mails = await arrivedFor(c);
    expect(mails).toHaveLength(1);
    expect(String(mails[0]!.body.text)).toContain(link(kase.id));
    expect(await lateMailOn(c)).toBe('2026-07-08');
  });

  it('lists what was overdue at 07:00: a case that passes its Frist later is tomorrow’s, also when the mail goes out late', async () => {
    const c = await company('Senere ApS');
    // Its only case passes its Frist at 09:00 (08:00Z in winter): nothing that day, even at 09:30.
    const later = await scalepointCase(c, new Date('2026-02-10T08:00:00Z'));
    expect((await lateMailer(mailer, at('2026-02-10T08:30:00Z'))(dbOne())).companies).toBe(0);
    expect(callsFor(c)).toHaveLength(0);
    expect(await lateMailOn(c)).toBeNull();

    // A server down at 07:00 and up at 10:00 sends the day's mail then, with what was late at 07:00.
    const early = await scalepointCase(c, new Date('2026-02-11T05:00:00Z'));
    const afterSeven = await scalepointCase(c, new Date('2026-02-11T07:30:00Z'));
    await lateMailer(mailer, at('2026-02-11T09:00:00Z'))(dbOne());
    const [mail] = callsFor(c);
    expect(mail).toBeDefined();
    expect(mail!.text).toContain(link(early.id));
    expect(mail!.text).toContain(link(later.id));
    expect(mail!.text).not.toContain(link(afterSeven.id));
  });

  it('two instances at once send one mail per admin; a restart at 07:00:30 sends nothing more; the next day at 07:00 sends again', async () => {
    const c = await company('Dobbelt ApS', { admins: 2 });
    const kase = await scalepointCase(c, new Date('2026-02-09T12:00:00Z'));
    const before = calls.length;

    const day1 = at('2026-02-10T06:00:00Z');
    const runs = await Promise.all([
      lateMailer(mailer, day1)(dbOne()),
      lateMailer(mailer, day1)(dbTwo()),
      lateMailer(mailer, day1)(dbOne()),
      lateMailer(mailer, day1)(dbTwo()),
    ]);
    // Not only Resend's idempotency: the Mailer itself was asked once per mail.
    expect(callsFor(c)).toHaveLength(2);
    const keys = calls.slice(before).map((m) => m.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    // Every company due that day was claimed by exactly one of the runs.
    expect(runs.reduce((n, r) => n + r.companies, 0)).toBe(
      new Set(keys.map((k) => k.split('/')[1])).size,
    );
    expect((await arrivedFor(c)).map((m) => m.body.to).sort()).toEqual(c.admins);

    // The process restarts at 07:00:30 and its sweep runs at once.
    await lateMailer(mailer, at('2026-02-10T06:00:30Z'))(dbOne());
    expect(callsFor(c)).toHaveLength(2);
    expect(await arrivedFor(c)).toHaveLength(2);

    // The next day: again, with that day's keys.
    await Promise.all([
      lateMailer(mailer, at('2026-02-11T06:00:00Z'))(dbOne()),
      lateMailer(mailer, at('2026-02-11T06:00:10Z'))(dbTwo()),
    ]);
    const mails = await arrivedFor(c);
    expect(mails).toHaveLength(4);
    expect(mails.every((m) => String(m.body.text).includes(link(kase.id)))).toBe(true);
    const rows = await rowsOf(c);
    expect(rows.map((r) => [r.status, r.key])).toEqual([
      ['sent', `kladde-late-cases/${c.company.id}/2026-02-10/${c.admins[0]}`],
      ['sent', `kladde-late-cases/${c.company.id}/2026-02-10/${c.admins[1]}`],
      ['sent', `kladde-late-cases/${c.company.id}/2026-02-11/${c.admins[0]}`],
      ['sent', `kladde-late-cases/${c.company.id}/2026-02-11/${c.admins[1]}`],
    ]);
  });

  it('a run that dies between the claim and the send is finished by a later run after the grace, with the same key; Resend gets each mail once', async () => {
    // Reached Resend, then the process died before recording it; died before sending at all.
    const reached = await company('Halvvejs ApS');
    const never = await company('Aldrig ApS');
    await scalepointCase(reached, new Date('2026-03-02T08:00:00Z'));
    const neverCase = await scalepointCase(never, new Date('2026-03-02T08:00:00Z'));
    const dying: Mailer = async (mail) => {
      if (mail.subject.startsWith(`Forsinkede sager hos ${reached.name}:`)) {
        await mailer(mail);
        throw new Error('the process died');
      }
      if (mail.subject.startsWith(`Forsinkede sager hos ${never.name}:`)) {
        calls.push(mail);
        throw new Error('the process died');
      }
      return mailer(mail);
    };
    const claimedAt = new Date('2026-03-03T06:00:00Z');
    await lateMailer(dying, () => claimedAt)(dbOne());
    expect((await rowsOf(reached)).map((r) => r.status)).toEqual(['sending']);
    expect((await rowsOf(never)).map((r) => r.status)).toEqual(['sending']);
    expect(await arrivedFor(reached)).toHaveLength(1);
    expect(await arrivedFor(never)).toHaveLength(0);

    // Within the grace: left alone (the first send may still be under way).
    await lateMailer(
      mailer,
      () => new Date(claimedAt.getTime() + LATE_MAIL_GRACE_MS - 1_000),
    )(dbTwo());
    expect(callsFor(reached)).toHaveLength(1);
    expect(callsFor(never)).toHaveLength(1);

    const later = await lateMailer(
      mailer,
      () => new Date(claimedAt.getTime() + LATE_MAIL_GRACE_MS + 1_000),
    )(dbTwo());
    expect(later.resent).toBeGreaterThanOrEqual(2);
    expect(later.companies).toBe(0);
    for (const c of [reached, never]) {
      const key = `kladde-late-cases/${c.company.id}/2026-03-03/${c.admin.email}`;
      expect(callsFor(c).map((m) => m.idempotencyKey)).toEqual([key, key]);
      const got = await arrivedFor(c);
      expect(got).toHaveLength(1);
      expect(got[0]!.headers['idempotency-key']).toBe(key);
      const rows = await rowsOf(c);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'late_cases', status: 'sent', key });
    }
    expect(String((await arrivedFor(never))[0]!.body.text)).toContain(link(neverCase.id));
    // Done is done: a further run sends nothing.
    await lateMailer(mailer, () => new Date(claimedAt.getTime() + 2 * LATE_MAIL_GRACE_MS))(dbOne());
    expect(callsFor(never)).toHaveLength(2);
  });

  it('a mail a crash left unsent past its day is recorded as failed, not sent a day late; the new day has its own', async () => {
    const c = await company('Sent på dagen ApS');
    await scalepointCase(c, new Date('2026-03-10T05:00:00Z'));
    const dying: Mailer = async (mail) => {
      if (mail.subject.startsWith(`Forsinkede sager hos ${c.name}:`))
        throw new Error('the process died');
      return mailer(mail);
    };
    // 23:50 in Copenhagen: claimed (the first run of the day after a long stop), never sent.
    await lateMailer(dying, at('2026-03-10T22:50:00Z'))(dbOne());
    expect((await rowsOf(c)).map((r) => r.status)).toEqual(['sending']);

    await lateMailer(mailer, at('2026-03-11T06:00:00Z'))(dbOne());
    const rows = await rowsOf(c);
    expect(rows.map((r) => [r.status, r.key])).toEqual([
      ['failed', `kladde-late-cases/${c.company.id}/2026-03-10/${c.admin.email}`],
      ['sent', `kladde-late-cases/${c.company.id}/2026-03-11/${c.admin.email}`],
    ]);
    expect(rows[0]!.error).toContain('Ikke sendt');
    const got = await arrivedFor(c);
    expect(got).toHaveLength(1);
    expect(got[0]!.headers['idempotency-key']).toBe(
      `kladde-late-cases/${c.company.id}/2026-03-11/${c.admin.email}`,
    );
  });

  it(`lists at most ${LATE_MAIL_MAX_CASES} cases, oldest Frist first, drafts and orders together, names each one's clock and counts the rest`, async () => {
    const c = await company('Travl ApS');
    const now = new Date('2026-04-15T05:00:00Z');
    const made: { id: string; due: Date }[] = [];
    for (let i = 0; i < LATE_MAIL_MAX_CASES + 3; i++) {
      const due = new Date(now.getTime() - (i + 1) * HOUR);
      made.push({
        id: (
          await scalepointCase(c, due, {
            status: i % 3 === 0 ? 'new' : 'draft',
            heading: `Sag ${i}`,
          })
        ).id,
        due,
      });
    }
    // The contact clock stopped: its Frist is the visit, two days after the contact's.
    const visit = await scalepointCase(c, new Date(now.getTime() - 60.5 * HOUR), {
      heading: 'Besigtiges',
      contactStoppedAt: new Date(now.getTime() - 61 * HOUR),
    });
    await lateMailer(mailer, () => now)(dbOne());
    const [mail] = await arrivedFor(c);
    const text = String(mail!.body.text);
    expect(String(mail!.body.subject)).toContain(`${LATE_MAIL_MAX_CASES + 4} sager`);
    const listed = [...text.matchAll(/\/orders\/([0-9a-f-]{36})/g)].map((m) => m[1]);
    // The visit (due 12½ h ago) sits among them by its own Frist; the oldest 50 are listed.
    const expected = [...made, { id: visit.id, due: new Date(now.getTime() - 12.5 * HOUR) }]
      .sort((a, b) => a.due.getTime() - b.due.getTime())
      .slice(0, LATE_MAIL_MAX_CASES)
      .map((x) => x.id);
    expect(listed).toEqual(expected);
    expect(text).toContain('… og 4 sager mere.');
    expect(text).toContain(`Kladde: Besigtiges (Karen Kunde): ${clockLabel.inspection}, frist `);
    expect(text).toContain(`${APP_URL}/orders/drafts?status=late`);
    expect(text).toContain(`${APP_URL}/orders?status=late`);
    const rows = await t.db
      .select({ status: scalepointMails.status })
      .from(scalepointMails)
      .where(
        and(eq(scalepointMails.companyId, c.company.id), eq(scalepointMails.kind, 'late_cases')),
      );
    expect(rows).toEqual([{ status: 'sent' }]);
  });

  it('the deadlines sweep, running every period, sends nothing before 07:00, the morning mail once from 07:00, and stops cleanly', async () => {
    const c = await company('Fejer ApS');
    const kase = await scalepointCase(c, new Date('2026-05-05T08:00:00Z'));
    let clock = new Date('2026-05-06T04:59:00Z');
    const sweep = startDeadlinesSweep(dbOne(), { everyMs: 50, mailer, now: () => clock });
    await new Promise((r) => setTimeout(r, 200));
    expect(callsFor(c)).toHaveLength(0);
    clock = new Date('2026-05-06T05:00:30Z');
    await expect.poll(() => callsFor(c).length, { timeout: 5_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    await sweep.stop();
    expect(callsFor(c)).toHaveLength(1);
    const [mail] = await arrivedFor(c);
    expect(String(mail!.body.text)).toContain(link(kase.id));
    expect((await rowsOf(c)).map((r) => r.status)).toEqual(['sent']);
  });
});
