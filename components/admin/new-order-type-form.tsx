'use client';

import { useEffect } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { FormField } from '@/components/ui/form-field';
import { useCheckedForm } from '@/components/ui/use-checked-form';
import { newOrderTypeSchema } from '@/lib/people/schemas';

/** Ny ordretype (docs/people.md): Navn, checked with the action's schema; a name in use (any case) is refused at the field. */
export function NewOrderTypeForm({
  action,
}: {
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
}) {
  const {
    form,
    defaultValues: shown,
    state,
    answer,
    pending,
    submit,
    onSubmit,
    errorOf,
  } = useCheckedForm(newOrderTypeSchema, action, (echoed) => ({
    name: echoed?.name ?? '',
  }));
  const { register, reset } = form;
  useEffect(() => {
    if (state?.ok) reset({ name: '' });
  }, [state, reset]);
  return (
    <form action={submit} onSubmit={onSubmit} noValidate className="form" aria-label="Ny ordretype">
      <FormField
        id="new-type-name"
        label="Navn"
        error={errorOf('name')}
        hint="Navnet skal være forskelligt fra virksomhedens andre ordretyper (store og små bogstaver tæller ikke)."
      >
        {(aria) => (
          <input
            {...aria}
            type="text"
            autoComplete="off"
            {...register('name')}
            defaultValue={shown.name}
          />
        )}
      </FormField>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Opret
        </button>
        <FormMessage state={answer} />
      </div>
    </form>
  );
}
