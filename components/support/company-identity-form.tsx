'use client';

import { useActionState, useId } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from './form-message';

type Props = {
  company: { id: string; name: string; cvr: string };
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/** A company's Firmanavn and CVR-nr., which support alone changes (docs/people.md). Checked by the server. */
export function CompanyIdentityForm({ company, action }: Props) {
  const id = useId();
  const [state, submit, pending] = useActionState(action, null);
  const errors = state?.fieldErrors ?? {};
  const field = (
    key: 'name' | 'cvr',
    label: string,
    extra: { inputMode?: 'numeric'; hint?: string } = {},
  ) => {
    const error = errors[key];
    const described = [extra.hint ? `${id}-${key}-hint` : '', error ? `${id}-${key}-error` : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div className="field">
        <label htmlFor={`${id}-${key}`}>{label}</label>
        <input
          id={`${id}-${key}`}
          name={key}
          type="text"
          inputMode={extra.inputMode}
          autoComplete="off"
          required
          defaultValue={state?.values?.[key] ?? company[key]}
          aria-invalid={!!error}
          aria-describedby={described || undefined}
        />
        {extra.hint && (
          <p id={`${id}-${key}-hint`} className="hint">
            {extra.hint}
          </p>
        )}
        {error && (
          <p id={`${id}-${key}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  };
  return (
    <form action={submit} noValidate className="form" aria-label="Firmanavn og CVR-nr.">
      <input type="hidden" name="companyId" value={company.id} />
      {field('name', 'Firmanavn')}
      {field('cvr', 'CVR-nr.', { inputMode: 'numeric', hint: '8 cifre.' })}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
