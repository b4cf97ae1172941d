'use server';

import { formAction, type FormState } from '@/app/_server/action';
import { resendMailer } from '@/lib/email';
import {
  changeUserRole,
  deactivateCompanyUser,
  inviteCompanyUser,
  reactivateCompanyUser,
  resendCompanyInvitation,
  resetUserTwoFactor,
} from '@/lib/people/company-users';

// The admin's Brugere (docs/people.md, docs/forms.md): React form actions for useActionState, so they
// also work before the page is hydrated; each revalidates the list and the user's page.
const pages = () => ['/admin/users', '/admin/users/[id]'];

const inviteForm = formAction('users.invite', inviteCompanyUser(resendMailer), {
  echo: ['name', 'email', 'role'],
  revalidate: pages,
});
const roleForm = formAction('users.changeRole', changeUserRole, {
  echo: ['role'],
  revalidate: pages,
});
const deactivateForm = formAction('users.deactivate', deactivateCompanyUser, { revalidate: pages });
const reactivateForm = formAction('users.reactivate', reactivateCompanyUser, { revalidate: pages });
const resendForm = formAction('users.resendInvitation', resendCompanyInvitation(resendMailer), {
  revalidate: pages,
});

const resetTwoFactorForm = formAction('users.resetTwoFactor', resetUserTwoFactor, {
  revalidate: pages,
});

export async function inviteUserAction(previous: FormState | null, form: FormData) {
  return inviteForm(previous, form);
}

export async function changeRoleAction(previous: FormState | null, form: FormData) {
  return roleForm(previous, form);
}

export async function deactivateUserAction(previous: FormState | null, form: FormData) {
  return deactivateForm(previous, form);
}

export async function reactivateUserAction(previous: FormState | null, form: FormData) {
  return reactivateForm(previous, form);
}

export async function resendInvitationAction(previous: FormState | null, form: FormData) {
  return resendForm(previous, form);
}

export async function resetTwoFactorAction(previous: FormState | null, form: FormData) {
  return resetTwoFactorForm(previous, form);
}
