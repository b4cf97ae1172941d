'use server';

import { formAction, type FormState } from '@/app/_server/action';
import { changeOwnPassword, renameAccount } from '@/lib/people/account';

// Min konto (docs/people.md, "Min konto"): the lib operations check the session themselves and
// touch only the signed-in person's own row.
const renameForm = formAction('account.rename', renameAccount, {
  echo: ['name'],
  revalidate: () => ['/account'],
});
const passwordForm = formAction('account.changePassword', changeOwnPassword);

export async function renameAccountAction(previous: FormState | null, form: FormData) {
  return renameForm(previous, form);
}

export async function changePasswordAction(previous: FormState | null, form: FormData) {
  return passwordForm(previous, form);
}
