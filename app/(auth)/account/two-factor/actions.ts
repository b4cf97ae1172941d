'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { currentActor, currentPendingSignIn, signInAgainUrl } from '@/app/_server/auth';
import type { FormState } from '@/app/_server/action';
import { requestClientAddress } from '@/app/_server/client-address';
import { getDb } from '@/db';
import { REFUSAL } from '@/lib/action-result';
import { returnPath } from '@/lib/auth/return-path';
import {
  cancelSetup,
  confirmSetup,
  disableTwoFactor,
  setupKeyFor,
  twoFactorStatus,
} from '@/lib/auth/two-factor';
import { isDatabaseUnavailable } from '@/lib/db-errors';

// To-trinsbekræftelse (docs/security.md, "Two-step verification"). Each action reads the session
// itself: a signed-in person acts on their own key only; a support sign-in that owes its setup may
// confirm the setup and nothing else.

async function signedIn() {
  const actor = await currentActor();
  if (!actor) redirect(await signInAgainUrl());
  return actor;
}

/** Slå til: a key is made and the setup page shows it. */
export async function startTwoFactorSetupAction(): Promise<void> {
  const actor = await signedIn();
  const db = await getDb();
  if (!(await twoFactorStatus(db, actor.userId)).enabled)
    await setupKeyFor(db, actor, { start: true });
  redirect('/account/two-factor');
}

/** Annuller during setup: the waiting key is forgotten (support cannot: it is required). */
export async function cancelTwoFactorSetupAction(): Promise<void> {
  const actor = await signedIn();
  if (actor.role !== 'support') await cancelSetup(await getDb(), actor.userId);
  redirect('/account');
}

/** Bekræft during setup: on, and the 10 recovery codes, returned once (the page is not re-rendered). */
export async function confirmTwoFactorSetupAction(
  _previous: FormState | null,
  form: FormData,
): Promise<FormState> {
  const actor = await currentActor();
  const pending = actor ? null : await currentPendingSignIn();
  const who = actor ?? (pending?.step === 'setup' ? pending : null);
  if (!who) redirect(await signInAgainUrl());
  try {
    // The lib function checks the code (lib/auth/two-factor.ts, `codeInput`): a value that is no
    // code is refused in Danish; the hostile-input test drives it as 'user.twoFactor.confirmSetup'.
    return await confirmSetup(await getDb(), who, { code: form.get('code') ?? undefined });
  } catch (e) {
    if (isDatabaseUnavailable(e)) return { ok: false, message: REFUSAL.databaseUnavailable };
    throw e;
  }
}

/** Slå fra, with a code from the app or a recovery code (admins and members only). */
export async function disableTwoFactorAction(
  _previous: FormState | null,
  form: FormData,
): Promise<FormState> {
  const actor = await signedIn();
  const address = await requestClientAddress();
  const result = await disableTwoFactor(
    await getDb(),
    actor,
    { code: form.get('code') ?? undefined },
    address,
  );
  if (!result.ok) return result;
  revalidatePath('/account');
  // The page now shows it off, and says so (the form with its answer is gone from it).
  redirect('/account/two-factor?off=1');
}

/** Fortsæt after the recovery codes: on to the page the person came for (a path of this site). */
export async function continueAfterSetupAction(form: FormData): Promise<void> {
  redirect(returnPath(String(form.get('to') ?? '')) ?? '/');
}
