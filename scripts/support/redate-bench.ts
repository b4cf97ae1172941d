/**
 * Gem frister's re-date at scale (docs/performance.md, "Gem frister: the re-date"), for
 * `npm run bench` and `npm run bench:redate`: one company with N open Scalepoint cases (default
 * 100,000: 60% drafts, 20% Ny, 20% I gang, half of those with Kunde kontaktet recorded), each
 * with its clocks at the default Frister, filled by one generate_series. Then its admin saves new
 * Frister through the real operation (`saveDeadlines`, the function the form calls): the hours,
 * the audit row, and the re-date of every open case in chunks. Timed to its answer, beside the
 * target (< 10 s), on the embedded database (PGlite, in a data directory on disk, as the app
 * runs it) and on PostgreSQL. While it runs, a page's read (one order by id, through the
 * company door) every 20 ms measures how long others wait; on the embedded database's one
 * connection that is the longest chunk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { migrate, openPglite, rowsOf, type Database, type Db } from '@/db/client';
import { createThrowawayDatabase, postgresReachable } from '@/db/throwaway';
import { loadActor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { REDATE_CHUNK } from '@/lib/scalepoint/deadlines/clocks';
import { redateCompany } from '@/lib/scalepoint/deadlines/redate';
import { saveDeadlines } from '@/lib/scalepoint/deadlines/save';
import { DEADLINE_ANSWER } from '@/lib/scalepoint/deadlines/words';
import { inCompany } from '@/lib/tenancy';
import { fmt } from './harness';

const TARGET_MS = 10_000;

export type RedateFigures = {
  engine: 'embedded (PGlite)' | 'PostgreSQL';
  cases: number;
  seedMs: number;
  /** Gem frister to its answer: step 1 and the re-date of every open case. */
  saveMs: number;
  changed: number;
  /** redateCompany again with nothing to change: the walk alone. */
  walkMs: number;
  /** The longest wait of a page's read during the save, and how many reads got through. */
  longestReadMs: number;
  reads: number;
};

async function seedCompany(db: Db, cases: number) {
  const [company] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into companies (name, cvr) values ('Bench Frister ApS', '39100001') returning id`,
    ),
  );
  const companyId = company!.id;
  const [admin] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into users (email, name, password_hash, role, company_id) values ('admin@frister.bench', 'Bench Admin', ${await hashPassword('bench-frister-1234')}, 'admin', ${companyId}) returning id`,
    ),
  );
  const [type] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into order_types (company_id, name) values (${companyId}, 'Forsikring') returning id`,
    ),
  );
  const [customer] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into customers (company_id, customer_number, name, name_key) values (${companyId}, '1', 'Kunde 1', 'kunde 1') returning id`,
    ),
  );
  await db.execute(
    sql`insert into scalepoint_settings (company_id, enabled, order_type_id) values (${companyId}, true, ${type!.id})`,
  );
  // A case every 30 seconds back in time, the newest first; each with the default Frister.
  await db.execute(sql`
    insert into orders (company_id, status, order_number, order_type_id, order_type_name, heading, requisition_number,
                        customer_id, customer_name, source, scalepoint_case_number, created_at,
                        contact_due_at, inspection_due_at, contact_stopped_at)
    select ${companyId}, x.status, case when x.status = 'draft' then null else g end, ${type!.id}, 'Forsikring',
           'Scalepoint – SP-' || g, 'SP-' || g, ${customer!.id}, 'Kunde 1', 'scalepoint', 'SP-' || g, x.at,
           x.at + interval '24 hours', x.at + interval '72 hours',
           case when x.status = 'in_progress' and g % 2 = 0 then x.at + interval '3 hours' end
    from generate_series(1, ${cases}) g,
         lateral (select case when g % 5 < 3 then 'draft' when g % 5 = 3 then 'new' else 'in_progress' end as status,
                         now() - make_interval(secs => g * 30) as at) x`);
  await db.execute(sql`analyze`);
  return { companyId, adminId: admin!.id };
}

/**
 * A page's read every 20 ms until stopped: one order by id through the company door. Its wait is
 * counted from when it was due, so a turn of the event loop held up (the embedded database runs
 * on this thread) counts as well as a wait for the database.
 */
async function readLoop(db: Db, companyId: string) {
  const [one] = rowsOf<{ id: string }>(
    await db.execute(
      sql`select id from orders where company_id = ${companyId} order by id limit 1`,
    ),
  );
  let stop = false;
  let longest = 0;
  let reads = 0;
  const done = (async () => {
    while (!stop) {
      const due = performance.now() + 20;
      await new Promise((r) => setTimeout(r, 20));
      await inCompany(db, companyId, (tx) =>
        tx.execute(sql`select heading from orders where id = ${one!.id}`),
      );
      longest = Math.max(longest, performance.now() - due);
      reads++;
    }
  })();
  return { stop: async () => ((stop = true), await done, { longest, reads }) };
}

async function measure(
  database: Database,
  engine: RedateFigures['engine'],
  cases: number,
): Promise<RedateFigures> {
  const db = database.db;
  const s0 = performance.now();
  const { companyId, adminId } = await seedCompany(db, cases);
  const seedMs = performance.now() - s0;
  const admin = await loadActor(db, adminId);

  const reader = await readLoop(db, companyId);
  const t0 = performance.now();
  const result = await saveDeadlines(db, admin, { contactHours: 12, inspectionHours: 48 });
  const saveMs = performance.now() - t0;
  const { longest, reads } = await reader.stop();
  if (!result.ok) throw new Error(`Gem frister refused: ${result.message}`);

  const [check] = rowsOf<{ stale: number }>(
    await db.execute(sql`select count(*)::int as stale from orders where company_id = ${companyId}
        and (inspection_due_at <> created_at + interval '48 hours'
             or (contact_stopped_at is null and contact_due_at <> created_at + interval '12 hours'))`),
  );
  if (check!.stale !== 0) throw new Error(`${check!.stale} open cases kept their old deadlines`);
  // Every case changed: each has a running visit clock.
  if (result.message !== DEADLINE_ANSWER.saved(cases))
    throw new Error(`unexpected answer: ${result.message}`);

  const w0 = performance.now();
  const again = await redateCompany(db, companyId);
  const walkMs = performance.now() - w0;
  if (again !== 0) throw new Error(`a second re-date changed ${again} cases`);
  return {
    engine,
    cases,
    seedMs,
    saveMs,
    changed: cases,
    walkMs,
    longestReadMs: longest,
    reads,
  };
}

/** The embedded database in a data directory of its own (removed afterwards), as `npm run dev` keeps it. */
async function embedded(cases: number): Promise<RedateFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-redate-'));
  const database = await openPglite(path.join(dir, 'pglite'), { as: 'owner' });
  try {
    await migrate(database);
    return await measure(database, 'embedded (PGlite)', cases);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function server(cases: number): Promise<RedateFigures> {
  const database = await createThrowawayDatabase({ name: 'kladde_bench_redate', max: 4 });
  try {
    return await measure(database, 'PostgreSQL', cases);
  } finally {
    await database.drop();
  }
}

/** Both engines (PostgreSQL when reachable), reported as a table beside the target. */
export async function redateAtScale(
  say: (line?: string) => void,
  cases = 100_000,
): Promise<RedateFigures[]> {
  const figures = [await embedded(cases)];
  if (await postgresReachable()) figures.push(await server(cases));
  else say('(PostgreSQL not reachable: the embedded database only.)');
  say();
  say(
    `## Gem frister at ${cases.toLocaleString('en')} open Scalepoint cases (re-dated in chunks of ${REDATE_CHUNK.toLocaleString('en')})`,
  );
  say();
  say(
    '| database | Gem frister → answer, ms | target | cases re-dated | the walk alone, ms | a page read meanwhile: longest wait, ms (reads) | filling the rows, ms |',
  );
  say('|---|---|---|---|---|---|---|');
  for (const f of figures)
    say(
      `| ${f.engine} | ${fmt(f.saveMs, 0)} | < ${TARGET_MS.toLocaleString('en')}: ${f.saveMs < TARGET_MS ? 'met' : '**not met**'} | ${f.changed.toLocaleString('en')} | ${fmt(f.walkMs, 0)} | ${fmt(f.longestReadMs, 0)} (${f.reads}) | ${fmt(f.seedMs, 0)} |`,
    );
  return figures;
}
