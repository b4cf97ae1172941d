'use server';

import { after } from 'next/server';
import { formAction, type FormState } from '@/app/_server/action';
import { resendMailer } from '@/lib/email';
import { requestPasswordReset, sendResetMail } from '@/lib/people/password-reset';

// Glemt adgangskode? (docs/people.md, "Forgotten password"): nobody is signed in; the answer is the
// same for every e-mail, and the mail goes out after the answer has left (next/server `after`), so
// neither its content nor its time tells whether the e-mail is known.
const forgotForm = formAction(
  'password.forgot',
  async (db, _actor, input, now) => {
    const { result, mail } = await requestPasswordReset(db, input, now);
    if (mail) after(() => sendResetMail(db, resendMailer, mail));
    return result;
  },
  { echo: ['email'] },
);

export async function forgotPasswordAction(
  previous: FormState | null,
  form: FormData,
): Promise<FormState> {
  return forgotForm(previous, form);
}
