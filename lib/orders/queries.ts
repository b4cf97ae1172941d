import 'server-only';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers, orderNotes, orders, orderTypes } from '@/db/schema';
import { isUuid } from '@/lib/ids';
import { likeContains } from '@/lib/text';
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

// Same expression as the trigram index orders_search_trgm_idx, so the planner can use it.
const searchText = sql`(${orders.heading} || ' ' || coalesce(${orders.requisitionNumber}, '') || ' ' || ${orders.customerName})`;

/** One page of a company's order drafts; every clause carries the company id. */
export async function listDrafts(db: Db, companyId: string, p: ListParams<DraftSortKey>) {
  return inCompany(db, companyId, async (db) => {
    const where: SQL[] = [eq(orders.companyId, companyId), eq(orders.status, 'draft')];
    if (p.q) where.push(sql`${searchText} ilike ${likeContains(p.q)}`);
    const filter = and(...where);

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
        customer: {
          id: customers.id,
          customerNumber: customers.customerNumber,
          name: customers.name,
          street: customers.street,
          houseNumber: customers.houseNumber,
          floor: customers.floor,
          postalCode: customers.postalCode,
          city: customers.city,
          phone: customers.phone,
          email: customers.email,
        },
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
