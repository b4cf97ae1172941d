/**
 * `npm run bench`, Events API drain (docs/performance.md, "Events API drain"; issue 13): a backlog
 * of N distinct `repair_service_requested` events on the local Scalepoint (tools/stand-ins/scalepoint),
 * drained by a real `next start`'s own receiver (lib/scalepoint/events/poller.ts) into drafts.
 *
 * The server must have been started with {@link eventsDrainServerEnv} (its Scalepoint hosts point at
 * the sandbox's port); the bench passes its server A, so the drain and the direct intake are measured
 * in the same process. Without one, a server is started on port 3401 for the drain alone.
 * The connection is made the way support makes it (saveConnection, Hent certifikat) and deleted
 * afterwards (Slet forbindelse), so nothing polls it after the drain.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@/db/client';
import { scalepointConnections, users } from '@/db/schema';
import { loadActor } from '@/lib/auth/actor';
import {
  connectionCertificate,
  deleteConnection,
  saveConnection,
} from '@/lib/scalepoint/support/connections';
import { freshEvent } from '@/tools/stand-ins/scalepoint/sample-events';
import { startScalepointStandIn } from '@/tools/stand-ins/scalepoint/server';
import { asSystem } from '@/lib/tenancy';
import { rssTreeMb, type Server } from './harness';

export const EVENTS_STAND_IN_PORT = 3451;
const TENANT = 'bench-drain';
const CLIENT_ID = 'kladde-bench-drain';

/** What a server needs in its environment to poll the drain's local Scalepoint. */
export function eventsDrainServerEnv(standInPort = EVENTS_STAND_IN_PORT): Record<string, string> {
  const url = `http://127.0.0.1:${standInPort}`;
  return { SCALEPOINT_ACCOUNTS_URL: url, SCALEPOINT_API_URL: url };
}

export type EventsDrainResult = {
  events: number;
  /** From the connection becoming active (the poller took its lease) to the last event recorded. */
  seconds: number;
  perSecond: number;
  /** From the connection becoming active to the first draft. */
  firstDraftMs: number;
  /** From support saving the connection to the poller taking its lease (the supervisor's refresh). */
  discoveryMs: number;
  drafts: number;
  /** Deliveries not 'created', plus extra drafts for a case; 0 when every event became exactly one draft. */
  duplicatesOrFailures: number;
  rssPeakMb: number;
  /** Which server drained (port), for the table. */
  port: number;
};

/** Danish damage causes for the backlog, so the drafts are not all alike. */
const DAMAGES: [string, string][] = [
  ['Vandskade', 'Udsivning fra vaskemaskine'],
  ['Vandskade', 'Frostsprængt rør i kælder'],
  ['Stormskade', 'Tagsten blæst af'],
  ['Brandskade', 'Kortslutning i elinstallation'],
  ['Rørskade', 'Utæt faldstamme'],
  ['Skybrud', 'Opstigende kloakvand'],
];

export async function eventsDrain(input: {
  /** The owner's pool of the bench's database (scripts read through asSystem(…, 'maintenance')). */
  database: Database;
  url: string;
  startServer: (port: number, env: Record<string, string>) => Promise<Server>;
  /** A server started with eventsDrainServerEnv(); else one is started on `port`. */
  server?: Server;
  port?: number;
  events?: number;
  /** The company the connection is made for (the bench's Demo VVS). */
  companyId: string;
}): Promise<EventsDrainResult> {
  const { database, companyId } = input;
  const db = database.db;
  const total = input.events ?? Number(process.env.BENCH_EVENTS ?? 5000);
  const standIn = await startScalepointStandIn({ port: EVENTS_STAND_IN_PORT, holdMs: 30_000 });
  const server =
    input.server ??
    (await input.startServer(input.port ?? 3401, {
      DATABASE_URL: input.url,
      ...eventsDrainServerEnv(),
    }));
  try {
    // The backlog, published before the connection exists: the poller finds all N waiting.
    const sample = JSON.parse(
      readFileSync(
        path.join(process.cwd(), 'samples/scalepoint/events/repair-service-requested.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const backlog = Array.from({ length: total }, (_, i) => {
      const event = freshEvent(sample, {
        caseNumber: `SP-DRAIN-${String(i + 1).padStart(6, '0')}`,
      });
      const [damageCategory, damageCause] = DAMAGES[i % DAMAGES.length]!;
      Object.assign(event.case as Record<string, unknown>, { damageCategory, damageCause });
      return event;
    });
    for (let i = 0; i < backlog.length; i += 1000)
      standIn.publish(TENANT, backlog.slice(i, i + 1000));

    // Support's setup: Gem forbindelse, then Hent certifikat, registered at (the local) Scalepoint.
    const [supportUser] = await asSystem(db, 'maintenance', (tx) =>
      tx.select({ id: users.id }).from(users).where(eq(users.email, 'support@kladde.dk')),
    );
    const support = await loadActor(db, supportUser!.id);
    const saved = await saveConnection(db, support, {
      companyId,
      clientId: CLIENT_ID,
      tenant: TENANT,
      environment: 'sandbox',
    });
    if (!saved.ok) throw new Error(`could not save the connection: ${saved.message}`);
    const savedAt = performance.now();
    const [connection] = await asSystem(db, 'maintenance', (tx) =>
      tx
        .select({ id: scalepointConnections.id })
        .from(scalepointConnections)
        .where(
          and(
            eq(scalepointConnections.companyId, companyId),
            eq(scalepointConnections.tenant, TENANT),
          ),
        ),
    );
    const certificate = await connectionCertificate(db, support, {
      companyId,
      id: connection!.id,
    });
    standIn.registerCertificate(CLIENT_ID, TENANT, certificate.pem);

    let rssPeakMb = 0;
    const sampler = setInterval(
      () => (rssPeakMb = Math.max(rssPeakMb, rssTreeMb(server.child.pid!))),
      250,
    );
    const counts = async () => {
      const [row] = rowsOf<{ leased: boolean; created: number }>(
        await asSystem(db, 'maintenance', (tx) =>
          tx.execute(sql`select
            exists (select 1 from background_leases where job = 'events-receiver' and key = ${connection!.id}::text) as leased,
            (select count(*)::int from scalepoint_deliveries where company_id = ${companyId} and channel = 'events' and status = 'created') as created`),
        ),
      );
      return { leased: !!row?.leased, created: Number(row?.created ?? 0) };
    };

    // Every 100 ms: when the poller takes the lease (active), the first draft, the last.
    const deadline = Date.now() + Math.max(120_000, total * 40);
    let activeAt: number | undefined;
    let firstAt: number | undefined;
    let doneAt: number | undefined;
    let created = 0;
    while (Date.now() < deadline) {
      const c = await counts();
      const now = performance.now();
      if (c.leased || c.created > 0) activeAt ??= now;
      if (c.created > 0) firstAt ??= now;
      created = c.created;
      if (created >= total) {
        doneAt = now;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    clearInterval(sampler);
    const endAt = doneAt ?? performance.now();
    const started = activeAt ?? savedAt;

    // Exactly one draft per event, one delivery per event.
    const [check] = rowsOf<{
      deliveries: number;
      notCreated: number;
      drafts: number;
      cases: number;
    }>(
      await asSystem(db, 'maintenance', (tx) =>
        tx.execute(sql`select
          (select count(*)::int from scalepoint_deliveries where company_id = ${companyId} and channel = 'events') as deliveries,
          (select count(*)::int from scalepoint_deliveries where company_id = ${companyId} and channel = 'events' and status <> 'created') as "notCreated",
          (select count(*)::int from orders where company_id = ${companyId} and scalepoint_case_number like 'SP-DRAIN-%') as drafts,
          (select count(distinct scalepoint_case_number)::int from orders where company_id = ${companyId} and scalepoint_case_number like 'SP-DRAIN-%') as cases`),
      ),
    );
    const drafts = Number(check?.drafts ?? 0);
    const duplicatesOrFailures =
      Number(check?.notCreated ?? 0) +
      (drafts - Number(check?.cases ?? 0)) +
      Math.max(0, Number(check?.deliveries ?? 0) - total);
    if (drafts !== total || duplicatesOrFailures !== 0 || Number(check?.deliveries) !== total) {
      console.warn(
        `⚠ Events API drain: ${total} events published, ${check?.deliveries} deliveries (${check?.notCreated} not created), ${drafts} drafts for ${check?.cases} cases — NOT exactly one draft per event`,
      );
    }

    await deleteConnection(db, support, { companyId, id: connection!.id });
    const seconds = (endAt - started) / 1000;
    return {
      events: total,
      seconds,
      perSecond: created / seconds,
      firstDraftMs: firstAt === undefined ? NaN : firstAt - started,
      discoveryMs: started - savedAt,
      drafts,
      duplicatesOrFailures,
      rssPeakMb,
      port: server.port,
    };
  } finally {
    if (!input.server) await server.stop();
    await standIn.close();
  }
}
