import { describe, expect, it, vi } from 'vitest';
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

  it('lets any other failure through (the framework answers 500), not hidden as a 404', async () => {
    session.actor = support;
    await expect(
      call(async () => {
        throw new Error('database down');
      }, ids),
    ).rejects.toThrow('database down');
  });
});
