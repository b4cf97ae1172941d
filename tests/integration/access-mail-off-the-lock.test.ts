import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, Db } from '@/db/client';
import { scalepointMails } from '@/db/schema';
import { loadActor, type CompanyActor } from '@/lib/auth/actor';
import { listCustomers } from '@/lib/customers/queries';
import { createResendMailer } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { sendAccessMail } from '@/lib/scalepoint/admin/access-mail';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { startResendStandIn, type ReceivedMail } from '@/tools/stand-ins/resend';
import { createTestDatabase, openAppDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

/**
 * The access mail holds no transaction (and no pool connection) while Resend is slow
 * (docs/scalepoint-mail.md): the real Resend SDK against the local stand-in with a delay.
 */

let t: TestDatabase;
/** The app's pool, deliberately small: three connections for ten presses and another tenant. */
let app: Database | undefined;
let slow: http.Server;
let slowUrl: string;

const db = (): Db => app?.db ?? t.db;
const urlOf = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

async function enabledAdmin(name: string): Promise<CompanyActor> {
  const c = await makeCompany(t.db, name);
  const admin = (await loadActor(t.db, c.admin.id)) as CompanyActor;
  const saved = await saveScalepointSettings(t.db, admin, {
    enabled: true,
    orderTypeId: c.types[1].id,
    customerMode: 'policyholder',
    phoneAsCustomerNumber: false,
  });
  if (!saved.ok) throw new Error(saved.message);
  return admin;
}

const mailRows = (companyId: string) =>
  t.db
    .select({ status: scalepointMails.status, error: scalepointMails.error })
    .from(scalepointMails)
    .where(eq(scalepointMails.companyId, companyId))
    .orderBy(asc(scalepointMails.createdAt));

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  vi.stubEnv('RESEND_API_KEY', 're_test_stand_in');
  resetEnvCache();
  t = await createTestDatabase();
  app = await openAppDatabase(t, { max: 3 });
  slow = await startResendStandIn(0, { delayMs: 5_000 });
  slowUrl = urlOf(slow);
});
afterAll(async () => {
  slow?.closeAllConnections();
  slow?.close();
  await app?.close();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe('the access mail and a slow Resend', () => {
  it('ten parallel presses send one mail, the rest are answered at once, and another tenant is not blocked meanwhile', async () => {
    vi.stubEnv('RESEND_BASE_URL', slowUrl);
    const admin = await enabledAdmin('Presser ApS');
    const other = await enabledAdmin('Nabo ApS');
    const mailer = createResendMailer();
    const now = new Date();

    const started = Date.now();
    const answeredAt: number[] = [];
    const presses = Array.from({ length: 10 }, () =>
      sendAccessMail(db(), admin, mailer, now).then((r) => {
        answeredAt.push(Date.now() - started);
        return r;
      }),
    );
    // While the one real send waits on the stand-in (5 s): another company's page loads quickly.
    await new Promise((r) => setTimeout(r, 500));
    const before = Date.now();
    const page = await listCustomers(db(), other.companyId, {
      q: '',
      page: 1,
      pageSize: 25,
      sort: 'name',
      dir: 'asc',
    });
    const otherTook = Date.now() - before;
    expect(page.total).toBe(0);
    expect(otherTook).toBeLessThan(1_000);

    const results = await Promise.all(presses);
    const sent = results.filter((r) => r.message?.startsWith('Mail sendt til Scalepoint ('));
    const answered = results.filter((r) => r.message?.includes('under et minut siden'));
    expect(sent).toHaveLength(1);
    expect(answered).toHaveLength(9);
    // The nine were answered without waiting for Resend.
    expect(
      answeredAt
        .sort((a, b) => a - b)
        .slice(0, 9)
        .every((ms) => ms < 2_000),
    ).toBe(true);
    expect(Math.max(...answeredAt)).toBeGreaterThanOrEqual(4_500);

    const arrived = (await (await fetch(`${slowUrl}/_test/emails`)).json()) as ReceivedMail[];
    expect(arrived.filter((m) => String(m.body.subject).includes('Presser ApS'))).toHaveLength(1);
    expect(await mailRows(admin.companyId)).toEqual([{ status: 'sent', error: null }]);
  }, 20_000);

  it('gives up on a Resend that does not answer in time and records the attempt as failed; it still counts for the minute', async () => {
    vi.stubEnv('RESEND_BASE_URL', slowUrl);
    const admin = await enabledAdmin('Tålmodig ApS');
    const started = Date.now();
    const r = await sendAccessMail(db(), admin, createResendMailer({ timeoutMs: 300 }), new Date());
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r.ok).toBe(false);
    expect(r.message).toContain('svarede ikke inden for 0.3 s');
    expect(await mailRows(admin.companyId)).toEqual([
      { status: 'failed', error: 'Resend svarede ikke inden for 0.3 s' },
    ]);

    const again = await sendAccessMail(
      db(),
      admin,
      createResendMailer({ timeoutMs: 300 }),
      new Date(),
    );
    expect(again.ok).toBe(false);
    expect(again.message).toContain('under et minut siden');
    expect(await mailRows(admin.companyId)).toHaveLength(1);
  }, 20_000);
});
