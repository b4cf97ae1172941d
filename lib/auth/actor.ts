import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, users, type UserRole } from '@/db/schema';
import { asSystem } from '@/lib/tenancy';

/** Who is acting, as the database says now (never as an old session token says). */
export type Actor = {
  userId: string;
  email: string;
  name: string;
  role: UserRole;
  companyId: string | null;
  companyName: string | null;
};

export type CompanyActor = Actor & {
  companyId: string;
  companyName: string;
  role: 'admin' | 'member';
};

/**
 * Who a session belongs to is known before its company: the system door, one short read, on every
 * request. No actor (so the next request goes to /login) for a user who is not active, of a
 * deactivated company, or whose session began before its sessions were ended (`signedInAt`, the
 * session's sign-in time, against users.sessions_valid_after: a deactivation or a role change).
 */
export async function loadActor(
  db: Db,
  userId: string,
  session: { signedInAt?: number } = {},
): Promise<Actor | null> {
  const [row] = await asSystem(db, 'actor', (tx) =>
    tx
      .select({
        userId: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        companyId: users.companyId,
        companyName: companies.name,
        status: users.status,
        sessionsValidAfter: users.sessionsValidAfter,
        companyDeactivatedAt: companies.deactivatedAt,
      })
      .from(users)
      .leftJoin(companies, eq(companies.id, users.companyId))
      .where(eq(users.id, userId))
      .limit(1),
  );
  if (!row || row.status !== 'active' || row.companyDeactivatedAt) return null;
  if (
    row.sessionsValidAfter &&
    session.signedInAt !== undefined &&
    session.signedInAt < row.sessionsValidAfter.getTime()
  )
    return null;
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    companyId: row.companyId,
    companyName: row.companyName,
  };
}

export function isCompanyActor(actor: Actor | null): actor is CompanyActor {
  return (
    !!actor &&
    (actor.role === 'admin' || actor.role === 'member') &&
    !!actor.companyId &&
    !!actor.companyName
  );
}

export function isCompanyAdmin(actor: Actor | null): actor is CompanyActor & { role: 'admin' } {
  return isCompanyActor(actor) && actor.role === 'admin';
}

export function isSupport(actor: Actor | null): actor is Actor & { role: 'support' } {
  return !!actor && actor.role === 'support' && actor.companyId === null;
}

/** Thrown by lib when an actor may not do a thing; the caller answers 404 (never 403, never data). */
export class NotFoundError extends Error {
  constructor(what = 'not found') {
    super(what);
    this.name = 'NotFoundError';
  }
}
