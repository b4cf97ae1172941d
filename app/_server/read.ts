import 'server-only';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { NotFoundError } from '@/lib/auth/actor';
import type { Read } from '@/lib/door';
import { currentActor } from './auth';

/**
 * A lib read (built with `companyRead` / `supportRead` in lib/door.ts) for a page: the actor is
 * re-read for this request, and a refusal — a stranger, a malformed id — renders the 404 page,
 * never an error.
 */
export async function pageRead<T>(read: Read<T>, input?: unknown): Promise<T> {
  try {
    return await read(await getDb(), await currentActor(), input);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}
