'use client';

import { useActionState } from 'react';
import type { SecondStepState } from '@/app/(auth)/login/code/actions';

type Action = (previous: SecondStepState, form: FormData) => Promise<SecondStepState>;

/**
 * Kode fra din app → Bekræft (docs/security.md, "Two-step verification"): a React form action, so
 * it posts as a plain form before hydration or without JavaScript, and the page answers with
 * **Koden er forkert** the same way.
 */
export function SecondStepForm({ action, callbackUrl }: { action: Action; callbackUrl: string }) {
  const [state, submit, pending] = useActionState(action, null);
  return (
    <form action={submit} className="form" aria-label="Andet trin af login">
      {state?.message && (
        <p role="alert" className="alert error">
          {state.message}
        </p>
      )}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div className="field">
        <label htmlFor="code">Kode fra din app</label>
        <input
          id="code"
          name="code"
          type="text"
          inputMode="text"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={20}
          required
          autoFocus
          aria-invalid={!!state?.message}
          aria-describedby="code-hint"
        />
        <p id="code-hint" className="hint">
          De 6 cifre, din godkendelsesapp viser for Kladde. Har du mistet telefonen, skriv en af
          dine gendannelseskoder.
        </p>
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Bekræft
        </button>
      </div>
    </form>
  );
}
