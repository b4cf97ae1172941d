'use client';

import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { InvitationLink } from '@/components/invitation-link';
import { companyRoles, roleLabel } from '@/lib/people/schemas';

type Action = (previous: FormState | null, form: FormData) => Promise<FormState>;

/**
 * A user's page (docs/people.md): Rolle with Gem, Deaktiver / Genaktiver, Send invitation igen. Plain
 * form actions (docs/forms.md): the server checks everything, including the last active
 * administrator; each form has its own answer line.
 */
export function RoleForm({
  userId,
  role,
  action,
}: {
  userId: string;
  role: 'admin' | 'member';
  action: Action;
}) {
  const [state, submit, pending] = useActionState(action, null);
  const error = state?.fieldErrors?.role;
  const shown = state?.values?.role ?? role;
  return (
    <form action={submit} noValidate className="form" aria-label="Brugerens rettigheder">
      <input type="hidden" name="userId" value={userId} />
      <div className="field">
        <label htmlFor="user-role">Rolle</label>
        {/* Keyed by the saved role, so a saved change redraws the choice from the server. */}
        <select
          key={`${role}-${shown}`}
          id="user-role"
          name="role"
          defaultValue={shown}
          aria-invalid={!!error}
          aria-describedby={error ? 'user-role-error' : 'user-role-hint'}
        >
          {companyRoles.map((r) => (
            <option key={r} value={r}>
              {roleLabel[r]}
            </option>
          ))}
        </select>
        <p id="user-role-hint" className="hint">
          Skifter du rolle, bliver brugeren logget ud og skal logge ind igen.
        </p>
        {error && (
          <p id="user-role-error" className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem
        </button>
        {/* The message repeats a field error; the field says it already. */}
        <FormMessage state={error ? { ...state!, message: undefined } : state} />
      </div>
    </form>
  );
}

export function StatusForm({
  userId,
  deactivated,
  deactivate,
  reactivate,
}: {
  userId: string;
  deactivated: boolean;
  deactivate: Action;
  reactivate: Action;
}) {
  // One answer line for both: the form's action follows the user's status as the server drew it.
  const [state, submit, pending] = useActionState(deactivated ? reactivate : deactivate, null);
  return (
    <form action={submit} className="buttons" aria-label="Brugerens adgang">
      <input type="hidden" name="userId" value={userId} />
      {deactivated ? (
        <button type="submit" className="button" disabled={pending}>
          Genaktiver
        </button>
      ) : (
        <button type="submit" className="button danger" disabled={pending}>
          Deaktiver
        </button>
      )}
      <FormMessage state={state} />
    </form>
  );
}

export function ResendInvitationForm({ userId, action }: { userId: string; action: Action }) {
  const [state, submit, pending] = useActionState(action, null);
  const link = state?.ok ? (state.data as { link?: string } | undefined)?.link : undefined;
  return (
    <form action={submit} className="form" aria-label="Ny invitation">
      <input type="hidden" name="userId" value={userId} />
      <div className="buttons">
        <button type="submit" className="button" disabled={pending}>
          Send invitation igen
        </button>
        <FormMessage state={state} />
      </div>
      <p className="hint">
        Et nyt link sendes til brugeren; det gamle link holder op med at virke.
      </p>
      <InvitationLink link={link} />
    </form>
  );
}

/**
 * Nulstil to-trinsbekræftelse: for a user who lost the phone; the user is signed out everywhere.
 * Drawn whether it is on or not, so its answer stays on the page after the reset.
 */
export function ResetTwoFactorForm({
  userId,
  enabled,
  action,
}: {
  userId: string;
  enabled: boolean;
  action: Action;
}) {
  const [state, submit, pending] = useActionState(action, null);
  return (
    <form action={submit} className="form" aria-label="Nulstil to-trinsbekræftelse">
      <input type="hidden" name="userId" value={userId} />
      {enabled ? (
        <p className="hint">
          Har brugeren mistet sin telefon? Efter nulstillingen logger brugeren ind med adgangskoden
          alene og kan slå to-trinsbekræftelse til igen under Min konto. Brugeren bliver logget ud
          overalt.
        </p>
      ) : (
        <p className="hint">Brugeren har ikke to-trinsbekræftelse slået til.</p>
      )}
      <div className="buttons">
        {enabled && (
          <button type="submit" className="button" disabled={pending}>
            Nulstil to-trinsbekræftelse
          </button>
        )}
        <FormMessage state={state} />
      </div>
    </form>
  );
}
