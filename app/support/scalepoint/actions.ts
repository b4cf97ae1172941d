'use server';

import { byIntent, formAction, type FormState } from '@/app/_server/action';
import { isUuid } from '@/lib/ids';
import {
  deleteConnection,
  renewCertificate,
  revokePreviousCertificate,
  saveConnection,
  testConnection,
} from '@/lib/scalepoint/support/connections';
import { revokePreviousSecret, storeCredentials } from '@/lib/scalepoint/support/credentials';

// Support's forms (docs/support-scalepoint.md). Each lib operation checks support, input and
// the company itself; these only adapt it to useActionState and refresh the two pages.
const pages = (input: Record<string, string>) => [
  '/support/scalepoint',
  ...(input.companyId && isUuid(input.companyId) ? [`/support/scalepoint/${input.companyId}`] : []),
];

const storeCredentialsForm = formAction('support.storeCredentials', storeCredentials, {
  echo: ['accountId'],
  revalidate: pages,
});
const revokeSecretForm = formAction('support.revokePreviousSecret', revokePreviousSecret, {
  revalidate: pages,
});

export async function storeCredentialsAction(previous: FormState | null, form: FormData) {
  return storeCredentialsForm(previous, form);
}

export async function revokePreviousSecretAction(previous: FormState | null, form: FormData) {
  return revokeSecretForm(previous, form);
}

const connectionEcho = ['clientId', 'tenant', 'environment'];
const connectionForms = {
  save: formAction('support.saveConnection', saveConnection, {
    echo: connectionEcho,
    revalidate: pages,
  }),
  delete: formAction('support.deleteConnection', deleteConnection, { revalidate: pages }),
  renew: formAction('support.renewCertificate', renewCertificate, {
    echo: connectionEcho,
    revalidate: pages,
  }),
  revoke: formAction('support.revokePreviousCertificate', revokePreviousCertificate, {
    echo: connectionEcho,
    revalidate: pages,
  }),
  test: formAction('support.testConnection', testConnection, { echo: connectionEcho }),
};

const connectionCard = byIntent(connectionForms);

/** One connection card's buttons (Gem forbindelse, Slet forbindelse, Nyt certifikat, …), told apart by `intent`. */
export async function connectionAction(previous: FormState | null, form: FormData) {
  return connectionCard(previous, form);
}
