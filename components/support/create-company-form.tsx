'use client';

import { REFUSED_IN_BROWSER } from '@/lib/action-result';
import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { startTransition, useActionState, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import type { FormState } from '@/app/_server/action';
import { InvitationLink } from '@/components/invitation-link';
import { createCompanySchema } from '@/lib/people/schemas';
import { FormMessage } from './form-message';

type Input = z.input<typeof createCompanySchema>;
type Output = z.output<typeof createCompanySchema>;
type Created = { companyId: string; link?: string; email: string };

const empty: Input = { name: '', cvr: '', adminName: '', adminEmail: '' };
const fields: {
  key: keyof Input;
  label: string;
  type: 'text' | 'email';
  autoComplete: string;
  hint?: string;
  inputMode?: 'numeric';
}[] = [
  { key: 'name', label: 'Firmanavn', type: 'text', autoComplete: 'organization' },
  {
    key: 'cvr',
    label: 'CVR-nr.',
    type: 'text',
    autoComplete: 'off',
    hint: '8 cifre.',
    inputMode: 'numeric',
  },
  { key: 'adminName', label: 'Administrators navn', type: 'text', autoComplete: 'off' },
  {
    key: 'adminEmail',
    label: 'Administrators e-mail',
    type: 'email',
    autoComplete: 'off',
    hint: 'Administratoren får en invitation på denne e-mail.',
  },
];

/**
 * Opret virksomhed (docs/people.md, docs/forms.md): the browser checks the fields with the action's
 * own schema and only then posts; before hydration the form posts itself and the server checks
 * alone. A created company empties the form and shows where to go next, and the invitation link
 * once when no mail went out.
 */
export function CreateCompanyForm({
  action,
}: {
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
}) {
  const [state, submit, pending] = useActionState(action, null);
  const [refused, setRefused] = useState(false);
  // What a post before hydration sends, and what a refused post shows again: in the markup. No
  // defaultValues for react-hook-form, so once hydrated it takes each field's value from the page
  // (what was typed before hydration too) instead of writing its own over it.
  const values: Input = { ...empty, ...state?.values };
  const { register, handleSubmit, reset, formState } = useForm<Input, unknown, Output>({
    resolver: zodResolver(createCompanySchema),
  });
  const created = state?.ok ? (state.data as Created | undefined) : undefined;

  // Created: the form is ready for the next company (React resets it itself only after its own submit).
  useEffect(() => {
    if (state?.ok) reset(empty);
  }, [state, reset]);

  const serverErrors = refused ? {} : (state?.fieldErrors ?? {});
  const errorOf = (key: keyof Input) => formState.errors[key]?.message ?? serverErrors[key];
  const answer = refused ? REFUSED_IN_BROWSER : state;

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    event.preventDefault();
    void handleSubmit(
      () => {
        setRefused(false);
        startTransition(() => submit(new FormData(form)));
      },
      () => setRefused(true),
    )(event);
  };

  return (
    <form
      action={submit}
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label="Opret virksomhed"
    >
      {fields.map((f) => {
        const error = errorOf(f.key);
        const described = [f.hint ? `${f.key}-hint` : '', error ? `${f.key}-error` : '']
          .filter(Boolean)
          .join(' ');
        return (
          <div className="field" key={f.key}>
            <label htmlFor={f.key}>{f.label}</label>
            <input
              id={f.key}
              type={f.type}
              inputMode={f.inputMode}
              autoComplete={f.autoComplete}
              required
              defaultValue={values[f.key]}
              aria-invalid={!!error}
              aria-describedby={described || undefined}
              {...register(f.key)}
            />
            {f.hint && (
              <p id={`${f.key}-hint`} className="hint">
                {f.hint}
              </p>
            )}
            {error && (
              <p id={`${f.key}-error`} className="field-error" role="alert">
                {error}
              </p>
            )}
          </div>
        );
      })}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Opret virksomhed
        </button>
        <FormMessage state={answer} />
      </div>
      {created && (
        <>
          <InvitationLink link={created.link} />
          <p>
            <Link href={`/support/companies/${created.companyId}`}>Gå til den nye virksomhed</Link>
          </p>
        </>
      )}
    </form>
  );
}
