import { and, eq, gt, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sessions, twoFactorKeys, users, type SessionEndReason } from '@/db/schema';
import { asSystem } from '@/lib/tenancy';

/**
 * Sessions as rows on the server (docs/security.md, "Sessions"). next-auth v4's Credentials
 * provider allows only JWT sessions, so the JWT stays — carrying the row's id — and every request
 * reads the row: a session ends when its row says so, at once, on every instance, whatever
 * copies of the cookie exist.
 */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 60 * 60 * 1000;
/** last_seen_at is written at most this often: one write a minute per active session. */
export const LAST_SEEN_EVERY_MS = 60 * 1000;

/** A password-checked sign-in waits this long for the code from the app (docs/security.md). */
export const SECOND_STEP_MS = 5 * 60 * 1000;
/** A support user signing in without two-step verification has this long to set it up. */
export const SETUP_STEP_MS = 15 * 60 * 1000;

export type SecondStep = 'code' | 'setup';

/**
 * A new session for a user whose password was right. Call inside the system door. With two-step
 * verification on, the session waits for the code; a support user without it must set it up
 * first (docs/security.md, "Two-step verification"). Either way it opens no page until then.
 */
export async function openSession(tx: Db, userId: string, now: Date): Promise<string> {
  const [who] = await tx
    .select({ role: users.role, enabledAt: twoFactorKeys.enabledAt })
    .from(users)
    .leftJoin(twoFactorKeys, eq(twoFactorKeys.userId, users.id))
    .where(eq(users.id, userId));
  const secondStep: SecondStep | null = who?.enabledAt
    ? 'code'
    : who?.role === 'support'
      ? 'setup'
      : null;
  const [row] = await tx
    .insert(sessions)
    .values({ userId, createdAt: now, lastSeenAt: now, secondStep })
    .returning({ id: sessions.id });
  return row!.id;
}

/**
 * The second step is done: the session opens pages from now on. False if it was not waiting, or
 * its time ran out.
 */
export async function completeSecondStep(
  tx: Db,
  sessionId: string,
  step: SecondStep,
  now: Date,
): Promise<boolean> {
  const done = await tx
    .update(sessions)
    .set({ secondStep: null, lastSeenAt: now })
    .where(
      and(
        eq(sessions.id, sessionId),
        eq(sessions.secondStep, step),
        isNull(sessions.endedAt),
        // Not after its time: a request that waited past the limit opens nothing.
        gt(
          sessions.createdAt,
          new Date(now.getTime() - (step === 'code' ? SECOND_STEP_MS : SETUP_STEP_MS)),
        ),
      ),
    )
    .returning({ id: sessions.id });
  return done.length === 1;
}

export type SessionCheck =
  | { open: true }
  | { open: false; reason: 'ended' | 'expired' | 'idle' }
  | { open: false; reason: 'second_step'; step: SecondStep }
  | { open: false; reason: 'second_step_expired' };

/**
 * Whether a session row lets a request in at `now`: not ended, under 12 hours old, used within
 * the hour, and its second step done (the code within 5 minutes, a setup within 15).
 */
export function sessionState(
  row: { createdAt: Date; lastSeenAt: Date; endedAt: Date | null; secondStep?: SecondStep | null },
  now: Date,
): SessionCheck {
  if (row.endedAt) return { open: false, reason: 'ended' };
  if (row.secondStep) {
    const limit = row.secondStep === 'code' ? SECOND_STEP_MS : SETUP_STEP_MS;
    if (now.getTime() - row.createdAt.getTime() >= limit)
      return { open: false, reason: 'second_step_expired' };
    return { open: false, reason: 'second_step', step: row.secondStep };
  }
  if (now.getTime() - row.createdAt.getTime() >= SESSION_ABSOLUTE_MS)
    return { open: false, reason: 'expired' };
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_IDLE_MS)
    return { open: false, reason: 'idle' };
  return { open: true };
}

/** Marks the session seen now, if it was last marked more than a minute ago (one small write). */
export async function touchSession(tx: Db, sessionId: string, now: Date): Promise<void> {
  await tx
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.endedAt),
        lt(sessions.lastSeenAt, new Date(now.getTime() - LAST_SEEN_EVERY_MS)),
      ),
    );
}

/** Ends one session (Log ud). Ending an ended session changes nothing. */
export async function endSession(
  tx: Db,
  sessionId: string,
  now: Date,
  reason: SessionEndReason = 'signed_out',
): Promise<void> {
  await tx
    .update(sessions)
    .set({ endedAt: now, endedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.endedAt)));
}

/**
 * Ends every open session of a user — all of them (a deactivation, a role change, a reset), or all
 * but `except` (a new password chosen in this session). Safe inside any transaction: the rows are
 * reached through the system door (a savepoint), so it ends with the change that causes it.
 * Returns how many ended.
 */
export async function endSessionsOf(
  db: Db,
  userId: string,
  options: { now: Date; reason: SessionEndReason; except?: string },
): Promise<number> {
  return asSystem(db, 'people', async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ endedAt: options.now, endedReason: options.reason })
      .where(
        and(
          eq(sessions.userId, userId),
          isNull(sessions.endedAt),
          options.except ? ne(sessions.id, options.except) : sql`true`,
        ),
      )
      .returning({ id: sessions.id });
    return ended.length;
  });
}

/** Ends every open session of a company's people (the company is deactivated). */
export async function endCompanySessions(
  db: Db,
  companyId: string,
  options: { now: Date },
): Promise<number> {
  return asSystem(db, 'people', async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ endedAt: options.now, endedReason: 'deactivated' })
      .where(
        and(
          isNull(sessions.endedAt),
          inArray(
            sessions.userId,
            tx.select({ id: users.id }).from(users).where(eq(users.companyId, companyId)),
          ),
        ),
      )
      .returning({ id: sessions.id });
    return ended.length;
  });
}

/** Open sessions of a user now (for tests and support's view). */
export async function openSessionCount(tx: Db, userId: string, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.endedAt),
        gt(sessions.createdAt, new Date(now.getTime() - SESSION_ABSOLUTE_MS)),
        gt(sessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
      ),
    );
  return row?.n ?? 0;
}

/** Sessions are kept 30 days after they began (long past any limit), for support's questions. */
export const SESSION_ROWS_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

export async function pruneSessions(db: Db, now: Date): Promise<number> {
  const gone = await asSystem(db, 'people', (tx) =>
    tx
      .delete(sessions)
      .where(lt(sessions.createdAt, new Date(now.getTime() - SESSION_ROWS_KEPT_MS)))
      .returning({ id: sessions.id }),
  );
  return gone.length;
}
