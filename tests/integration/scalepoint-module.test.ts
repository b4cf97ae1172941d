import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  auditLog,
  scalepointCredentials,
  scalepointMails,
  scalepointSettings,
  users,
} from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { readAudit } from '@/lib/audit-actions';
import { loadActor, NotFoundError, type Actor } from '@/lib/auth/actor';
import { decryptSecret } from '@/lib/crypto';
import { pgErrorCode } from '@/lib/db-errors';
import type { MailOutcome, Mailer, OutgoingMail } from '@/lib/email';
import { env, resetEnvCache } from '@/lib/env';
import {
  composeAccessMail,
  previewAccessMail,
  sendAccessMail,
} from '@/lib/scalepoint/admin/access-mail';
import { storeCredentials } from '@/lib/scalepoint/support/credentials';
import { lookupIntakeAccount } from '@/lib/scalepoint/intake/account';
import { listCompaniesForSupport } from '@/lib/scalepoint/support/company-list';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { getScalepointOverview } from '@/lib/scalepoint/admin/overview';
import { generateSigningSecret, parseSigningSecret } from '@/lib/scalepoint/intake/signature';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeCompany, makeSupport } from '../support/factories';

let t: TestDatabase;
let support: Actor;

const SCALEPOINT_TO = 'sager-test@scalepoint.example';
const APP_URL = 'https://kladde.example.dk/';

beforeAll(async () => {
  vi.stubEnv('KLADDE_LOG', 'silent');
  vi.stubEnv('SCALEPOINT_EMAIL', SCALEPOINT_TO);
  vi.stubEnv('APP_URL', APP_URL);
  resetEnvCache();
  t = await createTestDatabase({ max: 20 });
  support = await actorOf((await makeSupport(t.db)).id);
});
afterAll(async () => {
  await t?.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

// ---------------------------------------------------------------------------------------------
// helpers

async function actorOf(userId: string): Promise<Actor> {
  const actor = await loadActor(t.db, userId);
  if (!actor) throw new Error(`no actor ${userId}`);
  return actor;
}

async function tenant(name?: string) {
  const c = await makeCompany(t.db, name ?? `Firma ${randomBytes(3).toString('hex')}`);
  return { ...c, adminActor: await actorOf(c.admin.id), memberActor: await actorOf(c.member.id) };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

async function settingsRow(companyId: string) {
  const rows = await t.db
    .select()
    .from(scalepointSettings)
    .where(eq(scalepointSettings.companyId, companyId));
  return rows[0] ?? null;
}

async function auditRows(companyId: string, action?: string) {
  return t.db
    .select()
    .from(auditLog)
    .where(
      action
        ? and(eq(auditLog.companyId, companyId), eq(auditLog.action, action))
        : eq(auditLog.companyId, companyId),
    )
    .orderBy(asc(auditLog.createdAt));
}

async function credentialsRow(companyId: string) {
  const rows = await t.db
    .select()
    .from(scalepointCredentials)
    .where(eq(scalepointCredentials.companyId, companyId));
  return rows[0] ?? null;
}

async function mailRows(companyId: string) {
  return t.db
    .select()
    .from(scalepointMails)
    .where(eq(scalepointMails.companyId, companyId))
    .orderBy(asc(scalepointMails.createdAt));
}

async function enable(c: Tenant, overrides: Record<string, unknown> = {}) {
  const r = await saveScalepointSettings(t.db, c.adminActor, {
    enabled: true,
    orderTypeId: c.types[0].id,
    customerMode: 'policyholder',
    phoneAsCustomerNumber: false,
    ...overrides,
  });
  expect(r.ok).toBe(true);
  return r;
}

/** A fake Mailer: records every mail it gets and answers with the current outcome. */
function fakeMailer(initial: MailOutcome = { status: 'sent', providerId: 'p1' }) {
  const calls: OutgoingMail[] = [];
  const state = { outcome: initial };
  const mailer: Mailer = async (mail) => {
    calls.push(mail);
    return state.outcome;
  };
  return { mailer, calls, state };
}

const b64Of = (secret: string) => secret.slice('whsec_'.length);
const hex = (b: Buffer | null) => (b ? b.toString('hex') : null);

// ---------------------------------------------------------------------------------------------
// 1. settings

describe('saveScalepointSettings', () => {
  it('saves an admin’s settings, answers Gemt and writes one audit row with the changes', async () => {
    const c = await tenant();
    const type = c.types[1]!;
    const r = await saveScalepointSettings(t.db, c.adminActor, {
      enabled: true,
      orderTypeId: type.id,
      customerMode: 'policyholder',
      phoneAsCustomerNumber: true,
    });
    expect(r.ok).toBe(true);
    expect(r.message).toContain('Gemt');
    expect(r.fieldErrors).toBeUndefined();

    const row = await settingsRow(c.company.id);
    expect(row).toMatchObject({
      enabled: true,
      orderTypeId: type.id,
      customerMode: 'policyholder',
      phoneAsCustomerNumber: true,
      updatedBy: c.admin.id,
    });

    const audit = await auditRows(c.company.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'scalepoint.settings_saved',
      actorRole: 'admin',
      actorUserId: c.admin.id,
      companyId: c.company.id,
    });
    expect(audit[0]?.details).toEqual({
      changes: {
        enabled: { from: false, to: true },
        orderTypeId: { from: null, to: type.id },
        phoneAsCustomerNumber: { from: false, to: true },
      },
    });

    // A second save records only what changed.
    const r2 = await saveScalepointSettings(t.db, c.adminActor, {
      enabled: true,
      orderTypeId: type.id,
      customerMode: 'insurer',
      phoneAsCustomerNumber: false,
    });
    expect(r2.ok).toBe(true);
    const audit2 = await auditRows(c.company.id, 'scalepoint.settings_saved');
    expect(audit2).toHaveLength(2);
    expect(audit2.map((a) => a.details)).toContainEqual({
      changes: {
        customerMode: { from: 'policyholder', to: 'insurer' },
        phoneAsCustomerNumber: { from: true, to: false },
      },
    });
    expect(await settingsRow(c.company.id)).toMatchObject({
      enabled: true,
      customerMode: 'insurer',
      phoneAsCustomerNumber: false,
    });
  });

  it('refuses to turn the module on without a standard order type: field error, nothing saved, no audit', async () => {
    const c = await tenant();
    const before = await settingsRow(c.company.id);
    expect(before?.enabled).toBe(false);

    for (const orderTypeId of ['', '   ']) {
      const r = await saveScalepointSettings(t.db, c.adminActor, {
        enabled: true,
        orderTypeId,
        customerMode: 'policyholder',
        phoneAsCustomerNumber: false,
      });
      expect(r.ok).toBe(false);
      expect(r.fieldErrors?.orderTypeId).toBeTruthy();
    }
    expect(await settingsRow(c.company.id)).toEqual(before);
    expect(await auditRows(c.company.id)).toHaveLength(0);
  });

  it('refuses another company’s order type and garbage ids with a field error, changing nothing', async () => {
    const c = await tenant();
    const other = await tenant();
    await enable(c, { orderTypeId: c.types[1]!.id, customerMode: 'insurer' });
    const before = await settingsRow(c.company.id);
    const auditBefore = await auditRows(c.company.id);
    expect(auditBefore).toHaveLength(1);

    const attempts = [
      other.types[0].id,
      other.types[1]!.id,
      'x',
      '1; drop table order_types',
      "' or 1=1 --",
      randomUUID(),
      'ffffffff-ffff-ffff-ffff-fffffffffffff',
    ];
    for (const orderTypeId of attempts) {
      for (const enabled of [true, false]) {
        const r = await saveScalepointSettings(t.db, c.adminActor, {
          enabled,
          orderTypeId,
          customerMode: 'policyholder',
          phoneAsCustomerNumber: true,
        });
        expect(r.ok, orderTypeId).toBe(false);
        expect(r.fieldErrors?.orderTypeId, orderTypeId).toBeTruthy();
      }
    }
    expect(await settingsRow(c.company.id)).toEqual(before);
    expect(await auditRows(c.company.id)).toEqual(auditBefore);
    // The other company's settings are untouched too.
    expect((await settingsRow(other.company.id))?.enabled).toBe(false);
    expect(await auditRows(other.company.id)).toHaveLength(0);
  });

  it('answers malformed input with field errors, never an exception', async () => {
    const c = await tenant();
    const before = await settingsRow(c.company.id);
    const inputs: unknown[] = [
      null,
      undefined,
      'enabled',
      {},
      {
        enabled: 'yes',
        orderTypeId: c.types[0].id,
        customerMode: 'policyholder',
        phoneAsCustomerNumber: false,
      },
      {
        enabled: true,
        orderTypeId: c.types[0].id,
        customerMode: 'both',
        phoneAsCustomerNumber: false,
      },
      {
        enabled: true,
        orderTypeId: 42,
        customerMode: 'policyholder',
        phoneAsCustomerNumber: false,
      },
    ];
    for (const input of inputs) {
      const r = await saveScalepointSettings(t.db, c.adminActor, input);
      expect(r.ok).toBe(false);
      expect(Object.keys(r.fieldErrors ?? {}).length).toBeGreaterThan(0);
    }
    const modeError = await saveScalepointSettings(t.db, c.adminActor, inputs[5]);
    expect(modeError.fieldErrors?.customerMode).toBeTruthy();
    expect(await settingsRow(c.company.id)).toEqual(before);
    expect(await auditRows(c.company.id)).toHaveLength(0);
  });

  it('stores the phone tick as false with customer mode insurer', async () => {
    const c = await tenant();
    const r = await saveScalepointSettings(t.db, c.adminActor, {
      enabled: true,
      orderTypeId: c.types[0].id,
      customerMode: 'insurer',
      phoneAsCustomerNumber: true,
    });
    expect(r.ok).toBe(true);
    expect(await settingsRow(c.company.id)).toMatchObject({
      enabled: true,
      customerMode: 'insurer',
      phoneAsCustomerNumber: false,
    });
  });

  it('may be turned off again, keeping the chosen order type', async () => {
    const c = await tenant();
    await enable(c);
    const r = await saveScalepointSettings(t.db, c.adminActor, {
      enabled: false,
      orderTypeId: c.types[0].id,
      customerMode: 'policyholder',
      phoneAsCustomerNumber: false,
    });
    expect(r.ok).toBe(true);
    expect(await settingsRow(c.company.id)).toMatchObject({
      enabled: false,
      orderTypeId: c.types[0].id,
    });
  });

  it('refuses a member, support, a signed-out caller and a demoted admin with NotFoundError, changing nothing', async () => {
    const c = await tenant();
    await enable(c, { customerMode: 'insurer' });
    const before = await settingsRow(c.company.id);
    const auditBefore = await auditRows(c.company.id);
    const input = {
      enabled: false,
      orderTypeId: c.types[1]!.id,
      customerMode: 'policyholder',
      phoneAsCustomerNumber: true,
    };

    await expect(saveScalepointSettings(t.db, c.memberActor, input)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(saveScalepointSettings(t.db, support, input)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(saveScalepointSettings(t.db, null, input)).rejects.toBeInstanceOf(NotFoundError);

    await t.db.update(users).set({ role: 'member' }).where(eq(users.id, c.admin.id));
    const demoted = await actorOf(c.admin.id);
    expect(demoted.role).toBe('member');
    await expect(saveScalepointSettings(t.db, demoted, input)).rejects.toBeInstanceOf(
      NotFoundError,
    );

    expect(await settingsRow(c.company.id)).toEqual(before);
    expect(await auditRows(c.company.id)).toEqual(auditBefore);
  });

  it('is atomic: when the write fails (unknown actor user) neither settings nor audit change', async () => {
    const c = await tenant();
    await enable(c);
    const before = await settingsRow(c.company.id);
    const auditBefore = await auditRows(c.company.id);
    const ghost: Actor = { ...c.adminActor, userId: randomUUID() };

    const err = await saveScalepointSettings(t.db, ghost, {
      enabled: true,
      orderTypeId: c.types[1]!.id,
      customerMode: 'insurer',
      phoneAsCustomerNumber: false,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(err).not.toBeInstanceOf(NotFoundError);
    expect(pgErrorCode(err)).toBe('23503'); // foreign key violation
    expect(await settingsRow(c.company.id)).toEqual(before);
    expect(await auditRows(c.company.id)).toEqual(auditBefore);
  });

  it('is atomic: when only the audit insert fails, the settings row is rolled back', async () => {
    const c = await tenant();
    await enable(c);
    const before = await settingsRow(c.company.id);
    const auditBefore = await auditRows(c.company.id);
    // A trigger in this throwaway database that refuses audit rows of this one company.
    await t.db.execute(
      sql.raw(`create or replace function test_refuse_audit() returns trigger language plpgsql as $$
        begin
          if new.company_id = '${c.company.id}'::uuid then raise exception 'audit refused by test'; end if;
          return new;
        end $$`),
    );
    await t.db.execute(
      sql.raw(
        'create trigger test_refuse_audit before insert on audit_log for each row execute function test_refuse_audit()',
      ),
    );
    try {
      await expect(
        saveScalepointSettings(t.db, c.adminActor, {
          enabled: true,
          orderTypeId: c.types[1]!.id,
          customerMode: 'insurer',
          phoneAsCustomerNumber: false,
        }),
      ).rejects.toThrow();
    } finally {
      await t.db.execute(sql.raw('drop trigger if exists test_refuse_audit on audit_log'));
      await t.db.execute(sql.raw('drop function if exists test_refuse_audit()'));
    }
    expect(await settingsRow(c.company.id)).toEqual(before);
    expect(await auditRows(c.company.id)).toEqual(auditBefore);
  });
});

describe('getScalepointOverview', () => {
  it('goes disabled → awaiting_access → active', async () => {
    const c = await tenant();
    const o1 = await getScalepointOverview(t.db, c.adminActor);
    expect(o1.status).toBe('disabled');
    expect(o1.companyName).toBe(c.company.name);
    expect(o1.credentialsStoredAt).toBeNull();
    expect(o1.orderTypes.map((x) => x.id).sort()).toEqual(c.types.map((x) => x.id).sort());

    await enable(c);
    const o2 = await getScalepointOverview(t.db, c.adminActor);
    expect(o2.status).toBe('awaiting_access');
    expect(o2.settings).toMatchObject({ enabled: true, orderTypeId: c.types[0].id });
    expect(o2.audit.map((a) => a.action)).toContain('scalepoint.settings_saved');

    const stored = await storeCredentials(t.db, support, {
      companyId: c.company.id,
      accountId: `acct-${randomUUID()}`,
      secret: generateSigningSecret(),
    });
    expect(stored.ok).toBe(true);
    const o3 = await getScalepointOverview(t.db, c.adminActor);
    expect(o3.status).toBe('active');
    expect(o3.credentialsStoredAt).not.toBeNull();
    expect(JSON.stringify(o3)).not.toContain('secret_enc');

    // Turning the module off again with credentials stored: disabled.
    await saveScalepointSettings(t.db, c.adminActor, {
      enabled: false,
      orderTypeId: c.types[0].id,
      customerMode: 'policyholder',
      phoneAsCustomerNumber: false,
    });
    expect((await getScalepointOverview(t.db, c.adminActor)).status).toBe('disabled');
  });

  it('is for admins only', async () => {
    const c = await tenant();
    await expect(getScalepointOverview(t.db, c.memberActor)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getScalepointOverview(t.db, support)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getScalepointOverview(t.db, null)).rejects.toBeInstanceOf(NotFoundError);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. credentials

describe('storeCredentials', () => {
  it('refuses anyone but support with NotFoundError, storing nothing', async () => {
    const c = await tenant();
    const input = {
      companyId: c.company.id,
      accountId: `acct-${randomUUID()}`,
      secret: generateSigningSecret(),
    };
    await expect(storeCredentials(t.db, c.memberActor, input)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(storeCredentials(t.db, c.adminActor, input)).rejects.toBeInstanceOf(NotFoundError);
    await expect(storeCredentials(t.db, null, input)).rejects.toBeInstanceOf(NotFoundError);
    // A support-role actor object that claims a company is not support either.
    await expect(
      storeCredentials(t.db, { ...support, companyId: c.company.id }, input),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await credentialsRow(c.company.id)).toBeNull();
    expect(await auditRows(c.company.id)).toHaveLength(0);
  });

  it('rejects malformed signing secrets with a field error', async () => {
    const c = await tenant();
    const bad = [
      randomBytes(32).toString('base64'), // no whsec_ prefix
      `WHSEC_${randomBytes(32).toString('base64')}`,
      `whsec_${randomBytes(16).toString('base64')}`, // too short
      `whsec_${randomBytes(23).toString('base64')}`,
      `whsec_${randomBytes(65).toString('base64')}`, // too long
      `whsec_${randomBytes(100).toString('base64')}`,
      'whsec_!!!not-base64!!!',
      'whsec_',
      'garbage',
      '',
    ];
    for (const secret of bad) {
      const r = await storeCredentials(t.db, support, {
        companyId: c.company.id,
        accountId: `acct-${randomUUID()}`,
        secret,
      });
      expect(r.ok, secret).toBe(false);
      expect(r.fieldErrors?.secret, secret).toBeTruthy();
    }
    expect(await credentialsRow(c.company.id)).toBeNull();
    expect(await auditRows(c.company.id)).toHaveLength(0);

    // The boundaries 24 and 64 bytes are accepted.
    for (const n of [24, 64]) {
      const r = await storeCredentials(t.db, support, {
        companyId: c.company.id,
        accountId: `acct-${c.company.id}`,
        secret: `whsec_${randomBytes(n).toString('base64')}`,
      });
      expect(r.ok, String(n)).toBe(true);
    }
  });

  it('rejects a malformed company id or account id with field errors', async () => {
    const c = await tenant();
    const secret = generateSigningSecret();
    const badCompany = await storeCredentials(t.db, support, {
      companyId: 'x',
      accountId: 'acct-1',
      secret,
    });
    expect(badCompany.ok).toBe(false);
    expect(badCompany.fieldErrors?.companyId).toBeTruthy();
    for (const accountId of ['', '   ', 'has space', 'a'.repeat(101), "x'; drop table users"]) {
      const r = await storeCredentials(t.db, support, {
        companyId: c.company.id,
        accountId,
        secret,
      });
      expect(r.ok, accountId).toBe(false);
      expect(r.fieldErrors?.accountId, accountId).toBeTruthy();
    }
    expect(await storeCredentials(t.db, support, null)).toMatchObject({ ok: false });
    expect(await credentialsRow(c.company.id)).toBeNull();
  });

  it('stores the secret encrypted, keeps only its last 4 in clear and never audits the secret', async () => {
    const c = await tenant();
    const secret = generateSigningSecret();
    const accountId = `acct-${randomUUID()}`;
    const r = await storeCredentials(t.db, support, { companyId: c.company.id, accountId, secret });
    expect(r.ok).toBe(true);

    const row = await credentialsRow(c.company.id);
    expect(row).not.toBeNull();
    expect(row?.accountId).toBe(accountId);
    expect(row?.storedBy).toBe(support.userId);
    expect(row?.secretLast4).toBe(secret.slice(-4));
    expect(row?.secretEnc).not.toContain(secret);
    expect(row?.secretEnc).not.toContain(b64Of(secret));
    expect(row?.secretEnc).not.toContain(b64Of(secret).slice(0, 16));
    // …and it really is the secret, encrypted.
    expect(decryptSecret(row!.secretEnc)).toBe(secret);

    const audit = await auditRows(c.company.id, 'scalepoint.credentials_stored');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorRole: 'support',
      actorUserId: support.userId,
      companyId: c.company.id,
    });
    expect(audit[0]?.details).toMatchObject({ accountId, secretLast4: secret.slice(-4) });
    const everything = JSON.stringify(await auditRows(c.company.id));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(b64Of(secret));
    expect(everything).not.toContain(row!.secretEnc);

    const keys = await lookupIntakeAccount(t.db, accountId);
    expect(keys?.companyId).toBe(c.company.id);
    expect(keys?.keys.map(hex)).toEqual([hex(parseSigningSecret(secret))]);
  });

  it('keeps an account id unique across companies', async () => {
    const a = await tenant();
    const b = await tenant();
    const accountId = `acct-${randomUUID()}`;
    expect(
      (
        await storeCredentials(t.db, support, {
          companyId: a.company.id,
          accountId,
          secret: generateSigningSecret(),
        })
      ).ok,
    ).toBe(true);

    const r = await storeCredentials(t.db, support, {
      companyId: b.company.id,
      accountId,
      secret: generateSigningSecret(),
    });
    expect(r.ok).toBe(false);
    expect(r.fieldErrors?.accountId).toBeTruthy();
    // Surrounding whitespace does not get around it.
    const r2 = await storeCredentials(t.db, support, {
      companyId: b.company.id,
      accountId: `  ${accountId} `,
      secret: generateSigningSecret(),
    });
    expect(r2.fieldErrors?.accountId).toBeTruthy();
    expect(await credentialsRow(b.company.id)).toBeNull();
    expect(await auditRows(b.company.id)).toHaveLength(0);
    expect((await lookupIntakeAccount(t.db, accountId))?.companyId).toBe(a.company.id);

    // The owner may store its own account id again.
    expect(
      (
        await storeCredentials(t.db, support, {
          companyId: a.company.id,
          accountId,
          secret: generateSigningSecret(),
        })
      ).ok,
    ).toBe(true);
  });

  it('gives two companies racing for one new account id one success and one field error', async () => {
    const a = await tenant();
    const b = await tenant();
    const accountId = `acct-${randomUUID()}`;
    const results = await Promise.all([
      storeCredentials(t.db, support, {
        companyId: a.company.id,
        accountId,
        secret: generateSigningSecret(),
      }),
      storeCredentials(t.db, support, {
        companyId: b.company.id,
        accountId,
        secret: generateSigningSecret(),
      }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser?.fieldErrors?.accountId).toBeTruthy();
    const owners = [await credentialsRow(a.company.id), await credentialsRow(b.company.id)].filter(
      (x) => x !== null,
    );
    expect(owners).toHaveLength(1);
  });

  it('answers an unknown company with NotFoundError', async () => {
    const id = randomUUID();
    await expect(
      storeCredentials(t.db, support, {
        companyId: id,
        accountId: `acct-${id}`,
        secret: generateSigningSecret(),
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await lookupIntakeAccount(t.db, `acct-${id}`)).toBeNull();
  });

  it('rotates: the replaced secret keeps working for 24 hours, current key first', async () => {
    const c = await tenant();
    const accountId = `acct-${randomUUID()}`;
    const secret1 = generateSigningSecret();
    const secret2 = generateSigningSecret();
    const T = new Date('2031-03-04T10:00:00Z');
    const at = (ms: number) => new Date(T.getTime() + ms);
    const H = 60 * 60 * 1000;

    expect(
      (
        await storeCredentials(
          t.db,
          support,
          { companyId: c.company.id, accountId, secret: secret1 },
          at(-2 * H),
        )
      ).ok,
    ).toBe(true);
    expect((await lookupIntakeAccount(t.db, accountId, at(-H)))?.keys.map(hex)).toEqual([
      hex(parseSigningSecret(secret1)),
    ]);

    expect(
      (
        await storeCredentials(
          t.db,
          support,
          { companyId: c.company.id, accountId, secret: secret2 },
          T,
        )
      ).ok,
    ).toBe(true);
    const k1 = await lookupIntakeAccount(t.db, accountId, at(H));
    expect(k1?.companyId).toBe(c.company.id);
    expect(k1?.keys).toHaveLength(2);
    expect(k1?.keys.map(hex)).toEqual([
      hex(parseSigningSecret(secret2)),
      hex(parseSigningSecret(secret1)),
    ]);

    const k25 = await lookupIntakeAccount(t.db, accountId, at(25 * H));
    expect(k25?.keys.map(hex)).toEqual([hex(parseSigningSecret(secret2))]);

    const row = await credentialsRow(c.company.id);
    expect(row?.secretLast4).toBe(secret2.slice(-4));
    expect(row?.previousValidUntil?.getTime()).toBe(at(24 * H).getTime());
    expect(row?.previousSecretEnc).not.toContain(b64Of(secret1));

    // Storing the same secret again does not push the current one out.
    expect(
      (
        await storeCredentials(
          t.db,
          support,
          { companyId: c.company.id, accountId, secret: secret2 },
          at(2 * H),
        )
      ).ok,
    ).toBe(true);
    expect((await lookupIntakeAccount(t.db, accountId, at(3 * H)))?.keys.map(hex)).toEqual([
      hex(parseSigningSecret(secret2)),
      hex(parseSigningSecret(secret1)),
    ]);

    const audit = JSON.stringify(await auditRows(c.company.id));
    for (const s of [secret1, secret2]) {
      expect(audit).not.toContain(s);
      expect(audit).not.toContain(b64Of(s));
    }
  });
});

describe('listCompaniesForSupport', () => {
  it('lists every company with its status and last 4 of the secret, never the secret', async () => {
    const a = await tenant('Aktiv Service ApS');
    const b = await tenant('Blå Byg ApS');
    const w = await tenant('Ventende VVS ApS');
    const secret = generateSigningSecret();
    await enable(a);
    await enable(w);
    expect(
      (
        await storeCredentials(t.db, support, {
          companyId: a.company.id,
          accountId: `acct-${randomUUID()}`,
          secret,
        })
      ).ok,
    ).toBe(true);

    const list = (
      await listCompaniesForSupport(t.db, support, {
        q: '',
        filter: 'all',
        page: 1,
        pageSize: 1000,
      })
    ).rows;
    const ra = list.find((r) => r.id === a.company.id);
    const rb = list.find((r) => r.id === b.company.id);
    const rw = list.find((r) => r.id === w.company.id);
    expect(ra).toMatchObject({
      name: 'Aktiv Service ApS',
      cvr: a.company.cvr,
      status: 'active',
      secretLast4: secret.slice(-4),
    });
    expect(rb).toMatchObject({
      name: 'Blå Byg ApS',
      status: 'disabled',
      secretLast4: null,
      accountId: null,
    });
    expect(rw).toMatchObject({ status: 'awaiting_access', secretLast4: null });

    const json = JSON.stringify(list);
    expect(json).not.toContain(secret);
    expect(json).not.toContain(b64Of(secret));
    const enc = (await credentialsRow(a.company.id))?.secretEnc;
    expect(enc).toBeTruthy();
    expect(json).not.toContain(enc!);
  });

  it('is for support only', async () => {
    const c = await tenant();
    await expect(listCompaniesForSupport(t.db, c.adminActor)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listCompaniesForSupport(t.db, c.memberActor)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(listCompaniesForSupport(t.db, null)).rejects.toBeInstanceOf(NotFoundError);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. the access mail

describe('composeAccessMail', () => {
  const input = Object.freeze({
    company: Object.freeze({ name: 'Hansen & Søn VVS ApS', cvr: '31415926' }),
    admin: Object.freeze({ name: 'Åse Østergård', email: 'aase@hansen-vvs.dk' }),
    appUrl: 'https://app.kladde.test',
    to: 'integration@scalepoint.test',
    from: 'Kladde <noreply@kladde.test>',
  });

  it('builds the access mail (docs/scalepoint-mail.md) from its input alone', () => {
    const mail = composeAccessMail(input);
    expect(mail.to).toBe('integration@scalepoint.test');
    expect(mail.from).toBe('Kladde <noreply@kladde.test>');
    expect(mail.cc).toBe('aase@hansen-vvs.dk');
    expect(mail.replyTo).toBe('aase@hansen-vvs.dk');
    expect(mail.subject).toContain('Hansen & Søn VVS ApS');
    expect(mail.subject).toContain('31415926');
    for (const part of [
      'Hansen & Søn VVS ApS',
      '31415926',
      'Åse Østergård',
      'aase@hansen-vvs.dk',
      'https://app.kladde.test/api/scalepoint/claims',
    ]) {
      expect(mail.text).toContain(part);
    }
    expect(mail.text).toMatch(/forsikringssager/);
    expect(mail).not.toHaveProperty('idempotencyKey');
  });

  it('is pure: same input, same mail; different input, different mail; input untouched', () => {
    expect(composeAccessMail(input)).toEqual(composeAccessMail(input));
    const other = composeAccessMail({
      ...input,
      appUrl: 'https://other.example',
      company: { name: 'Andet Firma', cvr: '99999999' },
    });
    expect(other.text).toContain('https://other.example/api/scalepoint/claims');
    expect(other.text).not.toContain('app.kladde.test');
    expect(other.subject).toContain('Andet Firma');
    expect(other.subject).not.toContain('Hansen');
    // The configured environment plays no part.
    expect(composeAccessMail(input).text).not.toContain(env().appUrl);
    expect(composeAccessMail(input).to).not.toBe(env().scalepointEmail);
  });
});

describe('sendAccessMail', () => {
  it('sends nothing while the module is off', async () => {
    const c = await tenant();
    const m = fakeMailer();
    const r = await sendAccessMail(t.db, c.adminActor, m.mailer);
    expect(r.ok).toBe(false);
    expect(r.message).toBeTruthy();
    expect(m.calls).toHaveLength(0);
    expect(await mailRows(c.company.id)).toHaveLength(0);
  });

  it('sends the mail once enabled, records it, and does not resend within a minute', async () => {
    const c = await tenant('Mail & Søn ApS');
    await enable(c);
    const m = fakeMailer();
    const T = new Date('2031-05-06T08:00:10Z');

    const r = await sendAccessMail(t.db, c.adminActor, m.mailer, T);
    expect(r.ok).toBe(true);
    expect(r.message).toContain('Mail sendt');
    expect(m.calls).toHaveLength(1);
    const mail = m.calls[0]!;
    expect(env().scalepointEmail).toBe(SCALEPOINT_TO);
    expect(mail.to).toBe(env().scalepointEmail);
    expect(mail.from).toBe(env().mailFrom);
    expect(mail.cc).toBe(c.admin.email);
    expect(mail.replyTo).toBe(c.admin.email);
    expect(mail.subject).toContain('Mail & Søn ApS');
    expect(mail.subject).toContain(c.company.cvr);
    const intake = `${env().appUrl}/api/scalepoint/claims`;
    expect(intake).toBe('https://kladde.example.dk/api/scalepoint/claims');
    for (const part of ['Mail & Søn ApS', c.company.cvr, c.admin.name, c.admin.email, intake]) {
      expect(mail.text).toContain(part);
    }
    expect(typeof mail.idempotencyKey).toBe('string');
    expect(mail.idempotencyKey.length).toBeGreaterThan(0);

    // What the admin previews is exactly what was sent.
    const preview = await previewAccessMail(t.db, c.adminActor);
    const { idempotencyKey: sentKey, ...sentWithoutKey } = mail;
    expect(preview).toEqual(sentWithoutKey);

    const rows = await mailRows(c.company.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'sent',
      providerId: 'p1',
      error: null,
      toAddress: SCALEPOINT_TO,
      ccAddress: c.admin.email,
      replyTo: c.admin.email,
      subject: mail.subject,
      body: mail.text,
      idempotencyKey: sentKey,
      sentBy: c.admin.id,
    });
    expect(rows[0]?.createdAt.getTime()).toBe(T.getTime());
    const audit = await auditRows(c.company.id, 'scalepoint.access_mail');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ status: 'sent', to: SCALEPOINT_TO });

    // 30 seconds later: not sent again.
    const again = await sendAccessMail(
      t.db,
      c.adminActor,
      m.mailer,
      new Date(T.getTime() + 30_000),
    );
    expect(again.ok).toBe(true);
    expect(m.calls).toHaveLength(1);
    expect((await mailRows(c.company.id)).filter((x) => x.status === 'sent')).toHaveLength(1);
    expect(await mailRows(c.company.id)).toHaveLength(1);

    // 2 minutes later: sent again, with a fresh idempotency key.
    const later = await sendAccessMail(
      t.db,
      c.adminActor,
      m.mailer,
      new Date(T.getTime() + 120_000),
    );
    expect(later.ok).toBe(true);
    expect(later.message).toContain('Mail sendt');
    expect(m.calls).toHaveLength(2);
    expect(m.calls[1]?.idempotencyKey).not.toBe(sentKey);
    const after = await mailRows(c.company.id);
    expect(after.map((x) => x.status)).toEqual(['sent', 'sent']);

    // The overview shows the last mail.
    const overview = await getScalepointOverview(t.db, c.adminActor);
    expect(overview.lastMail).toMatchObject({ status: 'sent', toAddress: SCALEPOINT_TO });
  });

  it('sends once when two presses race', async () => {
    const c = await tenant();
    await enable(c);
    const m = fakeMailer();
    const now = new Date();
    const results = await Promise.all([
      sendAccessMail(t.db, c.adminActor, m.mailer, now),
      sendAccessMail(t.db, c.adminActor, m.mailer, now),
      sendAccessMail(t.db, c.adminActor, m.mailer, now),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(m.calls).toHaveLength(1);
    expect(await mailRows(c.company.id)).toHaveLength(1);
  });

  it('records a mail that could not be sent (no mail service) as not_sent and says so', async () => {
    const c = await tenant();
    await enable(c);
    const m = fakeMailer({ status: 'not_sent', reason: 'RESEND_API_KEY er ikke sat' });
    const r = await sendAccessMail(t.db, c.adminActor, m.mailer);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/ikke sendt/i);
    expect(r.message).not.toContain('Mail sendt');
    expect(m.calls).toHaveLength(1);
    const rows = await mailRows(c.company.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'not_sent',
      providerId: null,
      error: 'RESEND_API_KEY er ikke sat',
    });

    // Every attempt counts for the one-a-minute rule: a press right after is answered, not sent.
    m.state.outcome = { status: 'sent', providerId: 'p2' };
    const soon = await sendAccessMail(t.db, c.adminActor, m.mailer);
    expect(soon.ok).toBe(false);
    expect(soon.message).toContain('under et minut siden');
    expect(m.calls).toHaveLength(1);
    const retry = await sendAccessMail(t.db, c.adminActor, m.mailer, new Date(Date.now() + 61_000));
    expect(retry.ok).toBe(true);
    expect(m.calls).toHaveLength(2);
  });

  it('records a failed mail with its error; a retry counts from the failed attempt', async () => {
    const c = await tenant();
    await enable(c);
    const m = fakeMailer({ status: 'failed', error: 'boom' });
    const T = new Date('2031-07-01T12:00:00Z');
    const r = await sendAccessMail(t.db, c.adminActor, m.mailer, T);
    expect(r.ok).toBe(false);
    expect(r.message).not.toContain('Mail sendt');
    const rows = await mailRows(c.company.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'failed', error: 'boom', providerId: null });

    m.state.outcome = { status: 'sent', providerId: 'p1' };
    const soon = await sendAccessMail(t.db, c.adminActor, m.mailer, new Date(T.getTime() + 5_000));
    expect(soon.ok).toBe(false);
    expect(soon.message).toContain('under et minut siden');
    expect(m.calls).toHaveLength(1);
    const retry = await sendAccessMail(
      t.db,
      c.adminActor,
      m.mailer,
      new Date(T.getTime() + 61_000),
    );
    expect(retry.ok).toBe(true);
    expect(retry.message).toContain('Mail sendt');
    expect(m.calls).toHaveLength(2);
    expect((await mailRows(c.company.id)).map((x) => x.status)).toEqual(['failed', 'sent']);
  });

  it('refuses members, support and signed-out callers without calling the mailer', async () => {
    const c = await tenant();
    await enable(c);
    const m = fakeMailer();
    await expect(sendAccessMail(t.db, c.memberActor, m.mailer)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(sendAccessMail(t.db, support, m.mailer)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sendAccessMail(t.db, null, m.mailer)).rejects.toBeInstanceOf(NotFoundError);
    await expect(previewAccessMail(t.db, c.memberActor)).rejects.toBeInstanceOf(NotFoundError);
    expect(m.calls).toHaveLength(0);
    expect(await mailRows(c.company.id)).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------
// the audit catalogue (lib/audit-actions.ts)

describe('the audit rows written above', () => {
  it('each names an action of the catalogue and reads back with its details schema', async () => {
    const rows = await t.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog);
    expect(new Set(rows.map((r) => r.action))).toEqual(
      new Set([
        'scalepoint.settings_saved',
        'scalepoint.credentials_stored',
        'scalepoint.access_mail_started',
        'scalepoint.access_mail',
      ]),
    );
    for (const r of rows) expect(readAudit(r.action, r.details), r.action).not.toBeNull();
  });

  it('a row whose details do not fit is refused in its transaction, and the change with it', async () => {
    const c = await tenant();
    const before = await settingsRow(c.company.id);
    await expect(
      t.db.transaction(async (tx) => {
        await tx
          .update(scalepointSettings)
          .set({ phoneAsCustomerNumber: true })
          .where(eq(scalepointSettings.companyId, c.company.id));
        await writeAudit(tx, c.adminActor, c.company.id, 'scalepoint.settings_saved', {
          changes: { phoneAsCustomerNumber: { from: false, to: true } },
          secret: 'whsec_x',
        } as never);
      }),
    ).rejects.toThrow('Audit details of scalepoint.settings_saved do not match its schema');
    expect(await settingsRow(c.company.id)).toEqual(before);
    expect(await auditRows(c.company.id)).toEqual([]);
  });
});
