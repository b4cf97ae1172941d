import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorCode, isWorthRetry } from '@/lib/db-errors';
import { errorFields, loggablePath, log, requestErrorFields } from '@/lib/log';

/** What drizzle throws: the message holds the SQL and its parameters; the driver's error is the cause. */
function drizzleError(code: string) {
  const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
    code,
    detail: 'Key (name)=(Jens Hansen)',
  });
  return Object.assign(
    new Error(
      'Failed query: insert into "customers" ("name") values ($1)\nparams: Jens Hansen,Vestergade 12',
    ),
    { cause },
  );
}

describe('errorCode / errorFields', () => {
  it('gives the SQLSTATE of a wrapped database error and nothing of its message or parameters', () => {
    const fields = errorFields(drizzleError('22021'));
    expect(fields).toEqual({ errorCode: '22021' });
    expect(JSON.stringify(fields)).not.toMatch(/Jens|Vestergade|insert/);
  });

  it('gives a socket code, else the error class, and a Next digest when there is one', () => {
    expect(
      errorCode(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe('ECONNREFUSED');
    expect(errorCode(new TypeError('x of Jens Hansen'))).toBe('TypeError');
    expect(errorCode('a string')).toBe('string');
    expect(errorFields(Object.assign(new Error('secret'), { digest: '1234567' }))).toEqual({
      errorCode: 'Error',
      digest: '1234567',
    });
  });
});

describe('isWorthRetry', () => {
  it.each(['08006', '08001', '53300', '57P01', '57P02', '57P03', '40001', '40P01', '57014'])(
    '%s: retry',
    (code) => {
      expect(isWorthRetry(drizzleError(code))).toBe(true);
    },
  );
  it.each([
    '22021',
    '22001',
    '22P02',
    '23502',
    '23503',
    '23505',
    '23514',
    '42P01',
    '42501',
    'XX000',
  ])('%s: would repeat', (code) => {
    expect(isWorthRetry(drizzleError(code))).toBe(false);
  });
  it('a refused socket is worth a retry; a bug is not', () => {
    expect(isWorthRetry(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isWorthRetry(Object.assign(new Error('x'), { code: 'CONNECTION_CLOSED' }))).toBe(true);
    expect(isWorthRetry(new TypeError('undefined is not a function'))).toBe(false);
  });
});

describe('log lines', () => {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    delete process.env.KLADDE_LOG;
    vi.spyOn(console, 'error').mockImplementation((l: unknown) => void lines.push(String(l)));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env.KLADDE_LOG = 'silent';
  });

  it('an error escaping a request is one JSON line with its code, digest and path — no message, no query', () => {
    const err = Object.assign(drizzleError('23502'), { digest: 'DIGEST-1' });
    log.error(
      'request_failed',
      requestErrorFields(
        err,
        { path: '/customers?q=Jens+Hansen', method: 'POST' },
        { routePath: '/customers', routeType: 'action' },
      ),
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 'error',
      event: 'request_failed',
      errorCode: '23502',
      digest: 'DIGEST-1',
      method: 'POST',
      path: '/customers',
      route: '/customers',
      routeType: 'action',
    });
    expect(lines[0]).not.toMatch(/Jens|Vestergade|params|insert/);
  });

  it("a link page's token never reaches the log: the path keeps the route's placeholder", () => {
    const token = 'YlY1SexImjB_yIgjwXE7r0zB4njrSPeSXcQAc8tilGE';
    for (const [path, logged] of [
      [`/invitation/${token}`, '/invitation/[token]'],
      [`/invitation/${token}?x=1`, '/invitation/[token]'],
      [`/password/reset/${token}`, '/password/reset/[token]'],
      [`/invitation/${token}/more`, '/invitation/[token]/more'],
      ['/invitation/', '/invitation/[token]'],
      [
        '/orders/4b1e0c5e-0000-4000-8000-000000000000',
        '/orders/4b1e0c5e-0000-4000-8000-000000000000',
      ],
    ] as const) {
      expect(loggablePath(path)).toBe(logged);
    }
    log.error(
      'request_failed',
      requestErrorFields(
        new Error('x'),
        { path: `/invitation/${token}`, method: 'POST' },
        { routePath: '/invitation/[token]', routeType: 'action' },
      ),
    );
    expect(lines[0]).not.toContain(token);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      path: '/invitation/[token]',
      route: '/invitation/[token]',
    });
  });

  it('the instrumentation hook writes that line', async () => {
    const { onRequestError } = await import('@/instrumentation');
    await onRequestError(
      drizzleError('22021'),
      { path: '/api/scalepoint/claims?x=1', method: 'POST', headers: {} },
      {
        routerKind: 'App Router',
        routePath: '/api/scalepoint/claims',
        routeType: 'route',
        revalidateReason: undefined,
      },
    );
    expect(JSON.parse(lines[0]!)).toMatchObject({
      event: 'request_failed',
      errorCode: '22021',
      path: '/api/scalepoint/claims',
    });
    expect(lines[0]).not.toContain('Jens');
  });
});
