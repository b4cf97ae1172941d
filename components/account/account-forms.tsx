'use client';

import { useMemo } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { FormField } from '@/components/ui/form-field';
import { useCheckedForm } from '@/components/ui/use-checked-form';
import { accountNameSchema, changePasswordSchema } from '@/lib/people/account-schema';
import { NewPasswordFields } from './new-password-fields';

type Action = (previous: FormState | null, form: FormData) => Promise<FormState>;

/** Min konto → Navn (docs/people.md, "Min konto"). */
export function AccountNameForm({ name, action }: { name: string; action: Action }) {
  const { form, defaultValues, answer, pending, submit, onSubmit, errorOf } = useCheckedForm(
    accountNameSchema,
    action,
    (echoed) => ({ name: echoed?.name ?? name }),
  );
  return (
    <form action={submit} onSubmit={onSubmit} noValidate className="form" aria-label="Dit navn">
      <FormField id="account-name" label="Navn" error={errorOf('name')}>
        {(aria) => (
          <input
            {...aria}
            type="text"
            autoComplete="name"
            {...form.register('name')}
            defaultValue={defaultValues.name}
          />
        )}
      </FormField>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem
        </button>
        <FormMessage state={answer} />
      </div>
    </form>
  );
}

/**
 * Skift adgangskode: the current password, then the new one twice. Passwords are never handed
 * back; a saved change empties the fields (React resets the form after the action).
 */
export function ChangePasswordForm({ email, action }: { email: string; action: Action }) {
  const schema = useMemo(() => changePasswordSchema(email), [email]);
  const { form, answer, pending, submit, onSubmit, errorOf } = useCheckedForm(
    schema,
    action,
    () => ({ current: '', password: '', repeat: '' }),
  );
  return (
    <form
      action={submit}
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label="Skift adgangskode"
    >
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <FormField id="account-current" label="Nuværende adgangskode" error={errorOf('current')}>
        {(aria) => (
          <input
            {...aria}
            type="password"
            autoComplete="current-password"
            {...form.register('current')}
          />
        )}
      </FormField>
      <NewPasswordFields idPrefix="account" register={form.register} errorOf={errorOf} />
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Skift adgangskode
        </button>
        <FormMessage state={answer} />
      </div>
    </form>
  );
}
