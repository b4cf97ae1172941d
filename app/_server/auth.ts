import 'server-only';
import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { connection } from 'next/server';
import { cache } from 'react';
import { getDb } from '@/db';
import { authOptions } from '@/lib/auth/options';
import { returnPath } from '@/lib/auth/return-path';
import {
  isCompanyActor,
  isCompanyAdmin,
  isSupport,
  loadSessionActor,
  type SessionActor,
  type Actor,
  type PendingSignIn,
  type CompanyActor,
} from '@/lib/auth/actor';

/** The request's session as the database says now, or null without one. Cached per request. */
const currentSession = cache(async (): Promise<SessionActor | null> => {
  // Session pages are per request: never prerendered at build time (which has no secrets).
  await connection();
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; sessionId?: string } | undefined;
  if (!user?.id) return null;
  // A token without a session row (made before rows were kept) opens nothing.
  return loadSessionActor(await getDb(), { userId: user.id, sessionId: user.sessionId ?? '' });
});

/**
 * The signed-in actor as the database says now, or null. Cached per request, so the layout,
 * the page and an action share one look-up.
 */
export const currentActor = cache(
  async (): Promise<Actor | null> => (await currentSession())?.actor ?? null,
);

/** A sign-in that still owes its second step (the code, or a support user's setup), or null. */
export async function currentPendingSignIn(): Promise<PendingSignIn | null> {
  const found = await currentSession();
  return found && 'pending' in found ? found.pending : null;
}

/**
 * Did this request come with a session that has since ended — not a user who may no longer sign
 * in, nor a sign-in whose second step was never done?
 */
export async function sessionHasEnded(): Promise<boolean> {
  const found = await currentSession();
  return (
    !!found && 'ended' in found && found.ended !== 'user' && found.ended !== 'second_step_expired'
  );
}

/** Where a sign-in that owes its second step goes, coming back to `path` afterwards. */
export function secondStepUrl(pending: PendingSignIn, path: string | null): string {
  if (pending.step === 'setup') return '/account/two-factor';
  return path ? `/login/code?${new URLSearchParams({ callbackUrl: path })}` : '/login/code';
}

/**
 * Where a request without an actor goes: /login — and, when the request came with a session that
 * has ended (Log ud elsewhere, 12 hours, an idle hour, a new password), saying that nothing was
 * saved and coming back to this page afterwards (docs/security.md, "Sessions").
 */
export async function signInAgainUrl(): Promise<string> {
  if (!(await sessionHasEnded())) return '/login';
  const query = new URLSearchParams({ notice: 'session-ended' });
  const path = returnPath((await headers()).get('x-kladde-path'));
  if (path) query.set('callbackUrl', path);
  return `/login?${query.toString()}`;
}

/**
 * Pages: signed out → /login (and back here afterwards); a sign-in that owes its second step →
 * the code, or the setup (docs/security.md, "Two-step verification").
 */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (actor) return actor;
  const pending = await currentPendingSignIn();
  if (pending) redirect(secondStepUrl(pending, returnPath((await headers()).get('x-kladde-path'))));
  redirect(await signInAgainUrl());
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
  const actor = await currentActor();
  if (isSupport(actor)) return actor;
  // A support user's own sign-in, second step still owed, goes there; anyone else learns nothing.
  const pending = await currentPendingSignIn();
  if (pending?.role === 'support')
    redirect(secondStepUrl(pending, returnPath((await headers()).get('x-kladde-path'))));
  // A session that has ended signs in again, like every page; no session at all learns nothing.
  if (await sessionHasEnded()) redirect(await signInAgainUrl());
  notFound();
}

export function homeFor(actor: Actor): string {
  return actor.role === 'support' ? '/support/scalepoint' : '/orders/drafts';
}
