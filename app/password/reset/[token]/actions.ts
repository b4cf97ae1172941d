'use server';

import { redirect } from 'next/navigation';
import { formAction, type FormState } from '@/app/_server/action';
import { resetPassword } from '@/lib/people/password-reset';

// Gem adgangskode (docs/people.md, "Forgotten password"): the token in the form is the whole
// authority; resetPassword checks it and the password rules itself. Nothing is handed back.
const resetForm = formAction('password.reset', (db, _actor, input, now) =>
  resetPassword(db, input, now),
);

export async function resetPasswordAction(
  previous: FormState | null,
  form: FormData,
): Promise<FormState> {
  const state = await resetForm(previous, form);
  if (state.ok) redirect('/login?notice=password-changed');
  return state;
}
