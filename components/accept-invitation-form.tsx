'use client';

import { REFUSED_IN_BROWSER } from '@/lib/action-result';
import { zodResolver } from '@hookform/resolvers/zod';
import { startTransition, useActionState, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import type { FormState } from '@/app/_server/action';
import { PASSWORD_MIN_LENGTH } from '@/lib/auth/password-schema';
import { acceptInvitationSchema } from '@/lib/people/accept-schema';

type Props = {
  token: string;
  email: string;
  name: string;
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

type Schema = ReturnType<typeof acceptInvitationSchema>;

/**
 * Opret adgang (docs/forms.md, "With react-hook-form"). The browser checks the fields with the
 * server's schema, less the common-password list (the server has it and decides); before
 * hydration the form posts itself and the server checks alone. Success redirects to /login
 * (the action does it), so this form only ever shows refusals. Passwords are never handed back.
 */
export function AcceptInvitationForm({ token, email, name, action }: Props) {
  const [state, submit, pending] = useActionState(action, null);
  const [refused, setRefused] = useState(false);
  const schema = useMemo(() => acceptInvitationSchema(email), [email]);
  const shownName = state?.values?.name ?? name;
  const { register, handleSubmit, formState } = useForm<z.input<Schema>, unknown, z.output<Schema>>(
    {
      resolver: zodResolver(schema),
      defaultValues: { token, name: shownName, password: '', repeat: '' },
    },
  );
  const serverErrors = refused ? {} : (state?.fieldErrors ?? {});
  const errors = {
    name: formState.errors.name?.message ?? serverErrors.name,
    password: formState.errors.password?.message ?? serverErrors.password,
    repeat: formState.errors.repeat?.message ?? serverErrors.repeat,
  };
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
    <form action={submit} onSubmit={onSubmit} noValidate className="form" aria-label="Opret adgang">
      <input type="hidden" {...register('token')} defaultValue={token} />
      {/* For password managers: the account the new password belongs to (not posted). */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <div className="field">
        <label htmlFor="name">Navn</label>
        <input
          id="name"
          type="text"
          autoComplete="name"
          {...register('name')}
          defaultValue={shownName}
          aria-invalid={!!errors.name}
          aria-describedby={errors.name ? 'name-error' : undefined}
        />
        {errors.name && (
          <p id="name-error" className="field-error" role="alert">
            {errors.name}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="password">Adgangskode</label>
        <input
          id="password"
          type="password"
          autoComplete="new-password"
          {...register('password')}
          aria-invalid={!!errors.password}
          aria-describedby={errors.password ? 'password-hint password-error' : 'password-hint'}
        />
        <p id="password-hint" className="hint">
          Mindst {PASSWORD_MIN_LENGTH} tegn. Ikke din e-mail, og ikke en af de mest almindelige
          adgangskoder.
        </p>
        {errors.password && (
          <p id="password-error" className="field-error" role="alert">
            {errors.password}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="repeat">Gentag adgangskode</label>
        <input
          id="repeat"
          type="password"
          autoComplete="new-password"
          {...register('repeat')}
          aria-invalid={!!errors.repeat}
          aria-describedby={errors.repeat ? 'repeat-error' : undefined}
        />
        {errors.repeat && (
          <p id="repeat-error" className="field-error" role="alert">
            {errors.repeat}
          </p>
        )}
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Opret adgang
        </button>
        <span
          role="status"
          className={answer?.message ? (answer.ok ? 'alert ok' : 'alert error') : undefined}
        >
          {answer?.message}
        </span>
      </div>
    </form>
  );
}
