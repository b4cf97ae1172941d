import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '@/db/client';
import { supportRead } from '@/lib/door';
import { PAGE_SIZE } from '@/lib/list-params';
import { likeContains } from '@/lib/search';
import { integrationStatus } from '../settings/words';

/**
 * Support's list of companies (docs/support-scalepoint.md): searched by name or CVR, filtered,
 * paged by the server. One statement per page: the page of companies is chosen first (the
 * trigram index serves the search, companies_name_idx the order), and only its rows are then
 * joined to their credentials, last mail and connection count.
 */
export const supportFilters = ['all', 'awaiting'] as const;
export type SupportFilter = (typeof supportFilters)[number];

/** The list's view; anything unknown falls back to the default (the read's input schema too). */
const supportListView = z
  .object({
    q: z
      .string()
      .catch('')
      .transform((q) => q.trim().slice(0, 100)),
    filter: z.enum(supportFilters).catch('all'),
    page: z.coerce.number().int().min(1).max(100000).catch(1),
    pageSize: z.number().int().min(1).max(100).catch(PAGE_SIZE),
  })
  .default({ q: '', filter: 'all', page: 1, pageSize: PAGE_SIZE });

export type SupportListView = z.output<typeof supportListView>;

/** The list's view from the URL (?q=&filter=&page=). */
export function parseSupportListParams(
  raw: Record<string, string | string[] | undefined>,
): SupportListView {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return supportListView.parse({ q: one(raw.q), filter: one(raw.filter), page: one(raw.page) });
}

type Row = {
  id: string;
  name: string;
  cvr: string;
  deactivated_at: Date | string | null;
  total: number | string;
  enabled: boolean;
  account_id: string | null;
  secret_last4: string | null;
  stored_at: Date | string | null;
  last_mail_at: Date | string | null;
  connections: number | string;
};

const toDate = (v: Date | string | null) => (v == null ? null : new Date(v));

/**
 * "Afventer adgang": the company asked for access (module on, or the access mail sent) and
 * nothing is stored yet (no credentials and no Events API connection).
 */
const awaitingAccess = sql`(
  (coalesce(s.enabled, false) or exists (select 1 from scalepoint_mails m where m.company_id = c.id and m.kind = 'access_request' and m.status = 'sent'))
  and not exists (select 1 from scalepoint_credentials k where k.company_id = c.id)
  and not exists (select 1 from scalepoint_connections n where n.company_id = c.id))`;

export const listCompaniesForSupport = supportRead(
  { name: 'support.listCompanies', input: supportListView },
  async ({ tx, input: view }) => {
    const search = view.q ? sql`(c.name || ' ' || c.cvr) ilike ${likeContains(view.q)}` : sql`true`;
    const filter = view.filter === 'awaiting' ? awaitingAccess : sql`true`;
    const offset = (view.page - 1) * view.pageSize;
    const pageOf = (limit: number, offsetBy: number) => sql`
    select c.id, c.name, c.cvr, c.deactivated_at, coalesce(s.enabled, false) as enabled, count(*) over () as total
    from companies c left join scalepoint_settings s on s.company_id = c.id
    where ${search} and ${filter}
    order by c.name, c.id
    limit ${limit} offset ${offsetBy}`;
    const rows = rowsOf<Row>(
      await tx.execute(sql`
        with page as (${pageOf(view.pageSize, offset)})
        select p.id, p.name, p.cvr, p.deactivated_at, p.enabled, p.total,
               k.account_id, k.secret_last4, k.stored_at, mail.last_mail_at, conn.connections
        from page p
        left join scalepoint_credentials k on k.company_id = p.id
        left join lateral (select max(m.created_at) as last_mail_at from scalepoint_mails m where m.company_id = p.id and m.kind = 'access_request' and m.status = 'sent') mail on true
        left join lateral (select count(*) as connections from scalepoint_connections n where n.company_id = p.id) conn on true
        order by p.name, p.id`),
    );
    let total = rows.length > 0 ? Number(rows[0]!.total) : 0;
    if (rows.length === 0 && offset > 0) {
      // Past the last page: the window count has no row to ride on.
      const [count] = rowsOf<{ n: number | string }>(
        await tx.execute(
          sql`select count(*) as n from companies c left join scalepoint_settings s on s.company_id = c.id where ${search} and ${filter}`,
        ),
      );
      total = Number(count?.n ?? 0);
    }
    return {
      total,
      rows: rows.map((r) => {
        const connections = Number(r.connections);
        return {
          id: r.id,
          name: r.name,
          cvr: r.cvr,
          deactivated: r.deactivated_at != null,
          accountId: r.account_id,
          secretLast4: r.secret_last4,
          storedAt: toDate(r.stored_at),
          lastMailAt: toDate(r.last_mail_at),
          connections,
          status: integrationStatus(r.enabled, !!r.account_id || connections > 0),
        };
      }),
    };
  },
);
