import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sessions } from '@/db/schema';
import { loadSessionActor, type Actor } from '@/lib/auth/actor';
import { completeSecondStep, openSession } from '@/lib/auth/sessions';
import { asSystem } from '@/lib/tenancy';

export type TestSession = { userId: string; sessionId: string };

/**
 * A session row as a sign-in opens it (lib/auth/options.ts), at `now`. For a user with two-step
 * verification on, or any support user, it still owes its second step and lets nothing in: use
 * {@link signedInPastSecondStep} for an actor.
 */
export async function signedIn(db: Db, userId: string, now = new Date()): Promise<TestSession> {
  const sessionId = await asSystem(db, 'sign-in', (tx) => openSession(tx, userId, now));
  return { userId, sessionId };
}

/**
 * A sign-in that has also done its second step (the code, or a support user's setup), as the
 * row is once /login/code or the setup has cleared it (`completeSecondStep`): for tests that need
 * a support actor, or a user with two-step verification, and are not about the second step
 * itself (tests/integration/two-factor.test.ts goes through the real steps).
 */
export async function signedInPastSecondStep(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<TestSession> {
  const session = await signedIn(db, userId, now);
  await asSystem(db, 'sign-in', async (tx) => {
    const [row] = await tx
      .select({ step: sessions.secondStep })
      .from(sessions)
      .where(eq(sessions.id, session.sessionId));
    if (row?.step && !(await completeSecondStep(tx, session.sessionId, row.step, now)))
      throw new Error(`the session's ${row.step} step could not be completed`);
  });
  return session;
}

/** Who the session lets in at `now`, as a request sees it; null when it does not. */
export async function actorOf(
  db: Db,
  session: TestSession,
  now = new Date(),
): Promise<Actor | null> {
  return (await loadSessionActor(db, session, now)).actor;
}
