import net from 'node:net';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgres, type Database } from '@/db/client';
import { asSystemAtOnce, inCompany, inCompanyAtOnce } from '@/lib/tenancy';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeCompany } from '../support/factories';

/**
 * Pins lib/platform/postgres-pipeline.ts: the one-write doors send their whole transaction in one
 * socket write, which only postgres.js's write buffering makes so. PGlite has no socket: skipped.
 */
let t: TestDatabase;
let app: Database | undefined;
let companyId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  companyId = (await makeCompany(t.db, 'Pipeline')).company.id;
  if (t.url) app = await openPostgres(t.url, { max: 1 });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

/** How many times `work` writes to a socket (PostgreSQL's: nothing else talks meanwhile). */
async function socketWrites(work: () => Promise<unknown>): Promise<number> {
  const write = vi.spyOn(net.Socket.prototype, 'write');
  try {
    await work();
    return write.mock.contexts.filter((s) => s !== process.stdout && s !== process.stderr).length;
  } finally {
    write.mockRestore();
  }
}

const statements = (): SQLWrapper[] => [
  sql`select count(*)::int as n from order_types`,
  sql`select ${'ord'}::text as word`,
  sql`select current_setting('app.company_id') as company`,
];

describe('the one-write doors over postgres.js', () => {
  it('sends begin, the door, every statement and commit in one write', async () => {
    if (!app) return; // PGlite: no socket, the statements run one by one (row-level-security.test.ts).
    // The first time on a connection postgres.js asks PostgreSQL to describe a statement with
    // parameters before it sends the rest; from then on the statements are prepared.
    const first = await inCompanyAtOnce(app.db, companyId, statements());
    expect(first).toEqual([[{ n: 2 }], [{ word: 'ord' }], [{ company: companyId }]]);

    let answer: unknown;
    expect(
      await socketWrites(async () => {
        answer = await inCompanyAtOnce(app!.db, companyId, statements());
      }),
    ).toBe(1);
    expect(answer).toEqual(first);
    await asSystemAtOnce(app.db, 'maintenance', statements().slice(0, 2));
    expect(
      await socketWrites(() => asSystemAtOnce(app!.db, 'maintenance', statements().slice(0, 2))),
    ).toBe(1);

    // What it saves: the ordinary door waits for every answer before the next statement.
    const ordinary = await socketWrites(() =>
      inCompany(app!.db, companyId, async (tx) => {
        for (const s of statements()) await tx.execute(s.getSQL());
      }),
    );
    expect(ordinary).toBeGreaterThan(statements().length);
  });
});
