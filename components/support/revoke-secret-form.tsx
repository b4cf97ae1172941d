'use client';

import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from './form-message';

/** Ends the previous signing secret's 24-hour grace now (docs/support-scalepoint.md). */
export function RevokeSecretForm({
  companyId,
  until,
  action,
}: {
  companyId: string;
  until: string | null;
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
}) {
  const [state, submit, pending] = useActionState(action, null);
  return (
    <form action={submit} className="form" aria-label="Forrige signeringsnøgle">
      <input type="hidden" name="companyId" value={companyId} />
      <p className="muted">
        {until
          ? `Den forrige signeringsnøgle virker stadig til ${until}, så Scalepoint kan nå at skifte.`
          : 'Kun den nuværende signeringsnøgle virker.'}
      </p>
      <div className="buttons">
        {until && (
          <button type="submit" className="button" disabled={pending}>
            Tilbagekald forrige nøgle
          </button>
        )}
        <FormMessage state={state} />
      </div>
    </form>
  );
}
