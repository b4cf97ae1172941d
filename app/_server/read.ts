import 'server-only';
import { notFound, unstable_rethrow } from 'next/navigation';
import { getDb } from '@/db';
import { NotFoundError } from '@/lib/auth/actor';
import { errorCode } from '@/lib/db-errors';
import type { Read } from '@/lib/door';
import { errorFields, log } from '@/lib/log';
import { currentActor } from './auth';

/**
 * A lib read (built with `companyRead` / `supportRead` in lib/door.ts) for a page: the actor is
 * re-read for this request, and a refusal — a stranger, a malformed id — renders the 404 page,
 * never an error. Any other error — a database error or a plain bug — is logged as its code and
 * reaches the framework's error page only as that code: drizzle's message carries the query's
 * parameters, a bug's may carry the input, and the framework prints what it is given
 * (docs/security.md, "Hostile input"). Next's own signals (a redirect, a 404) go on untouched.
 */
export async function pageRead<T>(read: Read<T>, input?: unknown): Promise<T> {
  try {
    return await read(await getDb(), await currentActor(), input);
  } catch (e) {
    unstable_rethrow(e);
    if (e instanceof NotFoundError) notFound();
    log.error('page_read_failed', errorFields(e));
    throw new Error(`The page's read failed (${errorCode(e)}).`);
  }
}
