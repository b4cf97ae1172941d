'use client';

import { useActionState, useId } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from './form-message';

type Props = {
  companyId: string;
  companyName: string;
  accountId: string;
  hasSecret: boolean;
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/**
 * Direct delivery's credentials for one company (docs/support-scalepoint.md). Validated on the
 * server only, so no schema (and no node:crypto behind it) reaches the browser. The secret is
 * never echoed back: React resets the form after each submit.
 */
export function CredentialsForm({ companyId, companyName, accountId, hasSecret, action }: Props) {
  const id = useId();
  const [state, submit, pending] = useActionState(action, null);
  const errors = state?.fieldErrors ?? {};
  return (
    <form
      action={submit}
      noValidate
      className="form"
      aria-label={`Scalepoint-adgang for ${companyName}`}
    >
      <input type="hidden" name="companyId" value={companyId} />
      <div className="field">
        <label htmlFor={`${id}-account`}>Scalepoint konto-id</label>
        <input
          id={`${id}-account`}
          name="accountId"
          type="text"
          autoComplete="off"
          defaultValue={state?.values?.accountId ?? accountId}
          aria-invalid={!!errors.accountId}
          aria-describedby={errors.accountId ? `${id}-account-error` : undefined}
        />
        {errors.accountId && (
          <p id={`${id}-account-error`} className="field-error" role="alert">
            {errors.accountId}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-secret`}>Signeringsnøgle</label>
        <input
          id={`${id}-secret`}
          name="secret"
          type="password"
          autoComplete="off"
          placeholder={hasSecret ? 'Gemt – skriv en ny for at skifte' : 'whsec_…'}
          aria-invalid={!!errors.secret}
          aria-describedby={`${id}-secret-hint${errors.secret ? ` ${id}-secret-error` : ''}`}
        />
        <p id={`${id}-secret-hint`} className="hint">
          whsec_ efterfulgt af base64. Nøglen vises aldrig igen.
        </p>
        {errors.secret && (
          <p id={`${id}-secret-error`} className="field-error" role="alert">
            {errors.secret}
          </p>
        )}
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem adgang
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
