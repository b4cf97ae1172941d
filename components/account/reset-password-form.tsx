'use client';

import { useMemo } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { useCheckedForm } from '@/components/ui/use-checked-form';
import { resetPasswordSchema } from '@/lib/people/password-reset-schema';
import { NewPasswordFields } from './new-password-fields';

/**
 * The reset page's form (docs/forms.md, "With react-hook-form"): checked in the browser with the
 * server's rules less the common-password list. Success redirects to /login (the action does it).
 */
export function ResetPasswordForm({
  token,
  email,
  action,
}: {
  token: string;
  email: string;
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
}) {
  const schema = useMemo(() => resetPasswordSchema(email), [email]);
  const { form, answer, pending, submit, onSubmit, errorOf } = useCheckedForm(
    schema,
    action,
    () => ({ token, password: '', repeat: '' }),
  );
  return (
    <form
      action={submit}
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label="Ny adgangskode"
    >
      <input type="hidden" {...form.register('token')} defaultValue={token} />
      {/* For password managers: the account the new password belongs to (not posted). */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <NewPasswordFields idPrefix="reset" register={form.register} errorOf={errorOf} />
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem adgangskode
        </button>
        <FormMessage state={answer} />
      </div>
    </form>
  );
}
