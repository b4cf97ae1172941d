import 'server-only';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { NotFoundError } from '@/lib/auth/actor';
import { errorCode, pgErrorCode } from '@/lib/db-errors';
import type { Read } from '@/lib/door';
import { errorFields, log } from '@/lib/log';
import { currentActor } from './auth';

/**
 * A lib read (built with `companyRead` / `supportRead` in lib/door.ts) for a page: the actor is
 * re-read for this request, and a refusal — a stranger, a malformed id — renders the 404 page,
 * never an error. A database error reaches the framework's error page only as its code: drizzle's
 * message carries the query's parameters, and the framework prints what it is given
 * (docs/security.md, "Hostile input").
 */
export async function pageRead<T>(read: Read<T>, input?: unknown): Promise<T> {
  try {
    return await read(await getDb(), await currentActor(), input);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    if (pgErrorCode(e) === undefined) throw e;
    log.error('page_read_failed', errorFields(e));
    throw new Error(`The page's read failed (${errorCode(e)}).`);
  }
}
