import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { supportRead, type Read } from '@/lib/door';

/** The route door (app/_server/route.ts): a refusal, a malformed id or nothing found is a bare 404, never a 500. */
const session = vi.hoisted(() => {
  process.env.KLADDE_LOG = 'silent';
  return { actor: null as Actor | null };
});
vi.mock('@/app/_server/auth', () => ({ currentActor: async () => session.actor }));
// A refused or malformed read never opens a transaction: the pool is never asked.
vi.mock('@/db', () => ({
  getDb: async () => ({
    transaction: () => {
      throw new Error('no transaction expected');
    },
  }),
}));

const { routeRead } = await import('@/app/_server/route');
const { pageRead } = await import('@/app/_server/read');

/** The log lines written from here on (the log is otherwise silent in this file). */
function captureLog(): string[] {
  const lines: string[] = [];
  delete process.env.KLADDE_LOG;
  vi.spyOn(console, 'error').mockImplementation((l: unknown) => void lines.push(String(l)));
  return lines;
}
afterEach(() => {
  vi.restoreAllMocks();
  process.env.KLADDE_LOG = 'silent';
});

const support: Actor = {
  userId: '8d7c9a52-4c1e-4c55-9f0e-2f7f4f6f1a01',
  email: 'support@kladde.test',
  name: 'Support',
  role: 'support',
  companyId: null,
  companyName: null,
};
const admin: Actor = {
  ...support,
  role: 'admin',
  companyId: '5b0e3c1a-9d1f-4a6e-8f43-6c2b1d7e9a10',
  companyName: 'Firma',
};
const certificateRead = supportRead(
  { name: 'test.certificate', input: z.object({ companyId: z.uuid(), id: z.uuid() }) },
  async () => 'never',
);
const call = (read: Read<unknown>, params: Record<string, string | string[]>) =>
  routeRead(read, (found) => new Response(String(found)))(new Request('http://x/'), {
    params: Promise.resolve(params),
  });
const ids = { companyId: admin.companyId!, id: support.userId };

describe('routeRead', () => {
  it.each([
    ['signed out', null, ids],
    ['a company admin', admin, ids],
    ['support with a malformed id', support, { companyId: 'nope', id: support.userId }],
    ['support with an injected id', support, { companyId: "'; drop table users; --", id: 'x' }],
    ['support with an array', support, { companyId: ['a', 'b'], id: support.userId }],
  ])('answers %s with a bare 404', async (_who, actor, params) => {
    session.actor = actor;
    const res = await call(certificateRead, params);
    expect(res.status).toBe(404);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.text()).toBe('Not Found');
  });

  it('answers nothing found (null) with 404 and what was found with the answer', async () => {
    session.actor = support;
    expect((await call(async () => null, ids)).status).toBe(404);
    const res = await call(async (_db, _actor, input) => JSON.stringify(input), ids);
    expect(res.status).toBe(200);
    expect(JSON.parse(await res.text())).toEqual(ids);
  });

  it('answers any other failure with a plain Danish 500 and logs only its code', async () => {
    session.actor = support;
    const lines = captureLog();
    const res = await call(async () => {
      throw new TypeError('bug with Hostile Kunde in it');
    }, ids);
    expect(res.status).toBe(500);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.text()).toBe('Noget gik galt. Prøv igen.');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { event: 'route_failed', errorCode: 'TypeError' },
    ]);
    expect(lines.join('\n')).not.toContain('Hostile');
  });
});

describe('pageRead', () => {
  it('rethrows any other failure carrying only its code, and logs only the code', async () => {
    session.actor = support;
    const lines = captureLog();
    const thrown = await pageRead(async () => {
      throw new TypeError('bug with Hostile Kunde in it');
    }).catch((e: unknown) => e as Error);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown.message).toBe("The page's read failed (TypeError).");
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { event: 'page_read_failed', errorCode: 'TypeError' },
    ]);
    expect(lines.join('\n')).not.toContain('Hostile');
  });
});
