import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/client';

/**
 * The company's next order number, from its own counter row (docs/drafts.md). Call inside the
 * approving transaction: the row stays locked until commit, so concurrent approvals queue here
 * for the few statements left, and a rollback undoes the bump — no number is lost or reused.
 * The first approval of a company inserts the row; a concurrent first waits on the conflict and
 * then increments.
 */
export async function nextOrderNumber(tx: Db, companyId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`
      insert into order_number_counters (company_id, last_number) values (${companyId}, 1)
      on conflict (company_id) do update set last_number = order_number_counters.last_number + 1
      returning last_number as n`),
  );
  if (!row) throw new Error('order number counter returned nothing');
  return Number(row.n);
}
