import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { generateConnectionKeys } from '@/lib/scalepoint/events/certificate';
import { receiveEvents } from '@/lib/scalepoint/events/receive-client';
import { createTokenClient } from '@/lib/scalepoint/events/token';
import { freshEvent } from '@/tools/stand-ins/scalepoint/sample-events';
import { startScalepointStandIn } from '@/tools/stand-ins/scalepoint/server';
import { pointAt } from '../support/scalepoint-stand-in';

const dir = mkdtempSync(path.join(tmpdir(), 'kladde-sandbox-'));
const saved = { a: process.env.SCALEPOINT_ACCOUNTS_URL, b: process.env.SCALEPOINT_API_URL };
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  process.env.SCALEPOINT_ACCOUNTS_URL = saved.a;
  process.env.SCALEPOINT_API_URL = saved.b;
  if (saved.a === undefined) delete process.env.SCALEPOINT_ACCOUNTS_URL;
  if (saved.b === undefined) delete process.env.SCALEPOINT_API_URL;
  resetEnvCache();
});

const sample = (name: string) =>
  JSON.parse(readFileSync(path.join('samples/scalepoint/events', name), 'utf8')) as Record<
    string,
    unknown
  >;

describe('local Scalepoint', () => {
  it('keeps registrations and events in its state file across a restart', async () => {
    const stateFile = path.join(dir, 'state.json');
    const keys = await generateConnectionKeys('kladde-persist');
    const first = await startScalepointStandIn({ stateFile, holdMs: 100 });
    first.registerCertificate('kladde-persist', 'tryg', keys.certificatePem);
    const [published] = first.publish(
      'tryg',
      freshEvent(sample('repair-service-requested.json'), { caseNumber: 'SP-9' }),
    );
    await first.close();

    const second = await startScalepointStandIn({ stateFile, holdMs: 100 });
    try {
      pointAt(second.url);
      const token = await createTokenClient().getToken({
        connectionId: 'p',
        clientId: 'kladde-persist',
        environment: 'sandbox',
        ...keys,
      });
      const result = await receiveEvents({ environment: 'sandbox', tenant: 'tryg', token });
      expect(result.events).toEqual([published]);
      const [next] = second.publish('tryg', {
        eventType: 'claim_updated',
        changes: [{ property: 'CaseReopened' }],
      });
      expect(Number(next?.id.slice(1))).toBe(Number(published?.id.slice(1)) + 1);
    } finally {
      await second.close();
    }
  });

  it('refuses bad admin input with 400, never 500', async () => {
    const standIn = await startScalepointStandIn();
    try {
      const post = (p: string, body: string) =>
        fetch(`${standIn.url}${p}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      expect((await post('/_stand-in/clients', '{not json')).status).toBe(400);
      expect(
        (
          await post(
            '/_stand-in/clients',
            JSON.stringify({ clientId: 'x', tenant: 'tryg', certificatePem: 'nope' }),
          )
        ).status,
      ).toBe(400);
      expect(
        (
          await post(
            '/_stand-in/clients',
            JSON.stringify({ clientId: 'x', tenant: 'Tryg!', certificatePem: 'nope' }),
          )
        ).status,
      ).toBe(400);
      expect(
        (
          await post(
            '/_stand-in/events',
            JSON.stringify({ tenant: 'tryg', events: [{ no: 'type' }] }),
          )
        ).status,
      ).toBe(400);
      expect(
        (await post('/_stand-in/events', JSON.stringify({ tenant: 'tryg', events: [42] }))).status,
      ).toBe(400);
      expect(
        (await fetch(`${standIn.url}/connect/token`, { method: 'POST', body: 'x' })).status,
      ).toBe(400);
      expect(
        (await fetch(`${standIn.url}/api/events/v1/dk/external/%E0%A4%A/receive`)).status,
      ).toBe(401);
      expect((await fetch(`${standIn.url}/elsewhere`)).status).toBe(404);
    } finally {
      await standIn.close();
    }
  });

  it('turns the samples into fresh events with the asked case and change', () => {
    const closed = freshEvent(sample('claim-updated-closed.json'), {
      caseNumber: 'SP-77',
      closed: 'BelowDeductible',
    });
    expect(closed).toMatchObject({
      eventType: 'claim_updated',
      case: { number: 'SP-77' },
      changes: [{ property: 'CaseClosed', terminationReason: 'BelowDeductible' }],
    });
    const reopened = freshEvent(sample('claim-updated-reopened.json'), {
      caseNumber: 'SP-77',
      reopened: true,
    });
    expect(reopened.changes).toEqual([{ property: 'CaseReopened' }]);
    const repair = freshEvent(sample('repair-service-requested.json'), { caseNumber: 'SP-78' });
    expect(repair).toMatchObject({
      case: { number: 'SP-78', damageCategory: 'Vandskade' },
      service: { referenceNumber: 'SP-78-1' },
    });
    expect(repair.correlationId).not.toBe(sample('repair-service-requested.json').correlationId);
  });
});
