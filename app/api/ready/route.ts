import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { asSystem } from '@/lib/tenancy';

export const dynamic = 'force-dynamic';

/**
 * Readiness: the database answers, the schema is there and the system door opens (a migrated
 * database with its roles). A load balancer sends traffic only while this is 200.
 */
export async function GET() {
  try {
    const db = await getDb();
    await asSystem(db, 'health', (tx) => tx.execute(sql`select 1 from companies limit 1`));
    return Response.json({ status: 'ready' });
  } catch {
    return Response.json({ status: 'unavailable' }, { status: 503 });
  }
}
