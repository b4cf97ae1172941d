import 'server-only';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers, orders, orderTypes } from '@/db/schema';
import { searchPage } from '@/lib/search';
import type { ListParams } from '@/lib/list-params';
import { isUuid } from '@/lib/ids';
import { customerSummary } from './numbering';
import { inCompany } from '@/lib/tenancy';

type SearchRow = {
  id: string;
  customer_number: string;
  name: string;
  street: string | null;
  house_number: string | null;
  floor: string | null;
  postal_code: string | null;
  city: string | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  cvr: string | null;
  created_at: string | Date;
};

export const customerSortKeys = ['customerNumber', 'name', 'phone', 'address'] as const;
export type CustomerSortKey = (typeof customerSortKeys)[number];

const columns = {
  ...customerSummary,
  phone: customers.phone,
  mobile: customers.mobile,
  email: customers.email,
  cvr: customers.cvr,
  createdAt: customers.createdAt,
};

export async function listCustomers(db: Db, companyId: string, p: ListParams<CustomerSortKey>) {
  return inCompany(db, companyId, async (db) => {
    if (p.q) {
      const d = sql.raw(p.dir);
      const orderBy = {
        customerNumber: sql`length(customer_number) ${d}, customer_number ${d}`,
        name: sql`name ${d}, id ${d}`,
        phone: sql`phone ${d}, id ${d}`,
        address: sql`street ${d}, house_number ${d}, id ${d}`,
      }[p.sort];
      const found = await searchPage<SearchRow>(db, 'kladde_customer_search', p.q, orderBy, {
        limit: p.pageSize,
        offset: (p.page - 1) * p.pageSize,
      });
      return {
        total: found.total,
        rows: found.rows.map((r) => ({
          id: r.id,
          customerNumber: r.customer_number,
          name: r.name,
          street: r.street,
          houseNumber: r.house_number,
          floor: r.floor,
          postalCode: r.postal_code,
          city: r.city,
          phone: r.phone,
          mobile: r.mobile,
          email: r.email,
          cvr: r.cvr,
          createdAt: new Date(r.created_at),
        })),
      };
    }
    const filter = eq(customers.companyId, companyId);
    const d = p.dir === 'asc' ? asc : desc;
    const orderBy = {
      customerNumber: [d(sql`length(${customers.customerNumber})`), d(customers.customerNumber)],
      name: [d(customers.name), d(customers.id)],
      phone: [d(customers.phone), d(customers.id)],
      address: [d(customers.street), d(customers.houseNumber), d(customers.id)],
    }[p.sort];
    const [rows, [total]] = await Promise.all([
      db
        .select(columns)
        .from(customers)
        .where(filter)
        .orderBy(...orderBy)
        .limit(p.pageSize)
        .offset((p.page - 1) * p.pageSize),
      db
        .select({ count: sql<number>`count(*)::int` })
        .from(customers)
        .where(filter),
    ]);
    return { rows, total: total?.count ?? 0 };
  });
}

export async function getCustomer(db: Db, companyId: string, customerId: string) {
  if (!isUuid(customerId)) return null;
  return inCompany(db, companyId, async (db) => {
    const [customer] = await db
      .select(columns)
      .from(customers)
      .where(and(eq(customers.companyId, companyId), eq(customers.id, customerId)))
      .limit(1);
    if (!customer) return null;
    const customerOrders = await db
      .select({
        id: orders.id,
        orderNumber: orders.orderNumber,
        heading: orders.heading,
        requisitionNumber: orders.requisitionNumber,
        status: orders.status,
        orderType: orderTypes.name,
        createdAt: orders.createdAt,
      })
      .from(orders)
      .innerJoin(
        orderTypes,
        and(eq(orderTypes.id, orders.orderTypeId), eq(orderTypes.companyId, companyId)),
      )
      .where(and(eq(orders.companyId, companyId), eq(orders.customerId, customerId)))
      .orderBy(desc(orders.createdAt))
      .limit(200);
    return { ...customer, orders: customerOrders };
  });
}
