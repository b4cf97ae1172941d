'use client';

import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { FormField } from '@/components/ui/form-field';

/**
 * Glemt adgangskode? (docs/people.md, "Forgotten password"): a plain form action, so it posts before
 * hydration too. The answer is the same for every e-mail; only a malformed one is refused.
 */
export function ForgotPasswordForm({
  action,
}: {
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
}) {
  const [state, submit, pending] = useActionState(action, null);
  const echoed = state?.values?.email ?? '';
  return (
    <form action={submit} noValidate className="form" aria-label="Glemt adgangskode">
      <FormField id="forgot-email" label="E-mail" error={state?.fieldErrors?.email}>
        {(aria) => (
          <input
            {...aria}
            name="email"
            type="email"
            autoComplete="username"
            defaultValue={echoed}
            required
          />
        )}
      </FormField>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Send link
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
