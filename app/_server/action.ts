import 'server-only';
import { notFound } from 'next/navigation';
import { getDb, type Db } from '@/db';
import type { ActionResult } from '@/lib/action-result';
import { NotFoundError, type Actor } from '@/lib/auth/actor';
import { isDatabaseUnavailable } from '@/lib/db-errors';
import { log } from '@/lib/log';
import { currentActor } from './auth';

/**
 * Every server action goes through here: the actor is re-read from the database (session →
 * user → role and company now), and the lib function it calls checks that actor itself.
 * A refusal becomes a 404; a database outage a plain message, never a stack trace.
 */
export async function runAction<T>(name: string, fn: (db: Db, actor: Actor | null) => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    const db = await getDb();
    return await fn(db, await currentActor());
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    if (isDatabaseUnavailable(e)) {
      log.error('action_db_unavailable', { action: name });
      return { ok: false, message: 'Databasen svarer ikke lige nu. Prøv igen om lidt.' };
    }
    throw e;
  }
}
