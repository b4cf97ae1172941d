'use server';

import { byIntent, formAction, type FormState } from '@/app/_server/action';
import { resendMailer } from '@/lib/email';
import {
  deactivateSupportUser,
  inviteSupportUser,
  reactivateSupportUser,
  resendSupportInvitation,
} from '@/lib/people/support-users';

// Supportbrugere (docs/people.md): the lib operations check support and the user themselves.
const pages = () => ['/support/users'];

const inviteForm = formAction('support.inviteSupportUser', inviteSupportUser(resendMailer), {
  echo: ['name', 'email'],
  revalidate: pages,
});
const userForms = {
  deactivate: formAction('support.deactivateSupportUser', deactivateSupportUser, {
    revalidate: pages,
  }),
  reactivate: formAction('support.reactivateSupportUser', reactivateSupportUser, {
    revalidate: pages,
  }),
  resend: formAction('support.resendSupportInvitation', resendSupportInvitation(resendMailer), {
    revalidate: pages,
  }),
};

export async function inviteSupportUserAction(previous: FormState | null, form: FormData) {
  return inviteForm(previous, form);
}

const userRow = byIntent(userForms);

/** One row's buttons (Deaktiver, Genaktiver, Send invitation igen), told apart by `intent`; the table has one answer area. */
export async function supportUserAction(
  previous: FormState | null,
  form: FormData,
): Promise<FormState> {
  return userRow(previous, form);
}
