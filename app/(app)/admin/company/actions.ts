'use server';

import { formAction, type FormState } from '@/app/_server/action';
import { saveCompanyDetails } from '@/lib/companies/details';

// Firmaoplysninger (docs/people.md, docs/forms.md). The access mail to Scalepoint uses the details, so
// its preview on the Scalepoint page is redrawn too.
const saveForm = formAction('company.saveDetails', saveCompanyDetails, {
  echo: ['name', 'street', 'houseNumber', 'postalCode', 'city', 'phone', 'email'],
  revalidate: () => ['/admin/company', '/admin/modules/scalepoint'],
});

export async function saveCompanyDetailsAction(previous: FormState | null, form: FormData) {
  return saveForm(previous, form);
}
