import { z } from 'zod';

export const PAGE_SIZE = 25;

/**
 * A list's view as it sits in the URL (?q=&sort=&dir=&page=), so it can be shared and reloaded.
 * Anything unknown falls back to the default instead of failing.
 */
export function parseListParams<S extends string>(
  raw: Record<string, string | string[] | undefined>,
  sortKeys: readonly [S, ...S[]],
  defaults: { sort: S; dir: 'asc' | 'desc' },
) {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const q = (one(raw.q) ?? '').trim().slice(0, 100);
  const sort = z.enum(sortKeys).catch(defaults.sort).parse(one(raw.sort));
  const dir = z.enum(['asc', 'desc']).catch(defaults.dir).parse(one(raw.dir));
  const page = z.coerce.number().int().min(1).max(100000).catch(1).parse(one(raw.page));
  return { q, sort, dir, page, pageSize: PAGE_SIZE };
}

export type ListParams<S extends string> = ReturnType<typeof parseListParams<S>>;
