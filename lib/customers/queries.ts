import 'server-only';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers, orders, orderTypes } from '@/db/schema';
import { likeContains } from '@/lib/text';
import type { ListParams } from '@/lib/list-params';
import { isUuid } from '@/lib/ids';
import { inCompany } from '@/lib/tenancy';

export const customerSortKeys = ['customerNumber', 'name', 'phone', 'address'] as const;
export type CustomerSortKey = (typeof customerSortKeys)[number];

const columns = {
  id: customers.id,
  customerNumber: customers.customerNumber,
  name: customers.name,
  street: customers.street,
  houseNumber: customers.houseNumber,
  floor: customers.floor,
  postalCode: customers.postalCode,
  city: customers.city,
  phone: customers.phone,
  mobile: customers.mobile,
  email: customers.email,
  cvr: customers.cvr,
  createdAt: customers.createdAt,
};

export async function listCustomers(db: Db, companyId: string, p: ListParams<CustomerSortKey>) {
  return inCompany(db, companyId, async (db) => {
    const where: SQL[] = [eq(customers.companyId, companyId)];
    // The same expression as the trigram index customers_search_trgm_idx, so the planner uses it.
    if (p.q) where.push(sql`(name || ' ' || customer_number || ' ' || coalesce(phone,'') || ' ' || coalesce(street,'') || ' ' || coalesce(house_number,'') || ' ' || coalesce(postal_code,'') || ' ' || coalesce(city,'')) ilike ${likeContains(p.q)}`);
    const filter = and(...where);
    const d = p.dir === 'asc' ? asc : desc;
    const orderBy = {
      customerNumber: [d(sql`length(${customers.customerNumber})`), d(customers.customerNumber)],
      name: [d(customers.name), d(customers.id)],
      phone: [d(customers.phone), d(customers.id)],
      address: [d(customers.street), d(customers.houseNumber), d(customers.id)],
    }[p.sort];
    const [rows, [total]] = await Promise.all([
      db.select(columns).from(customers).where(filter).orderBy(...orderBy).limit(p.pageSize).offset((p.page - 1) * p.pageSize),
      db.select({ count: sql<number>`count(*)::int` }).from(customers).where(filter),
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
        heading: orders.heading,
        requisitionNumber: orders.requisitionNumber,
        status: orders.status,
        orderType: orderTypes.name,
        createdAt: orders.createdAt,
      })
      .from(orders)
      .innerJoin(orderTypes, and(eq(orderTypes.id, orders.orderTypeId), eq(orderTypes.companyId, companyId)))
      .where(and(eq(orders.companyId, companyId), eq(orders.customerId, customerId)))
      .orderBy(desc(orders.createdAt))
      .limit(200);
    return { ...customer, orders: customerOrders };
  });
}
