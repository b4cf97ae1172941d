import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { backgroundLeases } from '@/db/schema';
import { asSystem } from '@/lib/tenancy';

/**
 * The lease statements of the background room (docs/architecture.md, "Background work"). Each is
 * one statement, whatever the number of leases: an instance takes the free pieces of a job it
 * wants in one, and renews all it holds in one — also behind a transaction-mode pooler, where a
 * session-level advisory lock would not hold.
 */

const expiry = (leaseMs: number) => sql`now() + make_interval(secs => ${leaseMs / 1000})`;

/**
 * Take the leases on `keys` of `job` for `owner` where nobody holds them, the holder's lease has
 * run out, or `owner` holds them already (then they are renewed). Returns the keys `owner` holds
 * now; two instances racing for one key end with one holder.
 */
export async function claimLeases(
  db: Db,
  input: { job: string; keys: readonly string[]; owner: string; leaseMs: number },
): Promise<string[]> {
  if (input.keys.length === 0) return [];
  const rows = await asSystem(db, 'background', (tx) =>
    tx
      .insert(backgroundLeases)
      .values(
        input.keys.map((key) => ({
          job: input.job,
          key,
          owner: input.owner,
          expiresAt: expiry(input.leaseMs),
        })),
      )
      .onConflictDoUpdate({
        target: [backgroundLeases.job, backgroundLeases.key],
        set: { owner: sql`excluded.owner`, expiresAt: sql`excluded.expires_at` },
        setWhere: sql`${backgroundLeases.owner} = excluded.owner or ${backgroundLeases.expiresAt} < now()`,
      })
      .returning({ key: backgroundLeases.key }),
  );
  return rows.map((r) => r.key);
}

/** The heartbeat: extends every lease `owner` holds, of every job; returns what it still holds. */
export async function renewLeases(
  db: Db,
  owner: string,
  leaseMs: number,
): Promise<{ job: string; key: string }[]> {
  return asSystem(db, 'background', (tx) =>
    tx
      .update(backgroundLeases)
      .set({ expiresAt: expiry(leaseMs) })
      .where(eq(backgroundLeases.owner, owner))
      .returning({ job: backgroundLeases.job, key: backgroundLeases.key }),
  );
}

/** Gives up `owner`'s leases: those on `keys` of `job`, or (no job) all of them. */
export async function releaseLeases(
  db: Db,
  owner: string,
  which?: { job: string; keys: readonly string[] },
): Promise<void> {
  if (which && which.keys.length === 0) return;
  await asSystem(db, 'background', (tx) =>
    tx
      .delete(backgroundLeases)
      .where(
        which
          ? and(
              eq(backgroundLeases.owner, owner),
              eq(backgroundLeases.job, which.job),
              inArray(backgroundLeases.key, [...which.keys]),
            )
          : eq(backgroundLeases.owner, owner),
      ),
  );
}
