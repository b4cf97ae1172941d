import 'server-only';
import { getServerSession } from 'next-auth';
import { notFound, redirect } from 'next/navigation';
import { connection } from 'next/server';
import { cache } from 'react';
import { getDb } from '@/db';
import { authOptions } from '@/lib/auth/options';
import {
  isCompanyActor,
  isCompanyAdmin,
  isSupport,
  loadSessionActor,
  type Actor,
  type CompanyActor,
} from '@/lib/auth/actor';

/**
 * The signed-in actor as the database says now, or null. Cached per request, so the layout,
 * the page and an action share one look-up.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  // Session pages are per request: never prerendered at build time (which has no secrets).
  await connection();
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; sessionId?: string } | undefined;
  if (!user?.id) return null;
  // A token without a session row (made before rows were kept) opens nothing.
  const found = await loadSessionActor(await getDb(), {
    userId: user.id,
    sessionId: user.sessionId ?? '',
  });
  return found.actor;
});

/** Pages: signed out → /login. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect('/login');
  return actor;
}

/** Company pages: admin or member of a company; anyone else gets 404. */
export async function requireCompanyActor(): Promise<CompanyActor> {
  const actor = await requireActor();
  if (!isCompanyActor(actor)) notFound();
  return actor;
}

export async function requireCompanyAdmin(): Promise<CompanyActor> {
  const actor = await requireActor();
  if (!isCompanyAdmin(actor)) notFound();
  return actor;
}

export async function requireSupport(): Promise<Actor> {
  const actor = await requireActor();
  if (!isSupport(actor)) notFound();
  return actor;
}

export function homeFor(actor: Actor): string {
  return actor.role === 'support' ? '/support/scalepoint' : '/orders/drafts';
}
