'use client';

import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';
import { InvitationLink } from '@/components/invitation-link';
import { FormMessage } from './form-message';

export type SupportPerson = {
  id: string;
  name: string;
  email: string;
  status: 'active' | 'invited' | 'deactivated';
  statusLabel: string;
  you: boolean;
};

type Props = {
  people: SupportPerson[];
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/**
 * Supportbrugere (docs/people.md): Deaktiver an active or invited one (never the last active:
 * the server says so), Genaktiver a deactivated one, Send invitation igen while invited. One small
 * form per button, all sharing one answer area; the link shows once when no mail went out.
 */
export function SupportUsersTable({ people, action }: Props) {
  const [state, submit, pending] = useActionState(action, null);
  const link = state?.ok ? (state.data as { link?: string } | undefined)?.link : undefined;
  const button = (
    u: SupportPerson,
    intent: 'deactivate' | 'reactivate' | 'resend',
    label: string,
  ) => (
    <form action={submit}>
      <input type="hidden" name="userId" value={u.id} />
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className="button" disabled={pending}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      <div className="tablewrap">
        <table className="datatable" aria-label="Supportbrugere">
          <thead>
            <tr>
              <th scope="col">Navn</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Handlinger</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.name}
                  {u.you && <span className="muted"> (dig)</span>}
                </td>
                <td>{u.email}</td>
                <td>{u.statusLabel}</td>
                <td>
                  <div className="buttons">
                    {u.status === 'invited' && button(u, 'resend', 'Send invitation igen')}
                    {u.status === 'deactivated'
                      ? button(u, 'reactivate', 'Genaktiver')
                      : button(u, 'deactivate', 'Deaktiver')}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <FormMessage state={state} />
      </p>
      <InvitationLink link={link} />
    </>
  );
}
