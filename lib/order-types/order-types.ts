import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';
import { orderTypes, scalepointSettings } from '@/db/schema';
import { companyAction, companyActionInSteps, companyRead, refuse } from '@/lib/door';
import { refused } from '@/lib/action-result';
import { isUuid } from '@/lib/ids';
import {
  newOrderTypeSchema,
  ORDER_TYPE_NAME_IN_USE,
  orderTypeIdSchema,
  renameOrderTypeSchema,
} from '@/lib/people/schemas';
import { finishInBackground, RENAME_BUDGET_MS, syncOrderTypeName } from './name-sync';

/**
 * An admin's Ordretyper (docs/people.md): Ny ordretype, Omdøb, Deaktiver / Genaktiver. Names are
 * unique per company ignoring case (order_types_company_name_lower_key). A deactivated type is
 * offered for no new draft or edit, nor as Scalepoint's Standard ordretype, which cannot be
 * deactivated while the module is on: the type's row lock settles a deactivation racing a save of
 * the Scalepoint settings (lib/scalepoint/settings/read.ts takes it too).
 */
export const STANDARD_TYPE_IN_USE =
  'Ordretypen er standard ordretype for Scalepoint, mens modulet er slået til. Vælg en anden standard ordretype først.';

export type OrderTypeRow = {
  id: string;
  name: string;
  active: boolean;
  isScalepointDefault: boolean;
};

/** Ordretyper: the admin's own company's types, active or not, and which one is Scalepoint's Standard ordretype. */
export const listOrderTypes = companyRead(
  { name: 'orderTypes.list', roles: ['admin'] },
  async ({ tx, companyId }): Promise<OrderTypeRow[]> => {
    const rows = await tx
      .select({
        id: orderTypes.id,
        name: orderTypes.name,
        active: orderTypes.active,
        defaultId: scalepointSettings.orderTypeId,
      })
      .from(orderTypes)
      .leftJoin(scalepointSettings, eq(scalepointSettings.companyId, orderTypes.companyId))
      .where(eq(orderTypes.companyId, companyId))
      .orderBy(sql`lower(${orderTypes.name})`, asc(orderTypes.id));
    return rows.map(({ defaultId, ...r }) => ({ ...r, isScalepointDefault: defaultId === r.id }));
  },
);

/** The company's types a new draft or an edit may take: the active ones, by name. */
export async function activeOrderTypes(tx: Db, companyId: string) {
  return tx
    .select({ id: orderTypes.id, name: orderTypes.name })
    .from(orderTypes)
    .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.active, true)))
    .orderBy(sql`lower(${orderTypes.name})`, asc(orderTypes.id));
}

async function nameTaken(
  tx: Db,
  companyId: string,
  name: string,
  except?: string,
): Promise<boolean> {
  const [row] = await tx
    .select({ id: orderTypes.id })
    .from(orderTypes)
    .where(
      and(
        eq(orderTypes.companyId, companyId),
        sql`lower(${orderTypes.name}) = lower(${name})`,
        except ? ne(orderTypes.id, except) : undefined,
      ),
    );
  return !!row;
}

export const createOrderType = companyAction(
  { name: 'orderTypes.create', roles: ['admin'], input: newOrderTypeSchema },
  async ({ tx, companyId, input, audit }) => {
    // Two admins making "Service" and "service" at once: the unique index answers the second.
    // Named columns only: kladde_app may insert company_id and name alone (migration 0011), and
    // drizzle's insert names every column (`default` for the rest), which PostgreSQL refuses.
    const [made] = rowsOf<{ id: string }>(
      await tx.execute(
        sql`insert into ${orderTypes} (company_id, name) values (${companyId}, ${input.name}) on conflict do nothing returning id`,
      ),
    );
    if (!made) return refused({ name: ORDER_TYPE_NAME_IN_USE });
    await audit('order_type.created', { orderTypeId: made.id, name: input.name });
    return { ok: true, message: `Ordretypen ${input.name} er oprettet.` };
  },
);

/** Omdøb: the name commits at once; every order's copy follows in chunks right after (name-sync.ts). */
export const renameOrderType = companyActionInSteps(
  { name: 'orderTypes.rename', roles: ['admin'], input: renameOrderTypeSchema },
  async ({ step, pool, companyId, actor, input }) => {
    if (!isUuid(input.orderTypeId)) refuse(actor, 'orderTypes.rename', companyId);
    const outcome = await step(async (tx, audit) => {
      const [type] = await tx
        .select({ name: orderTypes.name })
        .from(orderTypes)
        .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.id, input.orderTypeId)))
        .for('update');
      if (!type) refuse(actor, 'orderTypes.rename', companyId);
      if (type.name === input.name) return 'unchanged' as const;
      if (await nameTaken(tx, companyId, input.name, input.orderTypeId)) return 'taken' as const;
      // A savepoint: a rename racing a new type of the same name loses to the unique index without
      // aborting the rest of this transaction.
      const renamed = await tx
        .transaction((sp) =>
          sp
            .update(orderTypes)
            .set({ name: input.name, nameSyncPending: true })
            .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.id, input.orderTypeId))),
        )
        .then(
          () => true,
          () => false,
        );
      if (!renamed) return 'taken' as const;
      await audit('order_type.renamed', {
        orderTypeId: input.orderTypeId,
        from: type.name,
        to: input.name,
      });
      return 'renamed' as const;
    });
    if (outcome === 'taken') return refused({ name: ORDER_TYPE_NAME_IN_USE });
    if (outcome === 'unchanged') return { ok: true, message: 'Navnet er uændret.' };
    const sync = await syncOrderTypeName(pool, companyId, input.orderTypeId, {
      budgetMs: RENAME_BUDGET_MS,
    });
    if (sync.done) return { ok: true, message: `Ordretypen hedder nu ${input.name}.` };
    finishInBackground(pool, companyId, input.orderTypeId);
    return {
      ok: true,
      message: `Ordretypen hedder nu ${input.name}. Ordrelisterne viser det nye navn inden for et minut.`,
    };
  },
);

export const deactivateOrderType = companyAction(
  { name: 'orderTypes.deactivate', roles: ['admin'], input: orderTypeIdSchema },
  async ({ tx, companyId, actor, input, audit }) => {
    if (!isUuid(input.orderTypeId)) refuse(actor, 'orderTypes.deactivate', companyId);
    const [type] = await tx
      .select({ name: orderTypes.name, active: orderTypes.active })
      .from(orderTypes)
      .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.id, input.orderTypeId)))
      .for('update');
    if (!type) refuse(actor, 'orderTypes.deactivate', companyId);
    if (!type.active) return { ok: true, message: `${type.name} er allerede deaktiveret.` };
    const [settings] = await tx
      .select({ enabled: scalepointSettings.enabled, orderTypeId: scalepointSettings.orderTypeId })
      .from(scalepointSettings)
      .where(eq(scalepointSettings.companyId, companyId));
    if (settings?.enabled && settings.orderTypeId === input.orderTypeId)
      return { ok: false, message: STANDARD_TYPE_IN_USE };
    await tx
      .update(orderTypes)
      .set({ active: false })
      .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.id, input.orderTypeId)));
    await audit('order_type.deactivated', { orderTypeId: input.orderTypeId, name: type.name });
    return { ok: true, message: `${type.name} er deaktiveret. Ordrer med typen beholder den.` };
  },
);

export const reactivateOrderType = companyAction(
  { name: 'orderTypes.reactivate', roles: ['admin'], input: orderTypeIdSchema },
  async ({ tx, companyId, actor, input, audit }) => {
    if (!isUuid(input.orderTypeId)) refuse(actor, 'orderTypes.reactivate', companyId);
    const [type] = await tx
      .update(orderTypes)
      .set({ active: true })
      .where(and(eq(orderTypes.companyId, companyId), eq(orderTypes.id, input.orderTypeId)))
      .returning({ name: orderTypes.name });
    if (!type) refuse(actor, 'orderTypes.reactivate', companyId);
    await audit('order_type.reactivated', { orderTypeId: input.orderTypeId, name: type.name });
    return { ok: true, message: `${type.name} er aktiv igen.` };
  },
);
