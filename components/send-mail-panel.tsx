'use client';

import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';

type Props = {
  canSend: boolean;
  preview: { to: string; cc?: string; subject: string; text: string };
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/** Bed om adgang: the mail's preview and a one-button form (docs/forms.md); the action revalidates the page. */
export function SendMailPanel({ canSend, preview, action }: Props) {
  const [state, submit, pending] = useActionState(action, null);
  return (
    <div className="form">
      <details>
        <summary>Se mailen, før den sendes</summary>
        <p className="hint">
          Til: {preview.to}
          {preview.cc ? ` · Kopi og svar til: ${preview.cc}` : ''}
        </p>
        <p className="hint">Emne: {preview.subject}</p>
        <pre className="mail">{preview.text}</pre>
      </details>
      <form action={submit} className="buttons">
        <button
          type="submit"
          className="button primary"
          disabled={!canSend || pending}
          aria-describedby="send-mail-hint"
        >
          Send mail til Scalepoint
        </button>
        <span
          role="status"
          className={state?.message ? (state.ok ? 'alert ok' : 'alert error') : undefined}
        >
          {state?.message}
        </span>
      </form>
      <p id="send-mail-hint" className="hint">
        {canSend
          ? 'Mailen beder Scalepoint om at sende jeres forsikringssager til Kladde.'
          : 'Slå modulet til, vælg en standard ordretype og tryk Gem, før du sender mailen.'}
      </p>
    </div>
  );
}
