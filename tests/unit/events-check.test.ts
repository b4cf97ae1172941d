import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateConnectionKeys,
  type ConnectionKeyMaterial,
} from '@/lib/scalepoint/events/certificate';
import { checkConnection } from '@/lib/scalepoint/events/check';
import { createTokenClient, type ConnectionKeys } from '@/lib/scalepoint/events/token';
import { startScalepointStandIn } from '@/tools/stand-ins/scalepoint/server';
import { pointAt, setupScalepointStandIn } from '../support/scalepoint-stand-in';

// A long hold: the check must not wait for it (it asks for a short one).
const ctx = setupScalepointStandIn({ holdMs: 20_000 });
let known: ConnectionKeyMaterial;
let unknown: ConnectionKeyMaterial;

beforeAll(async () => {
  [known, unknown] = await Promise.all([
    generateConnectionKeys('kladde-tag'),
    generateConnectionKeys('kladde-tag'),
  ]);
  ctx.standIn.registerCertificate('kladde-tag', 'tryg', known.certificatePem);
});

const connection = (
  pair: ConnectionKeyMaterial,
  tenant = 'tryg',
): ConnectionKeys & { tenant: string } => ({
  connectionId: `check-${tenant}-${pair === known ? 'known' : 'unknown'}`,
  clientId: 'kladde-tag',
  environment: 'sandbox',
  certificatePem: pair.certificatePem,
  privateKeyPem: pair.privateKeyPem,
  tenant,
});

describe('Test forbindelse', () => {
  it('says the connection works, within a few seconds despite the long hold', async () => {
    const started = Date.now();
    const result = await checkConnection(connection(known), createTokenClient());
    expect(result).toEqual({
      ok: true,
      message: "Forbundet: Scalepoint gav adgang, og tenant 'tryg' svarer.",
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('says when Scalepoint does not know the certificate', async () => {
    expect(await checkConnection(connection(unknown), createTokenClient())).toEqual({
      ok: false,
      reason: 'unknown_certificate',
      message:
        'Scalepoint kender ikke certifikatet (invalid_client). Send certifikatet til Scalepoint og prøv igen.',
    });
  });

  it('says when the tenant does not exist', async () => {
    expect(await checkConnection(connection(known, 'findes-ikke'), createTokenClient())).toEqual({
      ok: false,
      reason: 'unknown_tenant',
      message: "Tenant 'findes-ikke' findes ikke hos Scalepoint.",
    });
  });

  it('says when Scalepoint does not answer', async () => {
    const gone = await startScalepointStandIn();
    await gone.close();
    pointAt(gone.url);
    try {
      expect(await checkConnection(connection(known), createTokenClient())).toEqual({
        ok: false,
        reason: 'unreachable',
        message: 'Scalepoint svarer ikke. Prøv igen om lidt.',
      });
    } finally {
      pointAt(ctx.standIn.url);
    }
    ctx.standIn.fail('receive', 502);
    expect(await checkConnection(connection(known), createTokenClient())).toMatchObject({
      ok: false,
      reason: 'unreachable',
    });
  });

  it('gets a new token once when the API refuses a cached one', async () => {
    const tokens = createTokenClient();
    const keys = connection(known);
    const before = await tokens.getToken(keys);
    ctx.standIn.revokeTokens();
    expect(await checkConnection(keys, tokens)).toMatchObject({ ok: true });
    expect(await tokens.getToken(keys)).not.toBe(before);
  });

  it('says rejected when the API refuses even a fresh token', async () => {
    const tokens = createTokenClient();
    const issued = ctx.standIn.tokensIssued;
    ctx.standIn.fail('receive', 401, 2);
    expect(await checkConnection(connection(known), tokens)).toEqual({
      ok: false,
      reason: 'rejected',
      message: 'Scalepoint gav et token, men afviste det ved hentning af hændelser (401).',
    });
    expect(ctx.standIn.tokensIssued).toBe(issued + 2);
  });

  it('says rejected, not a crash, when the stored key is broken', async () => {
    const broken = {
      ...connection(known),
      privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    };
    expect(await checkConnection(broken, createTokenClient())).toEqual({
      ok: false,
      reason: 'rejected',
      message: 'Forbindelsens certifikat eller nøgle kan ikke bruges. Lav et nyt certifikat.',
    });
    const noCert = { ...connection(known), certificatePem: 'not a certificate' };
    expect(await checkConnection(noCert, createTokenClient())).toMatchObject({
      ok: false,
      reason: 'rejected',
    });
  });
});
