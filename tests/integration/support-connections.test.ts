import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
  type MockInstance,
} from 'vitest';
import { toConnectionCard } from '@/components/support/connection-card';
import { ConnectionForm } from '@/components/support/connection-form';
import { CredentialsForm } from '@/components/support/credentials-form';
import { auditLog, scalepointConnections } from '@/db/schema';
import { loadActor, NotFoundError, type Actor } from '@/lib/auth/actor';
import { decryptSecret, encryptSecret } from '@/lib/crypto';
import { generateConnectionKeys } from '@/lib/scalepoint/events/certificate';
import { resetEnvCache } from '@/lib/env';
import {
  connectionCertificate,
  deleteConnection,
  renewCertificate,
  revokePreviousCertificate,
  saveConnection,
  testConnection,
} from '@/lib/scalepoint/support/connections';
import { revokePreviousSecret, storeCredentials } from '@/lib/scalepoint/support/credentials';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { getScalepointOverview } from '@/lib/scalepoint/admin/overview';
import { generateSigningSecret } from '@/lib/scalepoint/intake/signature';
import { getSupportCompanyView } from '@/lib/scalepoint/support/company-view';
import {
  listCompaniesForSupport,
  parseSupportListParams,
} from '@/lib/scalepoint/support/company-list';
import { rowsOf } from '@/db/client';
import { inCompany } from '@/lib/tenancy';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';
import { setupScalepointStandIn } from '../support/scalepoint-stand-in';

const scalepoint = setupScalepointStandIn({ holdMs: 2_000 });
let t: TestDatabase;
let support: Actor;

// Every log line and console write of the suite, to prove no private key is ever written.
const captured: string[] = [];
const spies: MockInstance[] = [];

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', '');
  resetEnvCache();
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    spies.push(
      vi
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void captured.push(args.map(String).join(' '))),
    );
  }
  t = await createTestDatabase();
  support = (await loadActor(t.db, (await makeSupport(t.db)).id))!;
});
afterAll(async () => {
  for (const s of spies) s.mockRestore();
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

async function tenant() {
  const c = await makeCompany(t.db, `Forb ${randomBytes(3).toString('hex')}`);
  return {
    ...c,
    adminActor: (await loadActor(t.db, c.admin.id))!,
    memberActor: (await loadActor(t.db, c.member.id))!,
  };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

async function connectionRow(id: string) {
  const [row] = await t.db
    .select()
    .from(scalepointConnections)
    .where(eq(scalepointConnections.id, id));
  return row ?? null;
}

async function auditOf(companyId: string, action: string) {
  return t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.companyId, companyId), eq(auditLog.action, action)))
    .orderBy(asc(auditLog.createdAt));
}

async function create(
  c: Tenant,
  fields: Partial<{ clientId: string; tenant: string; environment: string }> = {},
  now?: Date,
) {
  const r = await saveConnection(
    t.db,
    support,
    {
      companyId: c.company.id,
      clientId: `kladde-${randomUUID()}`,
      tenant: 'tryg',
      environment: 'sandbox',
      ...fields,
    },
    now,
  );
  expect(r).toMatchObject({ ok: true });
  const [row] = await t.db
    .select()
    .from(scalepointConnections)
    .where(
      and(
        eq(scalepointConnections.companyId, c.company.id),
        eq(scalepointConnections.tenant, fields.tenant ?? 'tryg'),
        eq(scalepointConnections.environment, (fields.environment ?? 'sandbox') as 'sandbox'),
      ),
    );
  return row!;
}

/** Every private key the suite has made, as PEM and as its base64 body lines. */
const privateKeys: string[] = [];
function remember(row: { privateKeyEnc: string; previousPrivateKeyEnc: string | null }) {
  for (const enc of [row.privateKeyEnc, row.previousPrivateKeyEnc])
    if (enc) privateKeys.push(decryptSecret(enc));
}
function expectNoPrivateKey(text: string) {
  expect(text).not.toContain('PRIVATE KEY');
  for (const pem of privateKeys) {
    for (const line of pem.split('\n').filter((l) => l.length > 40))
      expect(text).not.toContain(line);
  }
}

afterEach(() => {
  expectNoPrivateKey(captured.join('\n'));
});

describe('saveConnection', () => {
  it('makes a key pair and certificate on first save, stores the key encrypted, audits with the company id', async () => {
    const c = await tenant();
    const clientId = `kladde-${randomUUID()}`;
    const row = await create(c, { clientId });
    remember(row);
    expect(row).toMatchObject({
      clientId,
      tenant: 'tryg',
      environment: 'sandbox',
      version: 1,
      createdBy: support.userId,
      previousCertificatePem: null,
    });
    expect(row.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(row.privateKeyEnc).not.toContain('PRIVATE KEY');
    expect(decryptSecret(row.privateKeyEnc)).toMatch(/-----BEGIN PRIVATE KEY-----/);
    // The stored key belongs to the stored certificate.
    const cert = new X509Certificate(row.certificatePem);
    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    expect(
      createPublicKey(createPrivateKey(decryptSecret(row.privateKeyEnc))).export({
        type: 'spki',
        format: 'pem',
      }),
    ).toBe(cert.publicKey.export({ type: 'spki', format: 'pem' }));

    const audit = await auditOf(c.company.id, 'scalepoint.connection_created');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorRole: 'support',
      actorUserId: support.userId,
      details: { connectionId: row.id, clientId, tenant: 'tryg', environment: 'sandbox' },
    });
    expectNoPrivateKey(JSON.stringify(audit));
    // The check itself can fail.
    expect(() => expectNoPrivateKey(`x ${privateKeys.at(-1)!.split('\n')[1]} y`)).toThrow();
  });

  it('validates Klient-id, Tenant and Miljø with Danish field errors, saving nothing', async () => {
    const c = await tenant();
    const save = (fields: Record<string, unknown>) =>
      saveConnection(t.db, support, {
        companyId: c.company.id,
        clientId: 'k1',
        tenant: 'tryg',
        environment: 'sandbox',
        ...fields,
      });
    expect((await save({ tenant: 'Tryg' })).fieldErrors?.tenant).toContain('små bogstaver');
    expect((await save({ tenant: 'tryg forsikring' })).fieldErrors?.tenant).toBeTruthy();
    expect((await save({ tenant: '../x' })).fieldErrors?.tenant).toBeTruthy();
    expect((await save({ tenant: 'a'.repeat(64) })).fieldErrors?.tenant).toBeTruthy();
    expect((await save({ clientId: '  ' })).fieldErrors?.clientId).toBeTruthy();
    expect((await save({ clientId: 'a b' })).fieldErrors?.clientId).toBeTruthy();
    expect((await save({ environment: 'test' })).fieldErrors?.environment).toBe(
      'Vælg Sandbox eller Produktion.',
    );
    expect((await save({ id: 'x' })).ok).toBe(false);
    expect(await saveConnection(t.db, support, null)).toMatchObject({ ok: false });
    expect(
      await t.db
        .select()
        .from(scalepointConnections)
        .where(eq(scalepointConnections.companyId, c.company.id)),
    ).toEqual([]);
  });

  it('keeps one connection per tenant and environment; several per company', async () => {
    const c = await tenant();
    const first = await create(c, { tenant: 'tryg' });
    remember(first);
    const dup = await saveConnection(t.db, support, {
      companyId: c.company.id,
      clientId: 'other',
      tenant: 'tryg',
      environment: 'sandbox',
    });
    expect(dup.ok).toBe(false);
    expect(dup.fieldErrors?.tenant).toContain('allerede');
    remember(await create(c, { tenant: 'tryg', environment: 'production' }));
    const topdanmark = await create(c, { tenant: 'topdanmark' });
    remember(topdanmark);
    expect(
      await t.db
        .select()
        .from(scalepointConnections)
        .where(eq(scalepointConnections.companyId, c.company.id)),
    ).toHaveLength(3);

    // Changing one into another's tenant + environment clashes too, and changes nothing.
    const clash = await saveConnection(t.db, support, {
      companyId: c.company.id,
      id: topdanmark.id,
      clientId: topdanmark.clientId,
      tenant: 'tryg',
      environment: 'sandbox',
    });
    expect(clash.fieldErrors?.tenant).toContain('allerede');
    expect((await connectionRow(topdanmark.id))?.tenant).toBe('topdanmark');
  });

  it('changes a connection: keeps its keys, bumps version and changed_at, audits the changes', async () => {
    const c = await tenant();
    const row = await create(c);
    remember(row);
    const later = new Date(Date.now() + 60_000);
    const r = await saveConnection(
      t.db,
      support,
      {
        companyId: c.company.id,
        id: row.id,
        clientId: 'ny-klient',
        tenant: 'tryg',
        environment: 'production',
      },
      later,
    );
    expect(r).toMatchObject({ ok: true });
    const after = (await connectionRow(row.id))!;
    expect(after).toMatchObject({
      clientId: 'ny-klient',
      environment: 'production',
      version: 2,
      certificatePem: row.certificatePem,
      privateKeyEnc: row.privateKeyEnc,
      updatedBy: support.userId,
    });
    expect(after.changedAt.getTime()).toBe(later.getTime());
    const audit = await auditOf(c.company.id, 'scalepoint.connection_changed');
    expect(audit[0]?.details).toEqual({
      connectionId: row.id,
      changes: {
        clientId: { from: row.clientId, to: 'ny-klient' },
        environment: { from: 'sandbox', to: 'production' },
      },
    });
    // Saving the same again changes nothing and audits nothing.
    expect(
      await saveConnection(t.db, support, {
        companyId: c.company.id,
        id: row.id,
        clientId: 'ny-klient',
        tenant: 'tryg',
        environment: 'production',
      }),
    ).toMatchObject({ ok: true });
    expect((await connectionRow(row.id))?.version).toBe(2);
    expect(await auditOf(c.company.id, 'scalepoint.connection_changed')).toHaveLength(1);
  });
});

describe('one client id, one connection (docs/events-api.md, "One client id, one connection")', () => {
  const TAKEN =
    'Dette klient-id med denne tenant og dette miljø bruges allerede af en anden forbindelse.';

  /** The answer names no other company: not its name, CVR or id. */
  function expectNoCompany(answer: unknown, c: Tenant) {
    const text = JSON.stringify(answer);
    for (const x of [c.company.name, c.company.cvr, c.company.id]) expect(text).not.toContain(x);
  }

  async function connectionsOf(c: Tenant) {
    return t.db
      .select()
      .from(scalepointConnections)
      .where(eq(scalepointConnections.companyId, c.company.id));
  }

  it('refuses a second company the client id with the same tenant and environment, at Klient-id, naming no company', async () => {
    const a = await tenant();
    const b = await tenant();
    const clientId = `kladde-${randomUUID()}`;
    const first = await create(a, { clientId, tenant: 'tryg', environment: 'production' });
    remember(first);
    for (const asTyped of [clientId, clientId.toUpperCase()]) {
      const r = await saveConnection(t.db, support, {
        companyId: b.company.id,
        clientId: asTyped,
        tenant: 'tryg',
        environment: 'production',
      });
      expect(r).toEqual({
        ok: false,
        message: 'Intet er ændret.',
        fieldErrors: { clientId: TAKEN },
      });
      expectNoCompany(r, a);
    }
    expect(await connectionsOf(b)).toEqual([]);
    expect(await auditOf(b.company.id, 'scalepoint.connection_created')).toEqual([]);
    expect(await connectionRow(first.id)).toEqual(first);
  });

  it('refuses changing a connection into a client id another connection holds, and changes nothing', async () => {
    const a = await tenant();
    const b = await tenant();
    const held = await create(a, { tenant: 'codan' });
    remember(held);
    const mine = await create(b, { tenant: 'codan', environment: 'production' });
    remember(mine);
    // Into a's client id (another case) and environment: refused.
    const r = await saveConnection(t.db, support, {
      companyId: b.company.id,
      id: mine.id,
      clientId: held.clientId.toUpperCase(),
      tenant: 'codan',
      environment: 'sandbox',
    });
    expect(r).toEqual({ ok: false, message: 'Intet er ændret.', fieldErrors: { clientId: TAKEN } });
    expectNoCompany(r, a);
    expect(await connectionRow(mine.id)).toEqual(mine);
    expect(await auditOf(b.company.id, 'scalepoint.connection_changed')).toEqual([]);
    // Its own client id in another case is a change of itself, not a clash.
    expect(
      await saveConnection(t.db, support, {
        companyId: b.company.id,
        id: mine.id,
        clientId: mine.clientId.toUpperCase(),
        tenant: 'codan',
        environment: 'production',
      }),
    ).toMatchObject({ ok: true });
  });

  it('the company’s own connection with the same client id, tenant and environment answers at Tenant', async () => {
    const a = await tenant();
    const first = await create(a, { tenant: 'tryg' });
    remember(first);
    const r = await saveConnection(t.db, support, {
      companyId: a.company.id,
      clientId: first.clientId,
      tenant: 'tryg',
      environment: 'sandbox',
    });
    expect(r).toEqual({
      ok: false,
      message: 'Intet er ændret.',
      fieldErrors: {
        tenant: 'Virksomheden har allerede en forbindelse til denne tenant i dette miljø.',
      },
    });
    expect(await connectionsOf(a)).toHaveLength(1);
  });

  it('allows the same client id with another tenant or another environment, in another company or the same', async () => {
    const a = await tenant();
    const b = await tenant();
    const clientId = `kladde-${randomUUID()}`;
    remember(await create(a, { clientId, tenant: 'tryg', environment: 'sandbox' }));
    remember(await create(b, { clientId, tenant: 'topdanmark', environment: 'sandbox' }));
    remember(await create(b, { clientId, tenant: 'tryg', environment: 'production' }));
    remember(await create(a, { clientId, tenant: 'codan', environment: 'production' }));
    expect(await connectionsOf(a)).toHaveLength(2);
    expect(await connectionsOf(b)).toHaveLength(2);
  });

  it('two saves of the same client id, tenant and environment at once: one is saved, the other refused at Klient-id', async () => {
    const a = await tenant();
    const b = await tenant();
    const clientId = `kladde-${randomUUID()}`;
    const save = (c: Tenant) =>
      saveConnection(t.db, support, {
        companyId: c.company.id,
        clientId,
        tenant: 'tryg',
        environment: 'sandbox',
      });
    const answers = await Promise.all([save(a), save(b)]);
    expect(answers.filter((r) => r.ok)).toHaveLength(1);
    const refusedAnswer = answers.find((r) => !r.ok);
    expect(refusedAnswer).toEqual({
      ok: false,
      message: 'Intet er ændret.',
      fieldErrors: { clientId: TAKEN },
    });
    const rows = await t.db
      .select()
      .from(scalepointConnections)
      .where(eq(scalepointConnections.clientId, clientId));
    expect(rows).toHaveLength(1);
    remember(rows[0]!);
    expectNoCompany(refusedAnswer, rows[0]!.companyId === a.company.id ? a : b);
  });

  it('a save whose check saw nothing but loses on the index (new or changed) gets the field error, not a 500', async (ctx) => {
    if (!t.url) ctx.skip(); // PGlite has one session: a second transaction cannot hold the row open.
    const a = await tenant();
    const b = await tenant();
    const mine = await create(b, { tenant: 'alm-brand' });
    remember(mine);
    const clientId = `kladde-${randomUUID()}`;
    const keys = await generateConnectionKeys(clientId);
    const waitingOnALock = async () => {
      for (let i = 0; i < 500; i++) {
        const [r] = rowsOf<{ n: number }>(
          await t.db.execute(
            sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          ),
        );
        if (r!.n > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the save never waited on the held row');
    };
    for (const attempt of [
      // A new connection, and a change of b's own one, into the triple a holds uncommitted.
      () =>
        saveConnection(t.db, support, {
          companyId: b.company.id,
          clientId,
          tenant: 'tryg',
          environment: 'sandbox',
        }),
      () =>
        saveConnection(t.db, support, {
          companyId: b.company.id,
          id: mine.id,
          clientId,
          tenant: 'tryg',
          environment: 'sandbox',
        }),
    ]) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const tenantOfA = `held-${randomBytes(3).toString('hex')}`;
      // a's connection, inserted and not yet committed: the save's check cannot see it.
      const blocker = t.db.transaction(async (tx) => {
        await tx.insert(scalepointConnections).values({
          companyId: a.company.id,
          clientId,
          tenant: 'tryg',
          environment: 'sandbox',
          certificatePem: keys.certificatePem,
          privateKeyEnc: encryptSecret(keys.privateKeyPem),
        });
        holding();
        await released;
      });
      await held;
      const answer = attempt();
      try {
        await waitingOnALock();
      } finally {
        // Never left open, whatever happened: the next tests count open transactions.
        release();
        await blocker;
      }
      expect(await answer).toEqual({
        ok: false,
        message: 'Intet er ændret.',
        fieldErrors: { clientId: TAKEN },
      });
      // a's row moved aside, so the next attempt can hold the triple again.
      await t.db
        .update(scalepointConnections)
        .set({ tenant: tenantOfA })
        .where(
          and(
            eq(scalepointConnections.companyId, a.company.id),
            eq(scalepointConnections.clientId, clientId),
            eq(scalepointConnections.tenant, 'tryg'),
          ),
        );
    }
    expect(await connectionRow(mine.id)).toEqual(mine);
    expect(await connectionsOf(b)).toHaveLength(1);
  });
});

describe('certificates', () => {
  it('Hent certifikat gives the current certificate (PEM) and nothing else', async () => {
    const c = await tenant();
    const row = await create(c, { tenant: 'alm-brand' });
    remember(row);
    const cert = await connectionCertificate(t.db, support, {
      companyId: c.company.id,
      id: row.id,
    });
    expect(cert.pem).toBe(row.certificatePem);
    expect(cert.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(cert.filename).toBe('kladde-scalepoint-alm-brand-sandbox.pem');
    expectNoPrivateKey(JSON.stringify(cert));
  });

  it('Nyt certifikat moves the current pair to previous for 24 hours; a second one within them is refused until revoked', async () => {
    const c = await tenant();
    const row = await create(c);
    remember(row);
    const T = new Date(Date.now() + 3_600_000);
    const r = await renewCertificate(t.db, support, { companyId: c.company.id, id: row.id }, T);
    expect(r).toMatchObject({ ok: true });
    const after = (await connectionRow(row.id))!;
    remember(after);
    expect(after.previousCertificatePem).toBe(row.certificatePem);
    expect(after.previousPrivateKeyEnc).toBe(row.privateKeyEnc);
    expect(after.previousValidUntil?.getTime()).toBe(T.getTime() + 24 * 3_600_000);
    expect(after.certificatePem).not.toBe(row.certificatePem);
    expect(after.version).toBe(2);
    expect(
      (await connectionCertificate(t.db, support, { companyId: c.company.id, id: row.id })).pem,
    ).toBe(after.certificatePem);

    const again = await renewCertificate(
      t.db,
      support,
      { companyId: c.company.id, id: row.id },
      new Date(T.getTime() + 3_600_000),
    );
    expect(again.ok).toBe(false);
    expect(again.message).toContain('Tilbagekald forrige certifikat');
    expect((await connectionRow(row.id))?.certificatePem).toBe(after.certificatePem);

    expect(
      await revokePreviousCertificate(
        t.db,
        support,
        { companyId: c.company.id, id: row.id },
        new Date(T.getTime() + 3_600_000),
      ),
    ).toMatchObject({ ok: true });
    expect(await connectionRow(row.id)).toMatchObject({
      previousCertificatePem: null,
      previousPrivateKeyEnc: null,
      previousValidUntil: null,
      version: 3,
    });
    const third = await renewCertificate(
      t.db,
      support,
      { companyId: c.company.id, id: row.id },
      new Date(T.getTime() + 7_200_000),
    );
    expect(third).toMatchObject({ ok: true });
    remember((await connectionRow(row.id))!);
    expect(await auditOf(c.company.id, 'scalepoint.certificate_renewed')).toHaveLength(2);
    expect(await auditOf(c.company.id, 'scalepoint.previous_certificate_revoked')).toHaveLength(1);
    // After the grace, renewing is allowed without revoking.
    expect(
      await renewCertificate(
        t.db,
        support,
        { companyId: c.company.id, id: row.id },
        new Date(T.getTime() + 40 * 3_600_000),
      ),
    ).toMatchObject({ ok: true });
    remember((await connectionRow(row.id))!);
  });

  it('Slet forbindelse removes it (keys included) and audits', async () => {
    const c = await tenant();
    const row = await create(c);
    remember(row);
    expect(
      await deleteConnection(t.db, support, { companyId: c.company.id, id: row.id }),
    ).toMatchObject({ ok: true });
    expect(await connectionRow(row.id)).toBeNull();
    expect(await auditOf(c.company.id, 'scalepoint.connection_deleted')).toHaveLength(1);
    await expect(
      connectionCertificate(t.db, support, { companyId: c.company.id, id: row.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('who may', () => {
  it('a member, an admin and a user of another company get NotFoundError on every support action, changing nothing', async () => {
    const c = await tenant();
    const other = await tenant();
    const row = await create(c);
    remember(row);
    const ref = { companyId: c.company.id, id: row.id };
    const ops = [
      () =>
        saveConnection(t.db, actor, {
          companyId: c.company.id,
          clientId: 'x',
          tenant: 'codan',
          environment: 'sandbox',
        }),
      () =>
        saveConnection(t.db, actor, {
          ...ref,
          clientId: 'x',
          tenant: 'tryg',
          environment: 'production',
        }),
      () => deleteConnection(t.db, actor, ref),
      () => renewCertificate(t.db, actor, ref),
      () => revokePreviousCertificate(t.db, actor, ref),
      () => testConnection(t.db, actor, ref),
      () => connectionCertificate(t.db, actor, { companyId: c.company.id, id: row.id }),
      () => revokePreviousSecret(t.db, actor, { companyId: c.company.id }),
      () =>
        storeCredentials(t.db, actor, {
          companyId: c.company.id,
          accountId: 'a1',
          secret: generateSigningSecret(),
        }),
      () => getSupportCompanyView(t.db, actor, { companyId: c.company.id }),
      () => listCompaniesForSupport(t.db, actor, parseSupportListParams({})),
    ];
    let actor: Actor | null = null;
    for (actor of [
      c.memberActor,
      c.adminActor,
      other.adminActor,
      other.memberActor,
      null,
      { ...support, companyId: c.company.id },
    ]) {
      for (const op of ops) await expect(op()).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await connectionRow(row.id)).toEqual(row);
    expect(
      await t.db
        .select()
        .from(scalepointConnections)
        .where(eq(scalepointConnections.companyId, c.company.id)),
    ).toHaveLength(1);
    // The refusals were logged (and the log capture works).
    expect(
      captured.some((l) => l.includes('action_refused') && l.includes('support.renewCertificate')),
    ).toBe(true);
  });

  it('support gets NotFoundError for another company’s connection, an unknown company or a malformed id', async () => {
    const c = await tenant();
    const other = await tenant();
    const row = await create(c);
    remember(row);
    const wrong = { companyId: other.company.id, id: row.id };
    await expect(deleteConnection(t.db, support, wrong)).rejects.toBeInstanceOf(NotFoundError);
    await expect(renewCertificate(t.db, support, wrong)).rejects.toBeInstanceOf(NotFoundError);
    await expect(testConnection(t.db, support, wrong)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      saveConnection(t.db, support, {
        ...wrong,
        clientId: 'x',
        tenant: 'tryg',
        environment: 'sandbox',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      connectionCertificate(t.db, support, { companyId: other.company.id, id: row.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      connectionCertificate(t.db, support, { companyId: c.company.id, id: 'nope' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      connectionCertificate(t.db, support, { companyId: 'nope', id: row.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      saveConnection(t.db, support, {
        companyId: randomUUID(),
        clientId: 'x',
        tenant: 'tryg',
        environment: 'sandbox',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await connectionRow(row.id)).toEqual(row);
  });
});

describe('status and pages', () => {
  it('a company with a connection counts as Aktiv when its module is on', async () => {
    const c = await tenant();
    const row = await create(c);
    remember(row);
    const status = async () =>
      (
        await listCompaniesForSupport(t.db, support, {
          ...parseSupportListParams({}),
          q: c.company.cvr,
        })
      ).rows[0]?.status;
    expect(await status()).toBe('disabled');
    expect(
      (
        await saveScalepointSettings(t.db, c.adminActor, {
          enabled: true,
          orderTypeId: c.types[0].id,
          customerMode: 'policyholder',
          phoneAsCustomerNumber: false,
        })
      ).ok,
    ).toBe(true);
    expect(await status()).toBe('active');
    expect((await getScalepointOverview(t.db, c.adminActor)).status).toBe('active');
    expect((await getSupportCompanyView(t.db, support, { companyId: c.company.id }))?.status).toBe(
      'active',
    );
    await deleteConnection(t.db, support, { companyId: c.company.id, id: row.id });
    expect(await status()).toBe('awaiting_access');
    expect((await getScalepointOverview(t.db, c.adminActor)).status).toBe('awaiting_access');
  });

  it('the company view and its rendered forms carry no private key', async () => {
    const c = await tenant();
    const row = await create(c);
    await renewCertificate(t.db, support, { companyId: c.company.id, id: row.id });
    const current = (await connectionRow(row.id))!;
    remember(current);
    const view = (await getSupportCompanyView(t.db, support, { companyId: c.company.id }))!;
    expect(view.connections).toHaveLength(1);
    expect(view.connections[0]).toMatchObject({
      id: row.id,
      tenant: 'tryg',
      fingerprint: new X509Certificate(current.certificatePem).fingerprint,
    });
    expect(view.connections[0]?.previousValidUntil).toBeInstanceOf(Date);
    expectNoPrivateKey(JSON.stringify(view));
    expect(JSON.stringify(view)).not.toContain(current.privateKeyEnc);

    const action = async () => ({ ok: true as const });
    const html = renderToString(
      createElement(
        'main',
        null,
        createElement(CredentialsForm, {
          companyId: c.company.id,
          companyName: c.company.name,
          accountId: '',
          hasSecret: false,
          action,
        }),
        ...view.connections.map((x) =>
          createElement(ConnectionForm, {
            key: x.id,
            companyId: c.company.id,
            connection: toConnectionCard(c.company.id, x),
            action,
          }),
        ),
        createElement(ConnectionForm, { companyId: c.company.id, action }),
      ),
    );
    expect(html).toContain('Hent certifikat');
    expect(html).toContain(`/support/scalepoint/${c.company.id}/connections/${row.id}/certificate`);
    expect(html).toContain('Tilbagekald forrige certifikat');
    for (const label of [
      'Klient-id',
      'Tenant',
      'Miljø',
      'Gem forbindelse',
      'Slet forbindelse',
      'Nyt certifikat',
      'Test forbindelse',
      'Scalepoint konto-id',
      'Signeringsnøgle',
      'Gem adgang',
    ])
      expect(html).toContain(label);
    expectNoPrivateKey(html);
    expect(html).not.toContain(current.privateKeyEnc);
  });
});

describe('Test forbindelse against the local Scalepoint', () => {
  const INVALID_CLIENT =
    'Scalepoint kender ikke certifikatet (invalid_client). Send certifikatet til Scalepoint og prøv igen.';

  it('works once the downloaded certificate is registered; a wrong certificate gets the Danish invalid_client reason', async () => {
    const c = await tenant();
    const clientId = `kladde-${randomUUID()}`;
    const row = await create(c, { clientId, tenant: 'tryg' });
    remember(row);
    const ref = { companyId: c.company.id, id: row.id };

    // Not registered yet: Scalepoint does not know the certificate.
    expect(await testConnection(t.db, support, ref)).toEqual({
      ok: false,
      message: INVALID_CLIENT,
    });

    // A certificate of another connection registered for this client id is still the wrong one
    // (that connection in the other environment: the same triple is one connection only).
    const other = await create(await tenant(), {
      clientId,
      tenant: 'tryg',
      environment: 'production',
    });
    remember(other);
    scalepoint.standIn.registerCertificate(
      clientId,
      'tryg',
      (await connectionCertificate(t.db, support, { companyId: other.companyId, id: other.id }))
        .pem,
    );
    expect(await testConnection(t.db, support, ref)).toEqual({
      ok: false,
      message: INVALID_CLIENT,
    });

    // Support downloads the certificate and Scalepoint registers it.
    const { pem } = await connectionCertificate(t.db, support, {
      companyId: c.company.id,
      id: row.id,
    });
    scalepoint.standIn.registerCertificate(clientId, 'tryg', pem);
    const ok = await testConnection(t.db, support, ref);
    expect(ok.ok).toBe(true);
    expect(ok.message).toContain('Forbundet');

    const audit = await auditOf(c.company.id, 'scalepoint.connection_tested');
    expect(audit.map((a) => a.details)).toEqual([
      { connectionId: row.id, ok: false, reason: 'unknown_certificate' },
      { connectionId: row.id, ok: false, reason: 'unknown_certificate' },
      { connectionId: row.id, ok: true },
    ]);
  });

  it('holds no transaction open while it waits for Scalepoint', async () => {
    if (!t.url) return; // PGlite has one session and no pg_stat_activity of others.
    const c = await tenant();
    const clientId = `kladde-${randomUUID()}`;
    const row = await create(c, { clientId, tenant: 'tryg' });
    remember(row);
    const { pem } = await connectionCertificate(t.db, support, {
      companyId: c.company.id,
      id: row.id,
    });
    scalepoint.standIn.registerCertificate(clientId, 'tryg', pem);
    let waiting = 0;
    let done = false;
    const testing = testConnection(t.db, support, { companyId: c.company.id, id: row.id }).finally(
      () => (done = true),
    );
    while (!done) {
      const [r] = rowsOf<{ n: number }>(
        await t.db.execute(
          // A step's own short transaction is idle between its statements for a moment; a
          // transaction held across the call to Scalepoint stays open for its whole length.
          sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and now() - xact_start > interval '600 milliseconds'`,
        ),
      );
      waiting = Math.max(waiting, r!.n);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await testing).ok).toBe(true);
    expect(waiting).toBe(0);
  });

  it('after Nyt certifikat the old pair still works for 24 hours; revoked, the unregistered new one is refused', async () => {
    const c = await tenant();
    const clientId = `kladde-${randomUUID()}`;
    const row = await create(c, { clientId, tenant: 'codan' });
    remember(row);
    const ref = { companyId: c.company.id, id: row.id };
    scalepoint.standIn.registerCertificate(
      clientId,
      'codan',
      (await connectionCertificate(t.db, support, { companyId: c.company.id, id: row.id })).pem,
    );
    expect((await testConnection(t.db, support, ref)).ok).toBe(true);

    expect((await renewCertificate(t.db, support, ref)).ok).toBe(true);
    remember((await connectionRow(row.id))!);
    expect((await testConnection(t.db, support, ref)).ok).toBe(true);

    expect((await revokePreviousCertificate(t.db, support, ref)).ok).toBe(true);
    expect(await testConnection(t.db, support, ref)).toEqual({
      ok: false,
      message: INVALID_CLIENT,
    });

    scalepoint.standIn.registerCertificate(
      clientId,
      'codan',
      (await connectionCertificate(t.db, support, { companyId: c.company.id, id: row.id })).pem,
    );
    expect((await testConnection(t.db, support, ref)).ok).toBe(true);
  });
});

describe('Test forbindelse with an unreadable key', () => {
  it('answers in Danish instead of failing when CREDENTIALS_KEY no longer opens the stored key', async () => {
    const c = await tenant();
    const row = await create(c);
    remember(row);
    // An envelope sealed under a key this keyring does not have.
    await t.db
      .update(scalepointConnections)
      .set({ privateKeyEnc: row.privateKeyEnc.replace(/^v1:[^:]+:/, 'v1:retired-key:') })
      .where(eq(scalepointConnections.id, row.id));
    const r = await testConnection(t.db, support, { companyId: c.company.id, id: row.id });
    expect(r).toEqual({
      ok: false,
      message:
        'Forbindelsens private nøgle kan ikke læses med den nuværende krypteringsnøgle. Lav et nyt certifikat.',
    });
    expect((await auditOf(c.company.id, 'scalepoint.connection_tested'))[0]?.details).toEqual({
      connectionId: row.id,
      ok: false,
      reason: 'key_unreadable',
    });
    expect(captured.some((l) => l.includes('scalepoint_connection_key_unreadable'))).toBe(true);
  });
});

describe('row-level security', () => {
  it('a company transaction sees only its own connections, and never a private key column', async () => {
    const a = await tenant();
    const b = await tenant();
    const ra = await create(a);
    const rb = await create(b);
    remember(ra);
    remember(rb);
    const seen = await inCompany(t.db, a.company.id, async (tx) =>
      rowsOf<{ id: string }>(
        await tx.execute(sql`select id, tenant, last_success_at from scalepoint_connections`),
      ),
    );
    expect(seen.map((r) => r.id)).toEqual([ra.id]);
    // Nor which instance polls it: the background room's leases are the system door's alone.
    await expect(
      inCompany(t.db, a.company.id, (tx) => tx.execute(sql`select owner from background_leases`)),
    ).rejects.toThrow();
    for (const column of ['private_key_enc', 'previous_private_key_enc', 'alerted_at']) {
      await expect(
        inCompany(t.db, a.company.id, (tx) =>
          tx.execute(sql.raw(`select ${column} from scalepoint_connections`)),
        ),
      ).rejects.toThrow();
    }
    await expect(
      inCompany(t.db, a.company.id, (tx) =>
        tx.execute(sql`update scalepoint_connections set tenant = 'x' where id = ${rb.id}`),
      ),
    ).rejects.toThrow();
    expect((await connectionRow(rb.id))?.tenant).toBe('tryg');
  });
});
