'use server';

import { redirect } from 'next/navigation';
import { currentPendingSignIn, homeFor } from '@/app/_server/auth';
import { requestClientAddress } from '@/app/_server/client-address';
import { getDb } from '@/db';
import { TOO_MANY_MESSAGE } from '@/lib/auth/messages';
import { returnPath } from '@/lib/auth/return-path';
import { confirmSignInCodeFrom, WRONG_CODE } from '@/lib/auth/two-factor';

export type SecondStepState = { message: string } | null;

/**
 * Bekræft on the second sign-in step (docs/security.md, "Two-step verification"). Posted as a
 * plain form before hydration too; a right code lets the session in and goes on to the page the
 * sign-in was for, a wrong one counts for the sign-in throttle.
 */
export async function confirmSignInCodeAction(
  _previous: SecondStepState,
  form: FormData,
): Promise<SecondStepState> {
  const pending = await currentPendingSignIn();
  if (!pending || pending.step !== 'code') redirect('/login');
  const back = returnPath(String(form.get('callbackUrl') ?? ''));
  const address = await requestClientAddress();
  // The lib function checks the code (lib/auth/two-factor.ts, `codeInput`): a value that is no
  // code is refused in Danish; the hostile-input test drives it as 'user.signIn.confirmCode'.
  const result = await confirmSignInCodeFrom(
    await getDb(),
    pending,
    { code: form.get('code') ?? undefined },
    address,
  );
  if (typeof result !== 'string') return { message: result.fieldErrors?.code ?? result.message };
  if (result === 'ok') redirect(back ?? homeFor(pending));
  // The 5 minutes ran out while the code was on its way: start again with the password.
  if (result === 'expired') redirect('/login');
  return { message: result === 'throttled' ? TOO_MANY_MESSAGE : WRONG_CODE };
}
