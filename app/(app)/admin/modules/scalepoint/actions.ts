'use server';

import { formAction, type FormState } from '@/app/_server/action';
import { resendMailer } from '@/lib/email';
import { accessMailOperation } from '@/lib/scalepoint/admin/access-mail';
import { replayDelivery } from '@/lib/scalepoint/admin/replay';
import { retryOutbox } from '@/lib/scalepoint/outbound/retry';
import { saveScalepointSettings } from '@/lib/scalepoint/settings/save';
import { settingsFromFields } from '@/lib/scalepoint/settings/schema';

// The admin's Scalepoint forms (docs/forms.md): each is a React form action for useActionState,
// so it also works before the page is hydrated, and revalidation redraws the page after it.
const PAGE = '/admin/modules/scalepoint';
const page = () => [PAGE];
// formAction hands an operation the form's text fields.
const fields = (input: unknown) => (input ?? {}) as Record<string, string>;

const saveSettingsForm = formAction(
  'scalepoint.saveSettings',
  (db, actor, input) => saveScalepointSettings(db, actor, settingsFromFields(fields(input))),
  { echo: ['enabled', 'orderTypeId', 'customerMode', 'phoneAsCustomerNumber'], revalidate: page },
);
const sendMailForm = formAction('scalepoint.sendMail', accessMailOperation(resendMailer), {
  revalidate: page,
});
const replayForm = formAction('scalepoint.replay', replayDelivery, {
  revalidate: () => [PAGE, '/orders/drafts'],
});

const retryOutboxForm = formAction('scalepoint.retryOutbox', retryOutbox, {
  revalidate: () => [PAGE, '/orders/[id]'],
});

export async function saveSettingsAction(previous: FormState | null, form: FormData) {
  return saveSettingsForm(previous, form);
}

export async function sendMailAction(previous: FormState | null, form: FormData) {
  return sendMailForm(previous, form);
}

/** Genbehandl: one small form per delivery, posting its id. */
export async function replayAction(previous: FormState | null, form: FormData) {
  return replayForm(previous, form);
}

/** Send igen: one small form per failed row of Sendt til Scalepoint, posting its `outboxId`. */
export async function retryOutboxAction(previous: FormState | null, form: FormData) {
  return retryOutboxForm(previous, form);
}
