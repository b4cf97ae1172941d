'use server';

import { byIntent, formAction, type FormState } from '@/app/_server/action';
import {
  createCompany,
  deactivateCompany,
  reactivateCompany,
  resendInvitationForCompany,
  updateCompanyIdentity,
} from '@/lib/companies/support-actions';
import { resendMailer } from '@/lib/email';
import { isUuid } from '@/lib/ids';

// Support's Virksomheder (docs/people.md). Each lib operation checks support, input and the company
// itself; these only adapt it to useActionState and refresh the pages that show the company.
const lists = ['/support/companies', '/support/scalepoint'];
const pages = (input: Record<string, string>) => [
  ...lists,
  ...(input.companyId && isUuid(input.companyId)
    ? [`/support/companies/${input.companyId}`, `/support/scalepoint/${input.companyId}`]
    : []),
];

const createForm = formAction('support.createCompany', createCompany(resendMailer), {
  echo: ['name', 'cvr', 'adminName', 'adminEmail'],
  revalidate: () => lists,
});
const identityForm = formAction('support.updateCompany', updateCompanyIdentity, {
  echo: ['name', 'cvr'],
  revalidate: pages,
});
const deactivateForm = formAction('support.deactivateCompany', deactivateCompany, {
  revalidate: pages,
});
const reactivateForm = formAction('support.reactivateCompany', reactivateCompany, {
  revalidate: pages,
});
const resendForm = formAction(
  'support.resendInvitation',
  resendInvitationForCompany(resendMailer),
  { revalidate: pages },
);

export async function createCompanyAction(previous: FormState | null, form: FormData) {
  return createForm(previous, form);
}

export async function updateCompanyIdentityAction(previous: FormState | null, form: FormData) {
  return identityForm(previous, form);
}

/** Deaktiver virksomhed (from its dialog) and Genaktiver virksomhed share one answer area, told apart by `intent`. */
const statusPanel = byIntent({ deactivate: deactivateForm, reactivate: reactivateForm });

export async function companyStatusAction(previous: FormState | null, form: FormData) {
  return statusPanel(previous, form);
}

export async function resendCompanyInvitationAction(previous: FormState | null, form: FormData) {
  return resendForm(previous, form);
}
