import 'server-only';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers, orderNotes, orders, orderTypes } from '@/db/schema';
import { customerSummary } from '@/lib/customers/numbering';
import { isUuid } from '@/lib/ids';
import { searchPage } from '@/lib/search';
import type { ListParams } from '@/lib/list-params';
import { inCompany } from '@/lib/tenancy';

export const draftSortKeys = ['heading', 'requisitionNumber', 'customerName', 'orderType', 'createdAt'] as const;
export type DraftSortKey = (typeof draftSortKeys)[number];

export type DraftRow = {
  id: string;
  heading: string;
  requisitionNumber: string | null;
  customerName: string;
  orderType: string;
  createdAt: Date;
  source: 'manual' | 'scalepoint';
};

type SearchRow = { id: string; heading: string; requisition_number: string | null; customer_name: string; order_type_name: string; created_at: string | Date; source: 'manual' | 'scalepoint' };

/** One page of a company's order drafts; every clause carries the company id (search: see lib/search.ts). */
export async function listDrafts(db: Db, companyId: string, p: ListParams<DraftSortKey>) {
  return inCompany(db, companyId, async (db) => {
    if (p.q) {
      const d = sql.raw(p.dir);
      const column = sql.raw({ heading: 'heading', requisitionNumber: 'requisition_number', customerName: 'customer_name', orderType: 'order_type_name', createdAt: 'created_at' }[p.sort]);
      const found = await searchPage<SearchRow>(db, 'kladde_draft_search', p.q, sql`${column} ${d}, id ${d}`, { limit: p.pageSize, offset: (p.page - 1) * p.pageSize });
      return {
        total: found.total,
        rows: found.rows.map((r): DraftRow => ({
          id: r.id,
          heading: r.heading,
          requisitionNumber: r.requisition_number,
          customerName: r.customer_name,
          orderType: r.order_type_name,
          createdAt: new Date(r.created_at),
          source: r.source,
        })),
      };
    }
    const filter = and(eq(orders.companyId, companyId), eq(orders.status, 'draft'));

    const direction = p.dir === 'asc' ? asc : desc;
    const column = {
      heading: orders.heading,
      requisitionNumber: orders.requisitionNumber,
      customerName: orders.customerName,
      orderType: orders.orderTypeName,
      createdAt: orders.createdAt,
    }[p.sort];
    // A tie-breaker keeps pages stable when many rows share a value.
    const orderBy = [direction(column), direction(orders.id)];

    const [rows, [total]] = await Promise.all([
      db
        .select({
          id: orders.id,
          heading: orders.heading,
          requisitionNumber: orders.requisitionNumber,
          customerName: orders.customerName,
          orderType: orders.orderTypeName,
          createdAt: orders.createdAt,
          source: orders.source,
        })
        .from(orders)
        .where(filter)
        .orderBy(...orderBy)
        .limit(p.pageSize)
        .offset((p.page - 1) * p.pageSize),
      db.select({ count: sql<number>`count(*)::int` }).from(orders).where(filter),
    ]);
    return { rows: rows as DraftRow[], total: total?.count ?? 0 };
  });
}

/** One order of the company with its customer, type and notes; null when it is not the company's. */
export async function getOrder(db: Db, companyId: string, orderId: string) {
  if (!isUuid(orderId)) return null;
  return inCompany(db, companyId, async (db) => {
    const [order] = await db
      .select({
        id: orders.id,
        status: orders.status,
        heading: orders.heading,
        requisitionNumber: orders.requisitionNumber,
        workDescription: orders.workDescription,
        orderType: orderTypes.name,
        source: orders.source,
        scalepointCaseNumber: orders.scalepointCaseNumber,
        createdAt: orders.createdAt,
        installationStreet: orders.installationStreet,
        installationHouseNumber: orders.installationHouseNumber,
        installationFloor: orders.installationFloor,
        installationPostalCode: orders.installationPostalCode,
        installationCity: orders.installationCity,
        customer: { ...customerSummary, phone: customers.phone, email: customers.email },
      })
      .from(orders)
      .innerJoin(orderTypes, and(eq(orderTypes.id, orders.orderTypeId), eq(orderTypes.companyId, companyId)))
      .innerJoin(customers, and(eq(customers.id, orders.customerId), eq(customers.companyId, companyId)))
      .where(and(eq(orders.companyId, companyId), eq(orders.id, orderId)))
      .limit(1);
    if (!order) return null;
    const notes = await db
      .select({
        id: orderNotes.id,
        name: orderNotes.name,
        role: orderNotes.role,
        street: orderNotes.street,
        houseNumber: orderNotes.houseNumber,
        floor: orderNotes.floor,
        postalCode: orderNotes.postalCode,
        city: orderNotes.city,
        phone: orderNotes.phone,
        mobile: orderNotes.mobile,
        email: orderNotes.email,
        text: orderNotes.text,
      })
      .from(orderNotes)
      .where(and(eq(orderNotes.companyId, companyId), eq(orderNotes.orderId, orderId)))
      .orderBy(asc(orderNotes.position));
    return { ...order, notes };
  });
}
