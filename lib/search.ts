import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';

/** Escape LIKE wildcards so a search for "50%" means the characters, not a pattern. */
export function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A page of a company search through its SECURITY DEFINER search function (see migrations
 * 0004, 0005): the function is confined to the transaction's company, so call it inside inCompany.
 * One execution gives the page and the total (a window count).
 */
export async function searchPage<Row>(
  db: Db,
  fn: 'kladde_order_search' | 'kladde_customer_search',
  q: string,
  orderBy: SQL,
  page: { limit: number; offset: number },
  /** Further arguments of the function after the pattern (kladde_order_search: the statuses). */
  args?: SQL,
): Promise<{ rows: Row[]; total: number }> {
  const pattern = likeContains(q);
  const source = args ? sql`${sql.raw(fn)}(${pattern}, ${args})` : sql`${sql.raw(fn)}(${pattern})`;
  const rows = rowsOf<Row & { total: number }>(
    await db.execute(
      sql`select s.*, count(*) over ()::int as total from ${source} s order by ${orderBy} limit ${page.limit} offset ${page.offset}`,
    ),
  );
  if (rows.length > 0) return { rows, total: Number(rows[0]!.total) };
  if (page.offset === 0) return { rows: [], total: 0 };
  // Past the last page: the window count has no row to ride on.
  const [count] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from ${source}`),
  );
  return { rows: [], total: Number(count?.n ?? 0) };
}
