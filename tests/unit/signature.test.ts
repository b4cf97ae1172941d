import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  TOLERANCE_SECONDS,
  generateSigningSecret,
  isValidSigningSecret,
  parseSigningSecret,
  sign,
  verifySignature,
} from '@/lib/scalepoint/intake/signature';

// Standard Webhooks reference vector.
const REF_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const REF_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const REF_TS = 1614265330;
const REF_BODY = '{"test": 2432232314}';
const REF_SIG = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
const OTHER_KEY = Buffer.from('fedcba9876543210fedcba9876543210', 'utf8');
const ID = 'msg_2Kx0fixed';
const TS = 1_700_000_000;
const BODY = Buffer.from('{"caseNumber":"SP-1","insurer":{"name":"Tryg"}}', 'utf8');

function expectedSig(key: Buffer, id: string, ts: string, body: Buffer): string {
  const h = createHmac('sha256', key);
  h.update(Buffer.concat([Buffer.from(`${id}.${ts}.`, 'utf8'), body]));
  return h.digest('base64');
}

function verify(over: Partial<Parameters<typeof verifySignature>[0]> = {}) {
  return verifySignature({
    keys: [KEY],
    webhookId: ID,
    timestamp: String(TS),
    signatureHeader: `v1,${expectedSig(KEY, ID, String(TS), BODY)}`,
    rawBody: BODY,
    nowSeconds: TS,
    ...over,
  });
}

const INVALID = { ok: false, reason: 'invalid_signature' } as const;

describe('sign', () => {
  it('matches an HMAC computed independently with node:crypto', () => {
    const expected = createHmac('sha256', KEY)
      .update(`${ID}.${TS}.${BODY.toString('utf8')}`)
      .digest('base64');
    expect(sign(KEY, ID, TS, BODY)).toBe(`v1,${expected}`);
    expect(sign(KEY, ID, String(TS), BODY.toString('utf8'))).toBe(`v1,${expected}`);
    expect(expected).toHaveLength(44);
  });

  it('reproduces the Standard Webhooks reference vector', () => {
    const key = parseSigningSecret(REF_SECRET);
    expect(key).not.toBeNull();
    expect(key!.length).toBe(24);
    expect(sign(key!, REF_ID, REF_TS, REF_BODY)).toBe(REF_SIG);
    expect(sign(key!, REF_ID, String(REF_TS), Buffer.from(REF_BODY))).toBe(REF_SIG);
  });
});

describe('verifySignature', () => {
  it('accepts the reference vector', () => {
    const key = parseSigningSecret(REF_SECRET)!;
    expect(
      verifySignature({
        keys: [key],
        webhookId: REF_ID,
        timestamp: String(REF_TS),
        signatureHeader: REF_SIG,
        rawBody: Buffer.from(REF_BODY),
        nowSeconds: REF_TS,
      }),
    ).toEqual({ ok: true });
  });

  it('accepts a valid delivery', () => {
    expect(verify()).toEqual({ ok: true });
  });

  it('uses the current clock when nowSeconds is not given', () => {
    const now = String(Math.floor(Date.now() / 1000));
    expect(
      verify({ timestamp: now, nowSeconds: undefined, signatureHeader: sign(KEY, ID, now, BODY) }),
    ).toEqual({ ok: true });
  });

  it.each([
    ['webhook-id missing', { webhookId: undefined }],
    ['webhook-id null', { webhookId: null }],
    ['webhook-id empty', { webhookId: '' }],
    ['webhook-id over 200 characters', { webhookId: 'x'.repeat(201) }],
    ['timestamp missing', { timestamp: undefined }],
    ['timestamp null', { timestamp: null }],
    ['timestamp empty', { timestamp: '' }],
    ['signature missing', { signatureHeader: undefined }],
    ['signature null', { signatureHeader: null }],
    ['signature empty', { signatureHeader: '' }],
    ['signature only spaces', { signatureHeader: '   ' }],
  ])('%s → missing_headers', (_name, over) => {
    expect(verify(over)).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it('accepts a webhook-id of exactly 200 characters', () => {
    const id = 'i'.repeat(200);
    expect(verify({ webhookId: id, signatureHeader: sign(KEY, id, TS, BODY) })).toEqual({
      ok: true,
    });
  });

  it.each([
    '12a',
    '-5',
    '1e9',
    '+1700000000',
    ' 1700000000',
    '1700000000 ',
    '1700000000.0',
    '0x65',
    '99999999999',
    '١٧٠٠٠٠٠٠٠٠',
    '9'.repeat(400),
  ])('timestamp %j → invalid_timestamp', (timestamp) => {
    expect(verify({ timestamp })).toEqual({ ok: false, reason: 'invalid_timestamp' });
  });

  it('allows exactly ±300 s and rejects 301 s either way', () => {
    expect(TOLERANCE_SECONDS).toBe(300);
    const at = (nowSeconds: number) => verify({ nowSeconds });
    expect(at(TS + 300)).toEqual({ ok: true });
    expect(at(TS - 300)).toEqual({ ok: true });
    expect(at(TS + 301)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(at(TS - 301)).toEqual({ ok: false, reason: 'future_timestamp' });
    expect(at(TS + 86_400)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('checks the timestamp before the signature', () => {
    expect(verify({ signatureHeader: 'v1,nonsense', nowSeconds: TS + 1000 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it.each([
    ['v1, with nothing', 'v1,'],
    ['no comma', 'v1'],
    ['no version', () => expectedSig(KEY, ID, String(TS), BODY)],
    ['truncated', () => `v1,${expectedSig(KEY, ID, String(TS), BODY).slice(0, 40)}`],
    ['padding dropped', () => `v1,${expectedSig(KEY, ID, String(TS), BODY).slice(0, 43)}`],
    ['non-base64 characters', () => `v1,${expectedSig(KEY, ID, String(TS), BODY).slice(0, 42)}!=`],
    [
      'base64url alphabet',
      () => `v1,${expectedSig(KEY, ID, String(TS), BODY).replace(/\+/g, '-').replace(/\//g, '_')}`,
    ],
    [
      'wrong length (33 bytes)',
      () =>
        `v1,${Buffer.concat([Buffer.from(expectedSig(KEY, ID, String(TS), BODY), 'base64'), Buffer.from([0])]).toString('base64')}`,
    ],
    [
      'wrong length (16 bytes)',
      () =>
        `v1,${Buffer.from(expectedSig(KEY, ID, String(TS), BODY), 'base64')
          .subarray(0, 16)
          .toString('base64')}`,
    ],
    ['v2 prefix only', () => `v2,${expectedSig(KEY, ID, String(TS), BODY)}`],
    ['V1 upper case', () => `V1,${expectedSig(KEY, ID, String(TS), BODY)}`],
    ['v1a prefix', () => `v1a,${expectedSig(KEY, ID, String(TS), BODY)}`],
    [
      'junk character embedded',
      () => `v1,${expectedSig(KEY, ID, String(TS), BODY).replace(/^(.{10})/, '$1*')}`,
    ],
    ['signature of another key', () => sign(OTHER_KEY, ID, TS, BODY)],
    ['signature for another id', () => sign(KEY, 'msg_other', TS, BODY)],
    ['signature for another timestamp', () => sign(KEY, ID, TS + 1, BODY)],
    ['all zero bytes', `v1,${Buffer.alloc(32).toString('base64')}`],
  ])('%s → invalid_signature', (_name, header) => {
    const signatureHeader = typeof header === 'function' ? header() : header;
    expect(verify({ signatureHeader })).toEqual(INVALID);
  });

  it('accepts when only the second of several entries matches', () => {
    const good = sign(KEY, ID, TS, BODY);
    expect(
      verify({ signatureHeader: `v1,${Buffer.alloc(32, 7).toString('base64')} ${good}` }),
    ).toEqual({ ok: true });
    expect(verify({ signatureHeader: `v2,abc ${good} v1,garbage` })).toEqual({ ok: true });
    expect(verify({ signatureHeader: `v1a,x v1, ${good}` })).toEqual({ ok: true });
  });

  it('tolerates extra spaces, tabs and surrounding whitespace between entries', () => {
    const good = sign(KEY, ID, TS, BODY);
    const bad = sign(OTHER_KEY, ID, TS, BODY);
    expect(verify({ signatureHeader: `   ${bad}    ${good}   ` })).toEqual({ ok: true });
    expect(verify({ signatureHeader: `${bad}\t${good}` })).toEqual({ ok: true });
  });

  it('rejects a body changed by one byte', () => {
    for (const i of [0, 10, BODY.length - 1]) {
      const changed = Buffer.from(BODY);
      changed[i] = changed[i]! ^ 0x01;
      expect(verify({ rawBody: changed })).toEqual(INVALID);
    }
    expect(verify({ rawBody: Buffer.concat([BODY, Buffer.from(' ')]) })).toEqual(INVALID);
    expect(verify({ rawBody: BODY.subarray(0, BODY.length - 1) })).toEqual(INVALID);
  });

  it('rejects the same JSON re-serialised differently', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(BODY.toString('utf8')), null, 1));
    expect(verify({ rawBody: reserialised })).toEqual(INVALID);
  });

  it('accepts the previous key during rotation, and any key order', () => {
    const header = sign(OTHER_KEY, ID, TS, BODY);
    expect(verify({ keys: [KEY, OTHER_KEY], signatureHeader: header })).toEqual({ ok: true });
    expect(verify({ keys: [OTHER_KEY, KEY] })).toEqual({ ok: true });
    expect(verify({ keys: [KEY], signatureHeader: header })).toEqual(INVALID);
  });

  it('rejects when there are no keys, and ignores empty keys', () => {
    expect(verify({ keys: [] })).toEqual(INVALID);
    const emptyKeySig = sign(Buffer.alloc(0), ID, TS, BODY);
    expect(verify({ keys: [Buffer.alloc(0)], signatureHeader: emptyKeySig })).toEqual(INVALID);
  });

  it('signs and verifies raw non-UTF-8 bytes exactly', () => {
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x7b, 0x7d, 0xe6]);
    const header = `v1,${expectedSig(KEY, ID, String(TS), body)}`;
    expect(sign(KEY, ID, TS, body)).toBe(header);
    expect(verify({ rawBody: body, signatureHeader: header })).toEqual({ ok: true });
    // Decoding as UTF-8 and back loses the bytes: that signature must not match the raw body.
    const lossy = Buffer.from(body.toString('utf8'), 'utf8');
    expect(lossy.equals(body)).toBe(false);
    expect(
      verify({ rawBody: body, signatureHeader: `v1,${expectedSig(KEY, ID, String(TS), lossy)}` }),
    ).toEqual(INVALID);
  });

  it('signs a webhook-id with non-ASCII characters as UTF-8', () => {
    const id = 'msg_æøå';
    expect(
      verify({ webhookId: id, signatureHeader: `v1,${expectedSig(KEY, id, String(TS), BODY)}` }),
    ).toEqual({ ok: true });
  });

  it('never throws on odd input', () => {
    const odd = [
      { keys: null, webhookId: 1, timestamp: 2, signatureHeader: 3, rawBody: 'str' },
      {
        keys: [null, 'x', KEY],
        webhookId: ID,
        timestamp: String(TS),
        signatureHeader: sign(KEY, ID, TS, BODY),
        rawBody: BODY,
        nowSeconds: TS,
      },
      {
        keys: [KEY],
        webhookId: ID,
        timestamp: String(TS),
        signatureHeader: sign(KEY, ID, TS, BODY),
        rawBody: null,
        nowSeconds: TS,
      },
      {
        keys: [KEY],
        webhookId: ID,
        timestamp: String(TS),
        signatureHeader: `v1,${'A'.repeat(10_000)}`,
        rawBody: BODY,
        nowSeconds: NaN,
      },
    ];
    for (const input of odd) {
      expect(() =>
        verifySignature(input as unknown as Parameters<typeof verifySignature>[0]),
      ).not.toThrow();
    }
    expect(verifySignature(odd[1] as unknown as Parameters<typeof verifySignature>[0])).toEqual({
      ok: true,
    });
    expect(verifySignature(odd[2] as unknown as Parameters<typeof verifySignature>[0])).toEqual(
      INVALID,
    );
  });
});

describe('signing secrets', () => {
  const secretOf = (bytes: number) => `whsec_${Buffer.alloc(bytes, 0xab).toString('base64')}`;

  it.each([
    ['the reference secret (24 bytes, no padding needed)', REF_SECRET, true],
    ['16 bytes (too short)', secretOf(16), false],
    ['23 bytes', secretOf(23), false],
    ['24 bytes', secretOf(24), true],
    ['32 bytes', secretOf(32), true],
    ['64 bytes', secretOf(64), true],
    ['65 bytes', secretOf(65), false],
    ['padding omitted (32 bytes)', secretOf(32).replace(/=+$/, ''), true],
    ['surrounding whitespace', `  ${secretOf(32)}\n`, true],
    ['missing prefix', secretOf(32).slice('whsec_'.length), false],
    ['wrong prefix case', secretOf(32).replace('whsec_', 'WHSEC_'), false],
    ['prefix only', 'whsec_', false],
    ['empty', '', false],
    ['bad base64 character', `whsec_${'A'.repeat(31)}!`, false],
    ['base64url alphabet', `whsec_${Buffer.alloc(32, 0xfb).toString('base64url')}`, false],
    ['inner space', `whsec_${'A'.repeat(20)} ${'A'.repeat(23)}`, false],
    ['impossible length', `whsec_${'A'.repeat(33)}`, false],
    ['too much padding', `${secretOf(32)}==`, false],
  ])('%s → %s', (_name, secret, valid) => {
    expect(isValidSigningSecret(secret)).toBe(valid);
  });

  it('parses the key bytes', () => {
    expect(parseSigningSecret(secretOf(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(parseSigningSecret(REF_SECRET)).toEqual(
      Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'),
    );
    expect(parseSigningSecret('nope')).toBeNull();
    expect(parseSigningSecret('whsec_!!!!')).toBeNull();
    expect(parseSigningSecret('whsec_')).toBeNull();
  });

  it('generates valid, distinct 32-byte secrets', () => {
    const a = generateSigningSecret();
    const b = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(isValidSigningSecret(a)).toBe(true);
    expect(parseSigningSecret(a)!.length).toBe(32);
  });

  it('round-trips: a generated secret signs and verifies', () => {
    const secret = generateSigningSecret();
    const key = parseSigningSecret(secret)!;
    const header = sign(key, ID, TS, BODY);
    expect(
      verifySignature({
        keys: [key],
        webhookId: ID,
        timestamp: String(TS),
        signatureHeader: header,
        rawBody: BODY,
        nowSeconds: TS,
      }),
    ).toEqual({ ok: true });
  });
});
