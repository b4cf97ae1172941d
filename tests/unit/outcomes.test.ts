import { describe, expect, it } from 'vitest';
import { deliveryStatuses } from '@/db/schema';
import {
  deliveryFilterKeys,
  deliveryFilters,
  deliveryWord,
  describeDelivery,
  isReplayable,
  outcomeCodes,
  outcomes,
} from '@/lib/scalepoint/intake/words';
import { checkWebhookHeaders } from '@/lib/scalepoint/intake/signature';

describe('the outcome catalogue', () => {
  it('gives every code an HTTP status and a Danish replay message', () => {
    for (const code of outcomeCodes) {
      expect(outcomes[code].http, code).toBeGreaterThanOrEqual(200);
      expect(outcomes[code].replay.length, code).toBeGreaterThan(5);
    }
    expect(Object.fromEntries(outcomeCodes.map((c) => [c, outcomes[c].http]))).toEqual({
      created: 201,
      updated: 200,
      duplicate_delivery: 200,
      duplicate_case: 200,
      validation_failed: 422,
      module_disabled: 409,
      processing_failed: 422,
      invalid_event: 422,
      ignored: 200,
      unauthorized: 401,
      payload_too_large: 413,
      unsupported_media_type: 415,
      invalid_json: 400,
      unreadable_body: 400,
      database_unavailable: 503,
    });
  });

  it('only database_unavailable is a 5xx', () => {
    expect(outcomeCodes.filter((c) => outcomes[c].http >= 500)).toEqual(['database_unavailable']);
  });

  it('words the delivery statuses as Modtagne sager shows them; never the drafts’ "Afvist"', () => {
    expect(deliveryWord('created', null)).toBe('Oprettet');
    expect(deliveryWord('duplicate', 'duplicate_case')).toBe('Dublet');
    expect(deliveryWord('rejected', 'validation_failed')).toBe('Ugyldig');
    expect(deliveryWord('rejected', 'module_disabled')).toBe('Modul slået fra');
    expect(deliveryWord('failed', 'processing_failed')).toBe('Fejlet');
    expect(deliveryWord('ignored', null)).toBe('Ignoreret');
    // An Events API claim_updated that marked a case: beside the six of docs/intake.md, its own word.
    expect(deliveryWord('updated', 'case_closed')).toBe('Opdateret');
    for (const status of deliveryStatuses) {
      const text = describeDelivery({ status, reason: null, issues: null, warnings: null });
      expect(text).not.toMatch(/Afvist/);
      expect(deliveryWord(status, null)).not.toBe('Afvist');
    }
  });

  it('has one filter per word, and only rejected and failed deliveries are replayable', () => {
    expect(deliveryFilterKeys.map((k) => deliveryFilters[k].label)).toEqual([
      'Alle',
      'Oprettet',
      'Dublet',
      'Ugyldig',
      'Modul slået fra',
      'Fejlet',
      'Ignoreret',
    ]);
    expect(deliveryStatuses.filter(isReplayable)).toEqual(['rejected', 'failed']);
  });
});

describe('checkWebhookHeaders (no key, no database)', () => {
  const now = 1_800_000_000;
  const ok = {
    webhookId: 'msg_1',
    timestamp: String(now),
    signatureHeader: 'v1,xyz',
    nowSeconds: now,
  };
  it('passes present headers within ±300 s and names the first failure otherwise', () => {
    expect(checkWebhookHeaders(ok)).toEqual({ ok: true });
    expect(checkWebhookHeaders({ ...ok, timestamp: String(now - 300) })).toEqual({ ok: true });
    expect(checkWebhookHeaders({ ...ok, webhookId: null })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(checkWebhookHeaders({ ...ok, signatureHeader: ' ' })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(checkWebhookHeaders({ ...ok, webhookId: 'x'.repeat(201) })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(checkWebhookHeaders({ ...ok, timestamp: '1e9' })).toEqual({
      ok: false,
      reason: 'invalid_timestamp',
    });
    expect(checkWebhookHeaders({ ...ok, timestamp: String(now - 301) })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(checkWebhookHeaders({ ...ok, timestamp: String(now + 301) })).toEqual({
      ok: false,
      reason: 'future_timestamp',
    });
  });
});
