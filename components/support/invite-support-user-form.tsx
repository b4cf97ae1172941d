'use client';

import { useActionState, useId } from 'react';
import type { FormState } from '@/app/_server/action';
import { InvitationLink } from '@/components/invitation-link';
import { FormMessage } from './form-message';

type Props = { action: (previous: FormState | null, form: FormData) => Promise<FormState> };

/** Inviter supportbruger (docs/people.md): Navn and E-mail, checked by the server; the link once when no mail went out. */
export function InviteSupportUserForm({ action }: Props) {
  const id = useId();
  const [state, submit, pending] = useActionState(action, null);
  const errors = state?.fieldErrors ?? {};
  const link = state?.ok ? (state.data as { link?: string } | undefined)?.link : undefined;
  const field = (key: 'name' | 'email', label: string, type: 'text' | 'email') => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        name={key}
        type={type}
        autoComplete="off"
        required
        defaultValue={state?.values?.[key] ?? ''}
        aria-invalid={!!errors[key]}
        aria-describedby={errors[key] ? `${id}-${key}-error` : undefined}
      />
      {errors[key] && (
        <p id={`${id}-${key}-error`} className="field-error" role="alert">
          {errors[key]}
        </p>
      )}
    </div>
  );
  return (
    <form action={submit} noValidate className="form" aria-label="Inviter supportbruger">
      {field('name', 'Navn', 'text')}
      {field('email', 'E-mail', 'email')}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Send invitation
        </button>
        <FormMessage state={state} />
      </div>
      <InvitationLink link={link} />
    </form>
  );
}
