import { and, desc, eq, isNull, like, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '@/db/client';
import {
  auditLog,
  companies,
  invitations,
  orderTypes,
  scalepointSettings,
  users,
} from '@/db/schema';
import { supportRead } from '@/lib/door';
import { PAGE_SIZE } from '@/lib/list-params';
import { companyUsers } from '@/lib/people/company-users';
import { likeContains } from '@/lib/search';

/**
 * Support's Virksomheder (docs/people.md): every company with its user count, searched by name or
 * CVR (the trigram index companies_search_trgm_idx), sorted by name, paged by the server; and one
 * company's page. Support sees a company's people, never its orders or customers. The list's view:
 * anything unknown falls back to the default (the read's input schema too).
 */
const directoryView = z
  .object({
    q: z
      .string()
      .catch('')
      .transform((q) => q.trim().slice(0, 100)),
    page: z.coerce.number().int().min(1).max(100000).catch(1),
    pageSize: z.number().int().min(1).max(100).catch(PAGE_SIZE),
  })
  .default({ q: '', page: 1, pageSize: PAGE_SIZE });

export type DirectoryView = z.output<typeof directoryView>;

/** The directory's view from the URL (?q=&page=). */
export function parseDirectoryParams(
  raw: Record<string, string | string[] | undefined>,
): DirectoryView {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return directoryView.parse({ q: one(raw.q), page: one(raw.page) });
}

type DirectoryRow = {
  id: string;
  name: string;
  cvr: string;
  created_at: Date | string;
  deactivated_at: Date | string | null;
  users: number | string;
  total: number | string;
};

export const listCompanyDirectory = supportRead(
  { name: 'support.companyDirectory', input: directoryView },
  async ({ tx, input: view }) => {
    const search = view.q ? sql`(c.name || ' ' || c.cvr) ilike ${likeContains(view.q)}` : sql`true`;
    const offset = (view.page - 1) * view.pageSize;
    const rows = rowsOf<DirectoryRow>(
      await tx.execute(sql`
        with page as (
          select c.id, c.name, c.cvr, c.created_at, c.deactivated_at, count(*) over () as total
          from companies c where ${search} order by c.name, c.id limit ${view.pageSize} offset ${offset})
        select p.*, (select count(*) from users u where u.company_id = p.id and u.status <> 'deactivated') as users
        from page p order by p.name, p.id`),
    );
    let total = rows.length ? Number(rows[0]!.total) : 0;
    if (!rows.length && offset > 0) {
      const [count] = rowsOf<{ n: number | string }>(
        await tx.execute(sql`select count(*) as n from companies c where ${search}`),
      );
      total = Number(count?.n ?? 0);
    }
    return {
      total,
      rows: rows.map((r) => ({
        id: r.id,
        name: r.name,
        cvr: r.cvr,
        createdAt: new Date(r.created_at),
        deactivated: r.deactivated_at != null,
        users: Number(r.users),
      })),
    };
  },
);

/**
 * One company for support: its name, CVR, status, people (with any live invitation) and recent
 * changes; null for an unknown id, a malformed one is refused (404).
 */
export const getCompanyForSupport = supportRead(
  { name: 'support.company', input: z.object({ companyId: z.uuid() }) },
  async ({ tx, input: { companyId } }) => {
    const [company] = await tx
      .select({
        id: companies.id,
        name: companies.name,
        cvr: companies.cvr,
        createdAt: companies.createdAt,
        deactivatedAt: companies.deactivatedAt,
      })
      .from(companies)
      .where(eq(companies.id, companyId));
    if (!company) return null;
    const people = await companyUsers(tx, companyId);
    const live = await tx
      .select({
        userId: invitations.userId,
        expiresAt: invitations.expiresAt,
        mailStatus: invitations.mailStatus,
      })
      .from(invitations)
      .where(
        and(
          eq(invitations.companyId, companyId),
          isNull(invitations.usedAt),
          isNull(invitations.voidedAt),
        ),
      );
    const audit = await recentPeopleAudit(tx, companyId);
    return {
      ...company,
      users: people.map((u) => ({ ...u, invitation: live.find((i) => i.userId === u.id) ?? null })),
      audit,
    };
  },
);

/** The changes of people, order types and company details, newest first: who, when, what (the audit log). */
export async function recentPeopleAudit(tx: Db, companyId: string | null, limit = 20) {
  return tx
    .select({
      id: auditLog.id,
      action: auditLog.action,
      details: auditLog.details,
      createdAt: auditLog.createdAt,
      actorRole: auditLog.actorRole,
      actorName: users.name,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(
      and(
        companyId ? eq(auditLog.companyId, companyId) : isNull(auditLog.companyId),
        or(
          like(auditLog.action, 'user.%'),
          like(auditLog.action, 'company.%'),
          like(auditLog.action, 'order_type.%'),
        ),
      ),
    )
    .orderBy(desc(auditLog.createdAt))
    .limit(limit);
}

export type PeopleAuditRow = Awaited<ReturnType<typeof recentPeopleAudit>>[number];

/** The order types a new company starts with (docs/people.md). */
export const STARTING_ORDER_TYPES = ['Service', 'Skadeservice'] as const;

/** Makes a company's rows that every company has: its starting order types and its (off) Scalepoint settings. */
export async function insertCompanyBasics(tx: Db, companyId: string): Promise<void> {
  await tx
    .insert(orderTypes)
    .values(STARTING_ORDER_TYPES.map((name) => ({ companyId, name })))
    .onConflictDoNothing();
  await tx.insert(scalepointSettings).values({ companyId }).onConflictDoNothing();
}
