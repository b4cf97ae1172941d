import { describe, expect, it } from 'vitest';
import { signedRequestHeaders } from '@/tools/stand-ins/scalepoint/sign-request';
import {
  generateSigningSecret,
  parseSigningSecret,
  verifySignature,
} from '@/lib/scalepoint/intake/signature';

const key = parseSigningSecret(generateSigningSecret())!;
const rawBody = Buffer.from('{"caseNumber":"SP-1"}');

describe('signedRequestHeaders', () => {
  it('gives the five headers of a delivery, and the receiver accepts them', () => {
    const headers = signedRequestHeaders({
      accountId: 'acct-1',
      key,
      webhookId: 'msg_1',
      timestamp: 1_700_000_000,
      rawBody,
    });
    expect(Object.keys(headers).sort()).toEqual([
      'content-type',
      'scalepoint-account-id',
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['webhook-timestamp']).toBe('1700000000');
    const verify = (body: Buffer, keys = [key]) =>
      verifySignature({
        keys,
        webhookId: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signatureHeader: headers['webhook-signature'],
        rawBody: body,
        nowSeconds: 1_700_000_000,
      });
    expect(verify(rawBody)).toEqual({ ok: true });
    expect(verify(Buffer.from('{"caseNumber":"SP-2"}'))).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(verify(rawBody, [parseSigningSecret(generateSigningSecret())!])).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('signs a string body as its UTF-8 bytes, and keeps a chosen content type', () => {
    const a = signedRequestHeaders({
      accountId: 'a',
      key,
      webhookId: 'msg_2',
      timestamp: '5',
      rawBody: 'Rørskade',
    });
    const b = signedRequestHeaders({
      accountId: 'a',
      key,
      webhookId: 'msg_2',
      timestamp: 5,
      rawBody: Buffer.from('Rørskade', 'utf8'),
      contentType: 'text/plain',
    });
    expect(a['webhook-signature']).toBe(b['webhook-signature']);
    expect(b['content-type']).toBe('text/plain');
  });
});
