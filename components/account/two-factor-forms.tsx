'use client';

import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { FormField } from '@/components/ui/form-field';

type Action = (previous: FormState | null, form: FormData) => Promise<FormState>;

function CodeField({
  id,
  error,
  recovery = false,
}: {
  id: string;
  error?: string;
  recovery?: boolean;
}) {
  return (
    <FormField
      id={id}
      label="Kode"
      error={error}
      hint={
        recovery
          ? 'De 6 cifre fra din godkendelsesapp, eller en af dine gendannelseskoder.'
          : 'De 6 cifre, din godkendelsesapp viser for Kladde lige nu.'
      }
    >
      {(aria) => (
        <input
          {...aria}
          name="code"
          type="text"
          inputMode={recovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={20}
          required
        />
      )}
    </FormField>
  );
}

/**
 * The setup (docs/security.md, "Two-step verification"): the QR code and **Nøgle** (given as
 * children, drawn on the server), **Kode** → **Bekræft**; then the 10 **Gendannelseskoder**, once,
 * and **Fortsæt** to `continueTo`. The page is not re-rendered after Bekræft, so the codes stay on
 * screen until the person goes on.
 */
export function TwoFactorSetup({
  action,
  continueAction,
  continueTo,
  children,
}: {
  action: Action;
  continueAction: (form: FormData) => Promise<void>;
  continueTo: string;
  children: React.ReactNode;
}) {
  const [state, submit, pending] = useActionState(action, null);
  const codes = state?.ok
    ? (state.data as { recoveryCodes?: string[] } | undefined)?.recoveryCodes
    : undefined;
  if (codes) {
    return (
      <section className="card" aria-labelledby="recovery-codes-heading">
        <p role="status" className="alert ok">
          {state?.message}
        </p>
        <h2 id="recovery-codes-heading">Gendannelseskoder</h2>
        <p className="muted">
          Gem kodene et sikkert sted, fx i din adgangskodeboks eller på papir. Mister du telefonen,
          logger du ind med en af dem i stedet for koden fra appen; hver kode virker én gang. Kodene
          vises kun nu.
        </p>
        <ul className="recovery-codes" aria-labelledby="recovery-codes-heading">
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <form action={continueAction} className="buttons">
          <input type="hidden" name="to" value={continueTo} />
          <button type="submit" className="button primary">
            Fortsæt
          </button>
        </form>
      </section>
    );
  }
  return (
    <>
      {children}
      <section className="card" aria-labelledby="confirm-code-heading">
        <h2 id="confirm-code-heading">Bekræft med en kode</h2>
        <form action={submit} className="form" aria-label="Bekræft to-trinsbekræftelse">
          <CodeField id="setup-code" error={state?.fieldErrors?.code} />
          <div className="buttons">
            <button type="submit" className="button primary" disabled={pending}>
              Bekræft
            </button>
            <FormMessage state={state} />
          </div>
        </form>
      </section>
    </>
  );
}

/** Slå fra (admins and members): asks for a code from the app, or a recovery code. */
export function DisableTwoFactorForm({ action }: { action: Action }) {
  const [state, submit, pending] = useActionState(action, null);
  return (
    <form action={submit} className="form" aria-label="Slå to-trinsbekræftelse fra">
      <CodeField id="disable-code" error={state?.fieldErrors?.code} recovery />
      <div className="buttons">
        <button type="submit" className="button" disabled={pending}>
          Slå fra
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
