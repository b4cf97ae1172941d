'use server';

import { formAction, type FormState } from '@/app/_server/action';
import { resendMailer } from '@/lib/email';
import { accessMailOperation } from '@/lib/scalepoint/admin/access-mail';
import { replayDelivery } from '@/lib/scalepoint/admin/replay';
import { saveDeadlines } from '@/lib/scalepoint/deadlines/save';
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
// Gem frister re-dates the open cases, whose Frist both lists and the order page show.
const saveDeadlinesForm = formAction('scalepoint.saveDeadlines', saveDeadlines, {
  echo: ['contactHours', 'inspectionHours'],
  revalidate: () => [PAGE, '/orders/drafts', '/orders', '/orders/[id]'],
});
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

/** Frister: Kontakt kunden inden for and Besigtigelse inden for (docs/deadlines.md). */
export async function saveDeadlinesAction(previous: FormState | null, form: FormData) {
  return saveDeadlinesForm(previous, form);
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
