import { z } from 'zod';

export const PAGE_SIZE = 25;

/**
 * A list's view (?q=&sort=&dir=&page=) as a schema: a read's input (lib/door.ts) and the URL's
 * parser share it. Anything unknown falls back to the default instead of failing.
 */
export function listViewSchema<S extends string>(
  sortKeys: readonly [S, ...S[]],
  defaults: { sort: S; dir: 'asc' | 'desc' },
) {
  return z.object({
    q: z
      .string()
      .catch('')
      .transform((q) => q.trim().slice(0, 100)),
    sort: z.enum(sortKeys).catch(defaults.sort),
    dir: z.enum(['asc', 'desc']).catch(defaults.dir),
    page: z.coerce.number().int().min(1).max(100000).catch(1),
    pageSize: z.number().int().min(1).max(100).catch(PAGE_SIZE),
  });
}

/** A list's view as it sits in the URL, so it can be shared and reloaded. */
export function parseListParams<S extends string>(
  raw: Record<string, string | string[] | undefined>,
  sortKeys: readonly [S, ...S[]],
  defaults: { sort: S; dir: 'asc' | 'desc' },
) {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return listViewSchema(sortKeys, defaults).parse({
    q: one(raw.q),
    sort: one(raw.sort),
    dir: one(raw.dir),
    page: one(raw.page),
  });
}

export type ListParams<S extends string> = z.output<ReturnType<typeof listViewSchema<S>>>;
