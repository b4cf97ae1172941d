'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { loginSchema, type LoginValues } from '@/lib/auth/login-schema';
import { signInErrorMessage } from '@/lib/auth/messages';

/**
 * Hydrated, the form signs in through next-auth's client without leaving the page. Before
 * hydration it is a plain POST to the credentials callback with the CSRF token proxy.ts made;
 * next-auth then redirects home, or back to /login?error=… (docs/security.md). `notice` is what the
 * page that sent the visitor here has to say (/login?notice=…, lib/auth/messages.ts), until an error
 * takes its place.
 */
export function LoginForm({
  csrfToken,
  initialError,
  notice = null,
  callbackUrl = '/',
}: {
  csrfToken: string | null;
  initialError: string | null;
  notice?: string | null;
  /** Where to go once signed in: a path of this site, checked by the page (lib/auth/return-path.ts). */
  callbackUrl?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const { register, handleSubmit, formState } = useForm<LoginValues>({
    resolver: zodResolver(loginSchema),
  });

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    const result = await signIn('credentials', {
      email: values.email,
      password: values.password,
      redirect: false,
    });
    if (!result || result.error) {
      setError(signInErrorMessage(result?.error ?? 'CredentialsSignin'));
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  });

  return (
    <form
      method="post"
      action="/api/auth/callback/credentials"
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label="Log ind"
    >
      {error ? (
        <p role="alert" className="alert error">
          {error}
        </p>
      ) : (
        notice && (
          <p role="status" className="alert ok">
            {notice}
          </p>
        )
      )}
      {csrfToken && <input type="hidden" name="csrfToken" value={csrfToken} />}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div className="field">
        <label htmlFor="email">E-mail</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          {...register('email')}
          aria-invalid={!!formState.errors.email}
        />
        {formState.errors.email && <p className="field-error">{formState.errors.email.message}</p>}
      </div>
      <div className="field">
        <label htmlFor="password">Adgangskode</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          {...register('password')}
          aria-invalid={!!formState.errors.password}
        />
        {formState.errors.password && (
          <p className="field-error">{formState.errors.password.message}</p>
        )}
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={formState.isSubmitting}>
          Log ind
        </button>
        <Link href="/password/forgot">Glemt adgangskode?</Link>
      </div>
    </form>
  );
}
