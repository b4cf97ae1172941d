import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  auditLog,
  companies,
  scalepointCredentials,
  scalepointMails,
  scalepointSettings,
} from '@/db/schema';
import { loadActor, NotFoundError, type Actor } from '@/lib/auth/actor';
import { resetEnvCache } from '@/lib/env';
import { revokePreviousSecret, storeCredentials } from '@/lib/scalepoint/support/credentials';
import { lookupIntakeAccount } from '@/lib/scalepoint/intake/account';
import { generateSigningSecret } from '@/lib/scalepoint/intake/signature';
import { getSupportCompanyView } from '@/lib/scalepoint/support/company-view';
import {
  listCompaniesForSupport,
  parseSupportListParams,
  type SupportListView,
} from '@/lib/scalepoint/support/company-list';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';

let t: TestDatabase;
let support: Actor;

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  resetEnvCache();
  t = await createTestDatabase();
  support = (await loadActor(t.db, (await makeSupport(t.db)).id))!;
});
afterAll(async () => {
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

const view = (v: Partial<SupportListView>): SupportListView => ({
  ...parseSupportListParams({}),
  ...v,
});

async function tenant(name: string) {
  const c = await makeCompany(t.db, name);
  return {
    ...c,
    adminActor: (await loadActor(t.db, c.admin.id))!,
    memberActor: (await loadActor(t.db, c.member.id))!,
  };
}

async function enable(companyId: string) {
  await t.db
    .update(scalepointSettings)
    .set({ enabled: true })
    .where(eq(scalepointSettings.companyId, companyId));
}

async function mailSent(companyId: string, status: 'sent' | 'failed' = 'sent') {
  await t.db.insert(scalepointMails).values({
    companyId,
    toAddress: 'x@scalepoint.test',
    subject: 's',
    body: 'b',
    status,
    idempotencyKey: randomUUID(),
  });
}

describe('listCompaniesForSupport', () => {
  // One prefix per run keeps this block's companies apart from the scale test's.
  const p = `Lst${randomBytes(2).toString('hex')}`;
  let a: Awaited<ReturnType<typeof tenant>>; // module on, nothing stored → awaiting
  let b: Awaited<ReturnType<typeof tenant>>; // module off, mail sent → awaiting
  let c: Awaited<ReturnType<typeof tenant>>; // module on, credentials stored → active
  let d: Awaited<ReturnType<typeof tenant>>; // module off, nothing asked → not awaiting
  let e: Awaited<ReturnType<typeof tenant>>; // module off, mail failed → not awaiting

  beforeAll(async () => {
    a = await tenant(`${p} Alfa VVS`);
    b = await tenant(`${p} Bravo Byg`);
    c = await tenant(`${p} Charlie El`);
    d = await tenant(`${p} Delta Tag`);
    e = await tenant(`${p} Echo Maler`);
    await enable(a.company.id);
    await mailSent(b.company.id);
    await enable(c.company.id);
    expect(
      (
        await storeCredentials(t.db, support, {
          companyId: c.company.id,
          accountId: `acct-${randomUUID()}`,
          secret: generateSigningSecret(),
        })
      ).ok,
    ).toBe(true);
    await mailSent(e.company.id, 'failed');
  });

  it('searches by name or CVR, case-insensitively, with wildcards taken literally', async () => {
    const byName = await listCompaniesForSupport(
      t.db,
      support,
      view({ q: `${p.toLowerCase()} bravo` }),
    );
    expect(byName.rows.map((r) => r.id)).toEqual([b.company.id]);
    expect(byName.total).toBe(1);
    const byCvr = await listCompaniesForSupport(t.db, support, view({ q: d.company.cvr }));
    expect(byCvr.rows.map((r) => r.id)).toContain(d.company.id);
    expect((await listCompaniesForSupport(t.db, support, view({ q: `${p}%` }))).total).toBe(0);
    expect((await listCompaniesForSupport(t.db, support, view({ q: `${p} ` }))).total).toBe(5);
  });

  it('filters Afventer adgang: module on or access mail sent, and nothing stored', async () => {
    const r = await listCompaniesForSupport(t.db, support, view({ q: p, filter: 'awaiting' }));
    expect(r.rows.map((x) => x.name)).toEqual([`${p} Alfa VVS`, `${p} Bravo Byg`]);
    expect(r.total).toBe(2);
    const all = await listCompaniesForSupport(t.db, support, view({ q: p }));
    const status = Object.fromEntries(all.rows.map((x) => [x.name.slice(p.length + 1), x.status]));
    expect(status).toEqual({
      'Alfa VVS': 'awaiting_access',
      'Bravo Byg': 'disabled',
      'Charlie El': 'active',
      'Delta Tag': 'disabled',
      'Echo Maler': 'disabled',
    });
    const charlie = all.rows.find((x) => x.id === c.company.id)!;
    expect(charlie.accountId).toMatch(/^acct-/);
    expect(all.rows.find((x) => x.id === b.company.id)!.lastMailAt).toBeInstanceOf(Date);
    expect(all.rows.find((x) => x.id === e.company.id)!.lastMailAt).toBeNull();
  });

  it('pages on the server, sorted by name, and counts past the last page', async () => {
    const page1 = await listCompaniesForSupport(
      t.db,
      support,
      view({ q: p, pageSize: 2, page: 1 }),
    );
    const page3 = await listCompaniesForSupport(
      t.db,
      support,
      view({ q: p, pageSize: 2, page: 3 }),
    );
    const page9 = await listCompaniesForSupport(
      t.db,
      support,
      view({ q: p, pageSize: 2, page: 9 }),
    );
    expect(page1.rows.map((r) => r.id)).toEqual([a.company.id, b.company.id]);
    expect(page3.rows.map((r) => r.id)).toEqual([e.company.id]);
    expect([page1.total, page3.total, page9.total]).toEqual([5, 5, 5]);
    expect(page9.rows).toEqual([]);
  });

  it('reads the URL leniently', () => {
    expect(parseSupportListParams({ q: '  x ', filter: 'awaiting', page: '3' })).toMatchObject({
      q: 'x',
      filter: 'awaiting',
      page: 3,
    });
    expect(parseSupportListParams({ filter: 'bogus', page: '-1' })).toMatchObject({
      filter: 'all',
      page: 1,
    });
    expect(parseSupportListParams({ q: ['a', 'b'], page: 'NaN' })).toMatchObject({
      q: 'a',
      page: 1,
    });
  });

  it('is for support only', async () => {
    for (const actor of [a.adminActor, a.memberActor, null]) {
      await expect(listCompaniesForSupport(t.db, actor, view({}))).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(
        getSupportCompanyView(t.db, actor, { companyId: a.company.id }),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it('company view: null for an unknown or malformed id, never a secret', async () => {
    expect(await getSupportCompanyView(t.db, support, { companyId: randomUUID() })).toBeNull();
    await expect(
      getSupportCompanyView(t.db, support, { companyId: 'not-a-uuid' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const v = await getSupportCompanyView(t.db, support, { companyId: c.company.id });
    expect(v).toMatchObject({
      company: { id: c.company.id, name: `${p} Charlie El` },
      status: 'active',
      credentials: { storedBy: 'Support', previousValidUntil: null },
    });
    const [row] = await t.db
      .select()
      .from(scalepointCredentials)
      .where(eq(scalepointCredentials.companyId, c.company.id));
    expect(JSON.stringify(v)).not.toContain(row!.secretEnc);
  });
});

describe('signing secret rotation', () => {
  const H = 60 * 60 * 1000;
  const T = new Date('2031-05-06T08:00:00Z');
  const at = (ms: number) => new Date(T.getTime() + ms);

  it('refuses a second new secret within the grace, naming when it ends; revoking first allows it', async () => {
    const c = await tenant(`Rot ${randomBytes(3).toString('hex')}`);
    const accountId = `acct-${randomUUID()}`;
    const [s1, s2, s3] = [
      generateSigningSecret(),
      generateSigningSecret(),
      generateSigningSecret(),
    ];
    const store = (secret: string, when: Date) =>
      storeCredentials(t.db, support, { companyId: c.company.id, accountId, secret }, when);
    expect((await store(s1, at(-48 * H))).ok).toBe(true);
    expect((await store(s2, T)).ok).toBe(true);

    const refused = await store(s3, at(2 * H));
    expect(refused.ok).toBe(false);
    // 24 h after T, in Danish time.
    expect(refused.fieldErrors?.secret).toContain('07.05.2031');
    expect(refused.fieldErrors?.secret).toContain('Tilbagekald forrige nøgle');
    expect((await lookupIntakeAccount(t.db, accountId, at(3 * H)))?.keys).toHaveLength(2);

    // Storing the current secret again is not a rotation.
    expect((await store(s2, at(2 * H))).ok).toBe(true);

    const revoked = await revokePreviousSecret(
      t.db,
      support,
      { companyId: c.company.id },
      at(3 * H),
    );
    expect(revoked).toMatchObject({ ok: true });
    expect((await lookupIntakeAccount(t.db, accountId, at(3 * H)))?.keys).toHaveLength(1);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.companyId, c.company.id),
          eq(auditLog.action, 'scalepoint.previous_secret_revoked'),
        ),
      );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorRole: 'support', actorUserId: support.userId });

    // Nothing left to revoke: a plain answer, no audit row.
    expect(
      await revokePreviousSecret(t.db, support, { companyId: c.company.id }, at(3 * H)),
    ).toMatchObject({ ok: false });
    expect((await store(s3, at(4 * H))).ok).toBe(true);
  });

  it('allows the next rotation once the grace has ended', async () => {
    const c = await tenant(`Rot ${randomBytes(3).toString('hex')}`);
    const accountId = `acct-${randomUUID()}`;
    const store = (when: Date) =>
      storeCredentials(
        t.db,
        support,
        { companyId: c.company.id, accountId, secret: generateSigningSecret() },
        when,
      );
    expect((await store(at(-48 * H))).ok).toBe(true);
    expect((await store(T)).ok).toBe(true);
    expect((await store(at(24 * H + 1000))).ok).toBe(true);
  });

  it('revoking is for support only, for an existing company', async () => {
    const c = await tenant(`Rot ${randomBytes(3).toString('hex')}`);
    for (const actor of [c.adminActor, c.memberActor, null]) {
      await expect(
        revokePreviousSecret(t.db, actor, { companyId: c.company.id }),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(
      revokePreviousSecret(t.db, support, { companyId: randomUUID() }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await revokePreviousSecret(t.db, support, { companyId: 'nope' })).toMatchObject({
      ok: false,
    });
  });
});

describe('support list at scale', () => {
  it('answers a page of ~5,000 companies quickly (figures in docs/support-scalepoint.md)', async () => {
    const n = 5000;
    const tag = `Skala${randomBytes(2).toString('hex')}`;
    await t.db.execute(sql`
      insert into companies (name, cvr)
      select ${tag} || ' ' || (array['VVS','Byg','El','Tag','Maler'])[1 + g % 5] || ' ' || lpad(g::text, 5, '0') || ' ApS', (50000000 + g)::text
      from generate_series(1, ${n}) g`);
    const ids = await t.db
      .select({ id: companies.id })
      .from(companies)
      .where(sql`${companies.name} like ${tag + ' %'}`);
    expect(ids).toHaveLength(n);
    // A third turned the module on; every seventh asked by mail; every fifth has credentials.
    await t.db.execute(
      sql`insert into scalepoint_settings (company_id, enabled) select id, ((cvr::int - 50000000) % 3 = 0) from companies where name like ${tag + ' %'}`,
    );
    await t.db.execute(sql`
      insert into scalepoint_mails (company_id, to_address, subject, body, status, idempotency_key)
      select id, 'x@scalepoint.test', 's', 'b', 'sent', gen_random_uuid()::text from companies where name like ${tag + ' %'} and (cvr::int - 50000000) % 7 = 0`);
    await t.db.execute(sql`
      insert into scalepoint_credentials (company_id, account_id, secret_enc, secret_last4)
      select id, 'acct-' || cvr, 'x', 'abcd' from companies where name like ${tag + ' %'} and (cvr::int - 50000000) % 5 = 0`);
    await t.db.execute(sql`analyze`);

    const timed = async (v: Partial<SupportListView>) => {
      await listCompaniesForSupport(t.db, support, view(v)); // warm
      const start = performance.now();
      const r = await listCompaniesForSupport(t.db, support, view(v));
      return { ms: performance.now() - start, r };
    };
    const first = await timed({});
    const deep = await timed({ page: 150 });
    const search = await timed({ q: `${tag} el 0` });
    const cvr = await timed({ q: '50004321' });
    const awaiting = await timed({ filter: 'awaiting' });
    const awaitingSearch = await timed({ q: tag, filter: 'awaiting', page: 20 });

    expect(first.r.rows).toHaveLength(25);
    expect(first.r.total).toBeGreaterThanOrEqual(n);
    expect(deep.r.rows).toHaveLength(25);
    expect(cvr.r.rows.map((r) => r.cvr)).toEqual(['50004321']);
    expect(search.r.total).toBe(n / 5 - 0); // every fifth is an "El" company, all numbered 0xxxx
    // module on (every 3rd) or mail sent (every 7th), and no credentials (not every 5th)
    let expected = 0;
    for (let g = 1; g <= n; g++) if ((g % 3 === 0 || g % 7 === 0) && g % 5 !== 0) expected++;
    expect(awaitingSearch.r.total).toBe(expected);
    expect(awaitingSearch.r.rows.every((r) => r.status !== 'active' && !r.accountId)).toBe(true);

    const figures = {
      first: first.ms,
      deep: deep.ms,
      search: search.ms,
      cvr: cvr.ms,
      awaiting: awaiting.ms,
      awaitingSearch: awaitingSearch.ms,
    };
    process.stdout.write(
      `support list, ${n} companies (ms): ${JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 10) / 10])))}\n`,
    );
    // Generous bound for a shared 2-core machine: the point is "no per-row work", not a benchmark.
    for (const ms of Object.values(figures)) expect(ms).toBeLessThan(500);
  });
});
