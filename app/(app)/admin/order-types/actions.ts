'use server';

import { formAction, type FormState } from '@/app/_server/action';
import {
  createOrderType,
  deactivateOrderType,
  reactivateOrderType,
  renameOrderType,
} from '@/lib/order-types/order-types';

// The admin's Ordretyper (docs/people.md, docs/forms.md). A rename reaches every order's copied name
// before it answers (lib/order-types/name-sync.ts), so the lists that show a type's name are
// revalidated with it; the Scalepoint page offers the types as Standard ordretype.
const PAGE = '/admin/order-types';
const page = () => [PAGE, '/admin/modules/scalepoint'];
const everywhere = () => [
  PAGE,
  '/admin/modules/scalepoint',
  '/orders',
  '/orders/drafts',
  '/orders/[id]',
  '/customers/[id]',
];

const createForm = formAction('orderTypes.create', createOrderType, {
  echo: ['name'],
  revalidate: page,
});
const renameForm = formAction('orderTypes.rename', renameOrderType, {
  echo: ['name'],
  revalidate: everywhere,
});
const deactivateForm = formAction('orderTypes.deactivate', deactivateOrderType, {
  revalidate: page,
});
const reactivateForm = formAction('orderTypes.reactivate', reactivateOrderType, {
  revalidate: page,
});

export async function createOrderTypeAction(previous: FormState | null, form: FormData) {
  return createForm(previous, form);
}

export async function renameOrderTypeAction(previous: FormState | null, form: FormData) {
  return renameForm(previous, form);
}

/** Deaktiver / Genaktiver, one form action for the list's row forms (its `op` field says which). */
export async function setOrderTypeActiveAction(previous: FormState | null, form: FormData) {
  return form.get('op') === 'reactivate'
    ? reactivateForm(previous, form)
    : deactivateForm(previous, form);
}
