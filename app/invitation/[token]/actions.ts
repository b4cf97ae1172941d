'use server';

import { redirect } from 'next/navigation';
import { formAction, type FormState } from '@/app/_server/action';
import { acceptInvitation } from '@/lib/people/accept-invitation';

// Opret adgang (docs/people.md): the visitor is not signed in, so there is no actor to check; the
// token in the form is the whole authority, and acceptInvitation checks it (and the password
// rules, with the common-password list) itself. Only the name is handed back after a refusal.
const acceptForm = formAction(
  'invitation.accept',
  (db, _actor, input, now) => acceptInvitation(db, input, now),
  { echo: ['name'] },
);

export async function acceptInvitationAction(
  previous: FormState | null,
  form: FormData,
): Promise<FormState> {
  const state = await acceptForm(previous, form);
  // Before hydration this answers the post with a redirect; hydrated, the router follows it.
  if (state.ok) redirect('/login?notice=invitation-accepted');
  return state;
}
