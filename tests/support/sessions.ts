import type { Db } from '@/db/client';
import { loadSessionActor, type Actor } from '@/lib/auth/actor';
import { openSession } from '@/lib/auth/sessions';
import { asSystem } from '@/lib/tenancy';

export type TestSession = { userId: string; sessionId: string };

/** A session row as a sign-in opens it (lib/auth/options.ts), at `now`. */
export async function signedIn(db: Db, userId: string, now = new Date()): Promise<TestSession> {
  const sessionId = await asSystem(db, 'sign-in', (tx) => openSession(tx, userId, now));
  return { userId, sessionId };
}

/** Who the session lets in at `now`, as a request sees it; null when it does not. */
export async function actorOf(
  db: Db,
  session: TestSession,
  now = new Date(),
): Promise<Actor | null> {
  return (await loadSessionActor(db, session, now)).actor;
}
