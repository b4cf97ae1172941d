import { describe, expect, it } from 'vitest';
import { parseListParams } from '@/lib/list-params';

const keys = ['heading', 'createdAt'] as const;

describe('parseListParams', () => {
  it('reads a shared view from the URL', () => {
    expect(
      parseListParams({ q: ' rør ', sort: 'heading', dir: 'asc', page: '3' }, keys, {
        sort: 'createdAt',
        dir: 'desc',
      }),
    ).toMatchObject({ q: 'rør', sort: 'heading', dir: 'asc', page: 3 });
  });
  it('falls back on anything unknown instead of failing', () => {
    expect(
      parseListParams({ sort: 'password_hash', dir: 'sideways', page: '-4' }, keys, {
        sort: 'createdAt',
        dir: 'desc',
      }),
    ).toMatchObject({ q: '', sort: 'createdAt', dir: 'desc', page: 1 });
    expect(
      parseListParams({ page: ['2', '9'], q: 'x'.repeat(500) }, keys, {
        sort: 'createdAt',
        dir: 'desc',
      }).q,
    ).toHaveLength(100);
  });
});
