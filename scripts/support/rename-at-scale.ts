/**
 * Omdøb at 100,000 orders (docs/people.md), for `npm run bench` and `npm run bench:rename`: one
 * company whose 100,000 orders all have one order type; the admin renames it through the real
 * operation while a second connection keeps touching one of those orders (as an approval or an
 * intake would) every 20 ms. Reports how long the new name took to commit, how long until every
 * order's copy had it, and the longest wait of the concurrent writer — beside one plain UPDATE of
 * all the copies in one transaction, the design the chunks replace.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';
import { loadActor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { renameOrderType } from '@/lib/order-types/order-types';
import { CHUNK } from '@/lib/order-types/name-sync';
import { fmt } from './harness';

const ORDERS = 100_000;

async function seedCompany(db: Db, name: string, cvr: string) {
  const [company] = rowsOf<{ id: string }>(
    await db.execute(sql`insert into companies (name, cvr) values (${name}, ${cvr}) returning id`),
  );
  const companyId = company!.id;
  const [admin] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into users (email, name, password_hash, role, company_id) values (${`admin-${cvr}@rename.bench`}, 'Bench Admin', ${await hashPassword('bench-rename-1234')}, 'admin', ${companyId}) returning id`,
    ),
  );
  const [type] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into order_types (company_id, name) values (${companyId}, 'Service') returning id`,
    ),
  );
  const [customer] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into customers (company_id, customer_number, name, name_key) values (${companyId}, '1', 'Kunde 1', 'kunde 1') returning id`,
    ),
  );
  await db.execute(sql`
    insert into orders (company_id, status, order_type_id, order_type_name, heading, customer_id, customer_name, source, created_at)
    select ${companyId}, 'draft', ${type!.id}, 'Service', 'Opgave ' || g, ${customer!.id}, 'Kunde 1', 'manual', now() - (g || ' seconds')::interval
    from generate_series(1, ${ORDERS}) g`);
  await db.execute(sql`analyze orders`);
  return { companyId, adminId: admin!.id, typeId: type!.id };
}

/** A writer touching one order of the type every 20 ms until stopped; its longest wait. */
function touchLoop(db: Db, companyId: string) {
  let stop = false;
  let longest = 0;
  let writes = 0;
  const done = (async () => {
    const [one] = rowsOf<{ id: string }>(
      await db.execute(
        sql`select id from orders where company_id = ${companyId} order by id desc limit 1`,
      ),
    );
    while (!stop) {
      const t = performance.now();
      await db.transaction(async (tx) => {
        await tx.execute(sql`update orders set heading = heading where id = ${one!.id}`);
      });
      longest = Math.max(longest, performance.now() - t);
      writes++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return { stop: async () => ((stop = true), await done, { longest, writes }) };
}

export async function renameAtScale(db: Db, say: (line?: string) => void) {
  say();
  say(
    `## Omdøb at ${ORDERS.toLocaleString('en')} orders (chunks of ${CHUNK.toLocaleString('en')})`,
  );
  const chunked = await seedCompany(db, 'Bench Omdøb ApS', '39000001');
  const plain = await seedCompany(db, 'Bench Omdøb Plain ApS', '39000002');
  const actor = await loadActor(db, chunked.adminId);

  say(
    '| design | the form answered, ms | name visible, ms | every copy renamed, ms | concurrent writer: longest wait, ms (writes) |',
  );
  say('|---|---|---|---|---|');
  let toucher = touchLoop(db, chunked.companyId);
  const t0 = performance.now();
  // When the new name is visible to another connection (what the order page and the forms read).
  let visibleAt = Number.NaN;
  let renaming = true;
  const watcher = (async () => {
    while (renaming && Number.isNaN(visibleAt)) {
      const [row] = rowsOf<{ name: string }>(
        await db.execute(sql`select name from order_types where id = ${chunked.typeId}`),
      );
      if (row?.name === 'Service og reparation') visibleAt = performance.now() - t0;
      else await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const result = await renameOrderType(db, actor, {
    orderTypeId: chunked.typeId,
    name: 'Service og reparation',
  });
  const answered = performance.now() - t0;
  // The answer comes within its budget; the copies go on in the background until the flag clears.
  for (;;) {
    const [row] = rowsOf<{ pending: boolean }>(
      await db.execute(
        sql`select name_sync_pending as pending from order_types where id = ${chunked.typeId}`,
      ),
    );
    if (!row?.pending) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const total = performance.now() - t0;
  renaming = false;
  await watcher;
  let w = await toucher.stop();
  if (!result.ok) throw new Error(`rename refused: ${result.message}`);
  const [stale] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from orders where company_id = ${chunked.companyId} and order_type_name <> 'Service og reparation'`,
    ),
  );
  if (stale!.n !== 0) throw new Error(`${stale!.n} orders still carry the old name`);
  say(
    `| chunked (Kladde) | ${fmt(answered)} | ${fmt(visibleAt)} | ${fmt(total)} | ${fmt(w.longest)} (${w.writes}) |`,
  );

  toucher = touchLoop(db, plain.companyId);
  const t1 = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update order_types set name = 'Service og reparation' where id = ${plain.typeId}`,
    );
    await tx.execute(
      sql`update orders set order_type_name = 'Service og reparation' where company_id = ${plain.companyId} and order_type_id = ${plain.typeId}`,
    );
  });
  const plainMs = performance.now() - t1;
  w = await toucher.stop();
  say(
    `| one UPDATE in one transaction | ${fmt(plainMs)} | ${fmt(plainMs)} | ${fmt(plainMs)} | ${fmt(w.longest)} (${w.writes}) |`,
  );
}
