import 'server-only';
import { and, asc, eq, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import {
  auditLog,
  customers,
  orderNotes,
  orders,
  orderTypes,
  scalepointDeliveries,
  users,
  type OrderStatus,
} from '@/db/schema';
import { customerSummary } from '@/lib/customers/numbering';
import { companyRead } from '@/lib/door';
import { listViewSchema, type ListParams } from '@/lib/list-params';
import { approvedStatuses } from '@/lib/orders/status';
import { searchPage } from '@/lib/search';
import { clockColumns } from '@/lib/scalepoint/deadlines/clocks';
import { clocksOf, isOverdue } from '@/lib/scalepoint/deadlines/rules';

export const draftSortKeys = [
  'heading',
  'requisitionNumber',
  'customerName',
  'orderType',
  'createdAt',
  'deadline',
] as const;
export type DraftSortKey = (typeof draftSortKeys)[number];
export const orderSortKeys = ['orderNumber', ...draftSortKeys, 'status'] as const;
export type OrderSortKey = (typeof orderSortKeys)[number];

/**
 * The lists over the orders table, each on partial indexes of its own (migrations 0008, 0018,
 * 0020): Ordrekladder, Afviste, Ordrer, Ordrer's filters I gang and Afsluttede (one status each,
 * inside the approved orders' indexes), and Forsinkede of both lists (`drafts_late`,
 * `orders_late`: a Frist passed, on the deadline indexes; docs/deadlines.md).
 */
export const orderLists = [
  'drafts',
  'rejected',
  'orders',
  'in_progress',
  'closed',
  'drafts_late',
  'orders_late',
] as const;
export type OrderList = (typeof orderLists)[number];
const listStatuses: Record<OrderList, readonly OrderStatus[]> = {
  drafts: ['draft'],
  rejected: ['rejected'],
  orders: approvedStatuses,
  in_progress: ['in_progress'],
  closed: ['closed'],
  drafts_late: ['draft'],
  orders_late: approvedStatuses,
};
const lateLists: readonly OrderList[] = ['drafts_late', 'orders_late'];

export type OrderListRow = {
  id: string;
  orderNumber: number | null;
  status: OrderStatus;
  heading: string;
  requisitionNumber: string | null;
  customerName: string;
  orderType: string;
  createdAt: Date;
  source: 'manual' | 'scalepoint';
  missingPolicyholder: boolean;
  scalepointClosedAt: Date | null;
  scalepointCloseReason: string | null;
  /** Frist: the earliest open deadline (null: none), and whether it has passed (Overskredet). */
  deadlineAt: Date | null;
  overdue: boolean;
};

type SearchRow = {
  id: string;
  order_number: number | null;
  status: OrderStatus;
  heading: string;
  requisition_number: string | null;
  customer_name: string;
  order_type_name: string;
  created_at: string | Date;
  source: 'manual' | 'scalepoint';
  missing_policyholder: boolean;
  scalepoint_closed_at: string | Date | null;
  scalepoint_close_reason: string | null;
  deadline_at: string | Date | null;
};

const sortColumn: Record<OrderSortKey, string> = {
  orderNumber: 'order_number',
  heading: 'heading',
  requisitionNumber: 'requisition_number',
  customerName: 'customer_name',
  orderType: 'order_type_name',
  createdAt: 'created_at',
  // In the job's order (Ny, I gang, Afsluttet), not the words' alphabet: orders_approved_rank_idx.
  status: 'status_rank',
  // The empty Frist cells last both ways: orders_*_deadline_idx and orders_*_deadline_desc_idx.
  deadline: 'deadline_at',
};

/** The ORDER BY of a page: the column, then the id as a tie-breaker so pages stay stable. */
function pageOrder(sort: OrderSortKey, dir: 'asc' | 'desc') {
  const column = sql.raw(sortColumn[sort]);
  if (sort === 'deadline')
    return dir === 'asc'
      ? sql`${column} asc nulls last, id asc`
      : sql`${column} desc nulls last, id desc nulls last`;
  const d = sql.raw(dir);
  return sql`${column} ${d}, id ${d}`;
}

/**
 * One page of one of a company's order lists, in the caller's company transaction; every clause
 * carries the company id (search: see lib/search.ts). The status filter is written as literals so
 * the planner can match the list's partial indexes.
 */
async function orderPage(
  db: Db,
  companyId: string,
  list: OrderList,
  p: ListParams<OrderSortKey>,
  now: Date,
): Promise<{ rows: OrderListRow[]; total: number }> {
  const statuses = listStatuses[list];
  const literal = statuses.map((s) => `'${s}'`).join(', ');
  const late = lateLists.includes(list) ? now : null;
  const orderBy = pageOrder(p.sort, p.dir);
  const page = { limit: p.pageSize, offset: (p.page - 1) * p.pageSize };
  if (p.q) {
    // Digits may be an Ordrenr. too (only approved orders have one).
    const orderNo = /^\d{1,9}$/.test(p.q) ? Number(p.q) : null;
    const found = await searchPage<SearchRow>(
      db,
      'kladde_order_search',
      p.q,
      orderBy,
      page,
      sql`${sql.raw(`array[${literal}]::text[]`)}, ${orderNo}::int, ${late?.toISOString() ?? null}::timestamptz`,
    );
    return {
      total: found.total,
      rows: found.rows.map((r) => ({
        id: r.id,
        orderNumber: r.order_number,
        status: r.status,
        heading: r.heading,
        requisitionNumber: r.requisition_number,
        customerName: r.customer_name,
        orderType: r.order_type_name,
        createdAt: new Date(r.created_at),
        source: r.source,
        missingPolicyholder: r.missing_policyholder,
        scalepointClosedAt: r.scalepoint_closed_at ? new Date(r.scalepoint_closed_at) : null,
        scalepointCloseReason: r.scalepoint_close_reason,
        deadlineAt: r.deadline_at ? new Date(r.deadline_at) : null,
        overdue: isOverdue(r.deadline_at ? new Date(r.deadline_at) : null, now),
      })),
    };
  }
  const filter = and(
    eq(orders.companyId, companyId),
    sql.raw(statuses.length === 1 ? `status = ${literal}` : `status in (${literal})`),
    late ? lt(orders.deadlineAt, late) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: orders.id,
        orderNumber: orders.orderNumber,
        status: orders.status,
        heading: orders.heading,
        requisitionNumber: orders.requisitionNumber,
        customerName: orders.customerName,
        orderType: orders.orderTypeName,
        createdAt: orders.createdAt,
        source: orders.source,
        missingPolicyholder: orders.missingPolicyholder,
        scalepointClosedAt: orders.scalepointClosedAt,
        scalepointCloseReason: orders.scalepointCloseReason,
        deadlineAt: orders.deadlineAt,
      })
      .from(orders)
      .where(filter)
      .orderBy(orderBy)
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(orders)
      .where(filter),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, overdue: isOverdue(r.deadlineAt, now) })),
    total: total?.count ?? 0,
  };
}

/** Ordrer's view (and any list's, for tests and the bench); anything unknown is the default. */
const orderListView = listViewSchema(orderSortKeys, { sort: 'orderNumber', dir: 'desc' }).extend({
  list: z.enum(orderLists).catch('orders'),
});
const orderListInput = orderListView.default(orderListView.parse({}));

/** One page of one of the company's order lists (Ordrer by default), for any of its users. */
export const listOrders = companyRead(
  { name: 'orders.list', roles: ['admin', 'member'], input: orderListInput },
  ({ tx, companyId, input: { list, ...view }, now }) => orderPage(tx, companyId, list, view, now),
);

/** Ordrekladder's view: Kladder, Afviste with `list: 'rejected'`, or Forsinkede with `list: 'drafts_late'`. */
const draftListView = listViewSchema(draftSortKeys, { sort: 'createdAt', dir: 'desc' }).extend({
  list: z.enum(['drafts', 'rejected', 'drafts_late']).catch('drafts'),
});
const draftListInput = draftListView.default(draftListView.parse({}));

/** One page of the company's order drafts (or its rejected drafts), for any of its users. */
export const listDrafts = companyRead(
  { name: 'orders.listDrafts', roles: ['admin', 'member'], input: draftListInput },
  ({ tx, companyId, input: { list, ...view }, now }) => orderPage(tx, companyId, list, view, now),
);

/**
 * One order of the company with its customer, type and notes, for any of its users; null when it
 * is not the company's (another company's order is not found, never forbidden).
 */
export const getOrder = companyRead(
  { name: 'orders.get', roles: ['admin', 'member'], input: z.object({ orderId: z.uuid() }) },
  async ({ tx: db, companyId, input: { orderId }, now }) => {
    const [order] = await db
      .select({
        id: orders.id,
        orderNumber: orders.orderNumber,
        heading: orders.heading,
        requisitionNumber: orders.requisitionNumber,
        workDescription: orders.workDescription,
        orderType: orderTypes.name,
        orderTypeId: orders.orderTypeId,
        source: orders.source,
        missingPolicyholder: orders.missingPolicyholder,
        scalepointCloseReason: orders.scalepointCloseReason,
        approvedAt: orders.approvedAt,
        rejectedAt: orders.rejectedAt,
        rejectionReason: orders.rejectionReason,
        scalepointCaseNumber: orders.scalepointCaseNumber,
        scalepointServiceReference: orders.scalepointServiceReference,
        createdAt: orders.createdAt,
        // status, scalepointClosedAt and the clocks (Forløb's deadlines).
        ...clockColumns,
        installationStreet: orders.installationStreet,
        installationHouseNumber: orders.installationHouseNumber,
        installationFloor: orders.installationFloor,
        installationPostalCode: orders.installationPostalCode,
        installationCity: orders.installationCity,
        customer: { ...customerSummary, phone: customers.phone, email: customers.email },
      })
      .from(orders)
      .innerJoin(
        orderTypes,
        and(eq(orderTypes.id, orders.orderTypeId), eq(orderTypes.companyId, companyId)),
      )
      .innerJoin(
        customers,
        and(eq(customers.id, orders.customerId), eq(customers.companyId, companyId)),
      )
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
    const [history, [delivery]] = await Promise.all([
      db
        .select({
          id: auditLog.id,
          action: auditLog.action,
          details: auditLog.details,
          createdAt: auditLog.createdAt,
          actorName: users.name,
        })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorUserId))
        // audit_log.order_id is details.orderId, generated and indexed (migration 0008).
        .where(and(eq(auditLog.companyId, companyId), eq(auditLog.orderId, orderId)))
        .orderBy(asc(auditLog.createdAt), asc(auditLog.id))
        .limit(200),
      db
        .select({
          id: scalepointDeliveries.id,
          messageId: scalepointDeliveries.messageId,
          caseNumber: scalepointDeliveries.caseNumber,
          receivedAt: scalepointDeliveries.receivedAt,
        })
        .from(scalepointDeliveries)
        .where(
          and(
            eq(scalepointDeliveries.companyId, companyId),
            eq(scalepointDeliveries.orderId, orderId),
            eq(scalepointDeliveries.status, 'created'),
          ),
        )
        .limit(1),
    ]);
    // Forløb's deadlines (docs/deadlines.md): each clock the case has, open or met or missed.
    return { ...order, clocks: clocksOf(order, now), notes, history, delivery: delivery ?? null };
  },
);

/**
 * The order types the edit form offers: the company's active ones, and the draft's own type (`keep`)
 * when it is deactivated, named "(deaktiveret)" so it can be kept as it is (docs/people.md).
 */
export const listDraftOrderTypes = companyRead(
  {
    name: 'orders.draftOrderTypes',
    roles: ['admin', 'member'],
    input: z.object({ keep: z.uuid().optional() }).default({}),
  },
  async ({ tx, companyId, input: { keep } }) => {
    const rows = await tx
      .select({ id: orderTypes.id, name: orderTypes.name, active: orderTypes.active })
      .from(orderTypes)
      .where(
        and(
          eq(orderTypes.companyId, companyId),
          keep
            ? or(eq(orderTypes.active, true), eq(orderTypes.id, keep))
            : eq(orderTypes.active, true),
        ),
      )
      .orderBy(asc(orderTypes.name));
    return rows.map((t) => ({ id: t.id, name: t.active ? t.name : `${t.name} (deaktiveret)` }));
  },
);
