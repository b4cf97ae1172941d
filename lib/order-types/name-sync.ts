import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';
import { orders, orderTypes } from '@/db/schema';
import { log } from '@/lib/log';
import { asSystem, inCompany } from '@/lib/tenancy';

/**
 * Omdøb reaches every order (docs/people.md). Orders keep a copy of their type's name
 * (orders.order_type_name), so every list sorts by an index. A rename commits the new name with
 * `name_sync_pending` set; then the copies are rewritten in chunks of CHUNK orders, each its own
 * short transaction walking orders_type_idx by id, so no approval or intake waits behind
 * 100,000 row locks. The form waits at most RENAME_BUDGET_MS for it; the rest goes on in the
 * background (`finishInBackground`). A sweep (`sweepPendingNames`, every 30 s in the server) finishes what a
 * crash left, so the new name shows everywhere within a minute.
 */
export const CHUNK = 2_000;
/** How long Omdøb's answer waits for the copies before it leaves the rest to the background. */
export const RENAME_BUDGET_MS = 1_500;

/**
 * Rewrites the copies of one type's name, then clears its flag. With `budgetMs` it stops after the
 * chunk that passes the budget (`done: false`, the flag still set) so a form can answer; the rest is
 * finished by another call or the sweep.
 */
export async function syncOrderTypeName(
  db: Db,
  companyId: string,
  orderTypeId: string,
  options: { budgetMs?: number } = {},
): Promise<{ changed: number; done: boolean }> {
  const deadline = options.budgetMs === undefined ? Infinity : performance.now() + options.budgetMs;
  let after = '00000000-0000-0000-0000-000000000000';
  let changed = 0;
  for (;;) {
    const step = await inCompany(db, companyId, async (tx) => {
      const [type] = await tx
        .select({ name: orderTypes.name })
        .from(orderTypes)
        .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.id, orderTypeId)));
      if (!type) return null;
      const rows = rowsOf<{ id: string | null; n: number; seen: number }>(
        await tx.execute(sql`
          with chunk as (
            select id, order_type_name is distinct from ${type.name} as stale from ${orders}
            where company_id = ${companyId} and order_type_id = ${orderTypeId} and id > ${after}
            order by id limit ${CHUNK}),
          done as (
            update ${orders} o set order_type_name = ${type.name}
            from chunk where o.id = chunk.id and chunk.stale and o.company_id = ${companyId}
            returning o.id)
          select (select max(id::text) from chunk) as id, (select count(*) from done)::int as n, (select count(*) from chunk)::int as seen`),
      );
      return rows[0]!;
    });
    if (!step) return { changed, done: true };
    changed += step.n;
    if (!step.id || step.seen < CHUNK) break;
    after = step.id;
    if (performance.now() > deadline) return { changed, done: false };
  }
  // Clear the flag only if no rename came in meanwhile (its own sync will run).
  await inCompany(db, companyId, async (tx) => {
    const stale = await tx
      .select({ id: orders.id })
      .from(orders)
      .innerJoin(orderTypes, eq(orderTypes.id, orders.orderTypeId))
      .where(
        and(
          eq(orders.companyId, companyId),
          eq(orders.orderTypeId, orderTypeId),
          sql`${orders.orderTypeName} is distinct from ${orderTypes.name}`,
        ),
      )
      .limit(1);
    if (!stale.length)
      await tx
        .update(orderTypes)
        .set({ nameSyncPending: false })
        .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.id, orderTypeId)));
  });
  return { changed, done: true };
}

/**
 * The rest of a rename that passed its budget, carried on in this process after the form has its
 * answer; a failure is logged and left to the sweep (the flag stays set).
 */
export function finishInBackground(db: Db, companyId: string, orderTypeId: string): void {
  void syncOrderTypeName(db, companyId, orderTypeId).catch((e: unknown) =>
    log.warn('order_type.name_sync_deferred', {
      orderTypeId,
      error: e instanceof Error ? e.name : String(e),
    }),
  );
}

/** Finishes every rename a crash or a restart left half done. */
export async function sweepPendingNames(db: Db): Promise<number> {
  const pending = await asSystem(db, 'people', (tx) =>
    tx
      .select({ id: orderTypes.id, companyId: orderTypes.companyId })
      .from(orderTypes)
      .where(eq(orderTypes.nameSyncPending, true))
      .limit(100),
  );
  let changed = 0;
  for (const p of pending) {
    try {
      changed += (await syncOrderTypeName(db, p.companyId, p.id)).changed;
    } catch (e) {
      log.error('order_type.name_sync_failed', {
        orderTypeId: p.id,
        error: e instanceof Error ? e.name : String(e),
      });
    }
  }
  return changed;
}

/** How often the background room runs `sweepPendingNames` (lib/background/server.ts). */
export const NAME_SWEEP_EVERY_MS = 30_000;
