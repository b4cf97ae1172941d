import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { companies, sessions, users, type UserRole } from '@/db/schema';
import { isUuid } from '@/lib/ids';
import { asSystem } from '@/lib/tenancy';
import { LAST_SEEN_EVERY_MS, sessionState, touchSession, type SecondStep } from './sessions';

/** Who is acting, as the database says now (never as an old session token says). */
export type Actor = {
  userId: string;
  email: string;
  name: string;
  role: UserRole;
  companyId: string | null;
  companyName: string | null;
  /** The session row this request came with (absent for an actor loaded outside a request). */
  sessionId?: string;
};

export type CompanyActor = Actor & {
  companyId: string;
  companyName: string;
  role: 'admin' | 'member';
};

const actorColumns = {
  userId: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  companyId: users.companyId,
  companyName: companies.name,
  status: users.status,
  companyDeactivatedAt: companies.deactivatedAt,
};

function actorOf(row: {
  userId: string;
  email: string;
  name: string;
  role: UserRole;
  companyId: string | null;
  companyName: string | null;
  status: string;
  companyDeactivatedAt: Date | null;
}): Actor | null {
  if (row.status !== 'active' || row.companyDeactivatedAt) return null;
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    companyId: row.companyId,
    companyName: row.companyName,
  };
}

/**
 * A user as the database says now, or null for one who is not active or whose company is
 * deactivated. For a request, use {@link loadSessionActor}: it also asks whether the session is open.
 */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const [row] = await asSystem(db, 'actor', (tx) =>
    tx
      .select(actorColumns)
      .from(users)
      .leftJoin(companies, eq(companies.id, users.companyId))
      .where(eq(users.id, userId))
      .limit(1),
  );
  return row ? actorOf(row) : null;
}

/** A sign-in whose password was right and whose second step is still owed: it opens no page. */
export type PendingSignIn = Actor & { sessionId: string; step: SecondStep };

export type SessionActor =
  | { actor: Actor }
  | {
      actor: null;
      ended: 'ended' | 'expired' | 'idle' | 'no_session' | 'user' | 'second_step_expired';
    }
  | { actor: null; pending: PendingSignIn };

/**
 * Who a request's session belongs to, on every request (docs/security.md, "Sessions"): one read
 * through the system door of the session row with its user and company, and at most one write a
 * minute (last seen). No actor when the row is missing, ended, over 12 hours old or idle for an
 * hour, or its user is not active or its company deactivated — the next page goes to /login —
 * nor while its second step is owed (`pending`: the code, or a support user's setup).
 */
export async function loadSessionActor(
  db: Db,
  session: { userId: string; sessionId: string },
  now = new Date(),
): Promise<SessionActor> {
  if (!isUuid(session.sessionId) || !isUuid(session.userId))
    return { actor: null, ended: 'no_session' };
  return asSystem(db, 'actor', async (tx) => {
    const [row] = await tx
      .select({
        ...actorColumns,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        endedAt: sessions.endedAt,
        secondStep: sessions.secondStep,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(companies, eq(companies.id, users.companyId))
      .where(and(eq(sessions.id, session.sessionId), eq(sessions.userId, session.userId)))
      .limit(1);
    if (!row) return { actor: null, ended: 'no_session' };
    const state = sessionState(row, now);
    const actor = actorOf(row);
    if (state.open === false && state.reason === 'second_step')
      return actor
        ? { actor: null, pending: { ...actor, sessionId: session.sessionId, step: state.step } }
        : { actor: null, ended: 'user' };
    if (!state.open) return { actor: null, ended: state.reason };
    if (!actor) return { actor: null, ended: 'user' };
    // At most one write a minute: most requests read and go.
    if (now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_EVERY_MS)
      await touchSession(tx, session.sessionId, now);
    return { actor: { ...actor, sessionId: session.sessionId } };
  });
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
