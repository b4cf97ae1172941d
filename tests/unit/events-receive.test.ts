import { beforeAll, describe, expect, it } from 'vitest';
import { generateConnectionKeys } from '@/lib/scalepoint/events/certificate';
import { ReceiveError, receiveEvents } from '@/lib/scalepoint/events/receive-client';
import { createTokenClient, type ConnectionKeys } from '@/lib/scalepoint/events/token';
import { setupScalepointStandIn } from '../support/scalepoint-stand-in';

const HOLD_MS = 4_000;
const ctx = setupScalepointStandIn({ holdMs: HOLD_MS, batchSize: 3 });
const tokens = createTokenClient();
let keys: ConnectionKeys;
let token: string;

const repair = (caseNumber: string) => ({
  eventType: 'repair_service_requested',
  case: {
    id: `id-${caseNumber}`,
    number: caseNumber,
    damageCause: 'Udsivning',
    damageCategory: 'Vandskade',
  },
  service: { referenceNumber: `${caseNumber}-1` },
});

beforeAll(async () => {
  const pair = await generateConnectionKeys('kladde-el');
  ctx.standIn.registerCertificate('kladde-el', 'tryg', pair.certificatePem);
  ctx.standIn.registerCertificate('kladde-el', 'codan', pair.certificatePem);
  keys = { connectionId: 'receive-test', clientId: 'kladde-el', environment: 'sandbox', ...pair };
  token = await tokens.getToken(keys);
});

const receive = (
  tenant: string,
  lastEventId?: string | null,
  extra: Partial<Parameters<typeof receiveEvents>[0]> = {},
) => receiveEvents({ environment: 'sandbox', tenant, token, lastEventId, ...extra });

describe('receiveEvents against the local Scalepoint', () => {
  it('returns as soon as an event is published during the hold', async () => {
    const started = Date.now();
    const call = receive('codan');
    setTimeout(() => ctx.standIn.publish('codan', repair('SP-1')), 300);
    const result = await call;
    expect(Date.now() - started).toBeLessThan(HOLD_MS - 1_000);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({
      id: expect.stringMatching(/^_\d+$/),
      type: 'repair_service_requested',
      timestamp: expect.any(String),
    });
    expect(result.events[0]?.attributes).toMatchObject({
      eventType: 'repair_service_requested',
      payloadVersion: '1.0.0',
      case: { number: 'SP-1' },
    });
    expect(result.next).toBe(
      `${ctx.standIn.url}/api/events/v1/dk/external/codan/receive?lastEventId=${result.events[0]?.id}`,
    );
  });

  it('answers with empty data when the hold passes', async () => {
    const first = await receive('codan');
    const last = first.events.at(-1)?.id;
    const started = Date.now();
    const result = await receive('codan', last, { waitSeconds: 1 });
    const elapsed = Date.now() - started;
    expect(result).toEqual({
      events: [],
      next: `${ctx.standIn.url}/api/events/v1/dk/external/codan/receive?lastEventId=${last}`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(HOLD_MS);
  });

  it('ends a call that outlasts our own limit as an empty answer', async () => {
    const first = await receive('codan');
    const result = await receive('codan', first.events.at(-1)?.id, { timeoutMs: 300 });
    expect(result).toEqual({ events: [], timedOut: true });
  });

  it('resumes after lastEventId, in order, a batch at a time', async () => {
    const published = ctx.standIn.publish(
      'tryg',
      ['SP-10', 'SP-11', 'SP-12', 'SP-13', 'SP-14'].map(repair),
    );
    const ids = published.map((e) => e.id);
    expect(ids.map((id) => Number(id.slice(1)))).toEqual(
      [...ids].map((id) => Number(id.slice(1))).sort((a, b) => a - b),
    );

    const first = await receive('tryg');
    expect(first.events.map((e) => e.id)).toEqual(ids.slice(0, 3));
    const second = await receive('tryg', first.events.at(-1)?.id);
    expect(second.events.map((e) => e.id)).toEqual(ids.slice(3));
    expect(second.events.map((e) => (e.attributes.case as { number: string }).number)).toEqual([
      'SP-13',
      'SP-14',
    ]);
    const fromMiddle = await receive('tryg', ids[1]);
    expect(fromMiddle.events.map((e) => e.id)).toEqual(ids.slice(2, 5));
  });

  it('says 401 without a token, and ReceiveError unauthorized for an unknown one', async () => {
    const response = await fetch(`${ctx.standIn.url}/api/events/v1/dk/external/tryg/receive`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    const error = await receive('tryg', null, { token: 'sbx_not-a-token' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReceiveError);
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401 });
  });

  it('gives 401 once tokens are revoked, and works again with a new token', async () => {
    ctx.standIn.revokeTokens();
    await expect(receive('tryg', null, { waitSeconds: 0 })).rejects.toMatchObject({
      kind: 'unauthorized',
    });
    tokens.drop(keys.connectionId);
    token = await tokens.getToken(keys);
    await expect(receive('tryg', null, { waitSeconds: 0 })).resolves.toMatchObject({
      events: expect.any(Array),
    });
  });

  it('says not_found for an unknown tenant and for a tenant the client is not registered on', async () => {
    await expect(receive('findes-ikke')).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    ctx.standIn.publish('alm-brand', repair('SP-20'));
    await expect(receive('alm-brand')).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('says unavailable when Scalepoint has an outage, and bad_response for an answer it cannot read', async () => {
    ctx.standIn.fail('receive', 503);
    await expect(receive('tryg')).rejects.toMatchObject({ kind: 'unavailable', status: 503 });
    const notJson = (async () =>
      new Response('<html>proxy</html>', { status: 200 })) as unknown as typeof fetch;
    await expect(receive('tryg', null, { fetch: notJson })).rejects.toMatchObject({
      kind: 'bad_response',
    });
    const noData = (async () => Response.json({ links: {}, meta: {} })) as unknown as typeof fetch;
    await expect(receive('tryg', null, { fetch: noData })).rejects.toMatchObject({
      kind: 'bad_response',
    });
  });

  it('keeps an event with odd attributes instead of losing the batch', async () => {
    const odd = (async () =>
      Response.json({
        data: [
          { id: '_5', type: 7, attributes: 'x' },
          { id: '_6', type: 'claim_updated', attributes: {} },
        ],
      })) as unknown as typeof fetch;
    const result = await receive('tryg', null, { fetch: odd });
    expect(result.events).toEqual([
      { id: '_5', type: '', attributes: {} },
      { id: '_6', type: 'claim_updated', attributes: {} },
    ]);
  });

  it('rethrows the abort of the caller', async () => {
    const first = await receive('codan');
    const controller = new AbortController();
    const call = receive('codan', first.events.at(-1)?.id, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    await expect(call).rejects.toThrow('shutting down');
  });
});

describe('receiveEvents input', () => {
  it('refuses a tenant that is not a Scalepoint tenant without calling out', async () => {
    let called = false;
    const spy = (async () => {
      called = true;
      return Response.json({ data: [] });
    }) as unknown as typeof fetch;
    await expect(
      receiveEvents({ environment: 'sandbox', tenant: '../x', token: 't', fetch: spy }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect(called).toBe(false);
  });
});
