/**
 * npm run bench:intake — the intake's database work alone, in-process (no build, no server):
 * PROBE_CLAIMS distinct signed claims (default 1000) through the account look-up, the signature
 * check and recordAndApplyDelivery at concurrency 1, 8 and 32, over a pool opened as the app
 * opens it. A quick before/after for docs/performance.md; `npm run bench` is the full picture.
 */
import { sql } from 'drizzle-orm';
import { openPostgres, rowsOf } from '@/db/client';
import { lookupIntakeAccount } from '@/lib/scalepoint/intake/account';
import { outcomeCode, recordAndApplyDelivery } from '@/lib/scalepoint/intake/apply-delivery';
import { outcomes } from '@/lib/scalepoint/intake/words';
import { verifySignature } from '@/lib/scalepoint/intake/signature';
import { asSystem } from '@/lib/tenancy';
import {
  activateDemoVvs,
  dropDatabase,
  fmt,
  freshDatabase,
  runLoad,
  sampleClaim,
  signedHeaders,
} from './support/harness';

const CLAIMS = Number(process.env.PROBE_CLAIMS ?? 1000);
const DB_NAME = process.env.PROBE_DB ?? 'kladde_intake_probe';

const { url, database } = await freshDatabase(DB_NAME);
const account = await activateDemoVvs(database, {
  customerMode: 'policyholder',
  phoneAsCustomerNumber: false,
});
const app = await openPostgres(url, { max: 10 });
let seq = 0;
const claim = async () => {
  const i = seq++;
  const raw = Buffer.from(JSON.stringify(sampleClaim(`SP-PROBE-${i}`, i)));
  const headers = signedHeaders(account, raw, `msg_probe_${i}`);
  const keys = await lookupIntakeAccount(app.db, account.accountId);
  const ok = verifySignature({
    keys: keys!.keys,
    webhookId: headers['webhook-id'],
    timestamp: headers['webhook-timestamp'],
    signatureHeader: headers['webhook-signature'],
    rawBody: raw,
  });
  if (!ok.ok) return 'unsigned';
  const json = JSON.parse(raw.toString()) as unknown;
  const o = await recordAndApplyDelivery(
    app.db,
    {
      companyId: keys!.companyId,
      channel: 'direct',
      accountId: account.accountId,
      messageId: headers['webhook-id']!,
      rawBody: raw.toString(),
      json,
      headers: {},
    },
    { settings: keys!.settings },
  );
  return String(outcomes[outcomeCode(o)].http);
};

try {
  await runLoad(100, 8, claim); // warm-up: pool, prepared statements
  console.log(`| run | claims/s | p50 | p95 | p99 | answers |\n|---|---|---|---|---|---|`);
  for (const c of [1, 8, 32]) {
    const r = await runLoad(CLAIMS, c, claim);
    console.log(
      `| in-process intake, c=${c} | ${fmt(r.perSecond, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${Object.entries(
        r.statuses,
      )
        .map(([k, v]) => `${k}×${v}`)
        .join(' ')} |`,
    );
  }
  const [check] = rowsOf<{ orders: number; customers: number; numbers: number; max: number }>(
    await asSystem(database.db, 'maintenance', (tx) =>
      tx.execute(sql`select (select count(*)::int from orders where scalepoint_case_number like 'SP-PROBE-%') as orders,
        (select count(*)::int from customers where name like 'Forsikringstager %') as customers,
        (select count(distinct customer_number)::int from customers) as numbers,
        (select max(customer_number::int) from customers where customer_number ~ '^[0-9]+$') as max`),
    ),
  );
  console.log(
    `claims sent ${seq}; drafts ${check!.orders}, customers ${check!.customers}, distinct numbers ${check!.numbers}, highest number ${check!.max}`,
  );
} finally {
  await app.close();
  await database.close();
  await dropDatabase(DB_NAME);
}
process.exit(0);
