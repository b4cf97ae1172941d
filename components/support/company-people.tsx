'use client';

import { useActionState } from 'react';
import type { FormState } from '@/app/_server/action';
import { InvitationLink } from '@/components/invitation-link';
import { FormMessage } from './form-message';

export type CompanyPerson = {
  id: string;
  name: string;
  email: string;
  role: string;
  status: string;
  invited: boolean;
  invitationNote: string | null;
};

type Props = {
  companyId: string;
  people: CompanyPerson[];
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/**
 * A company's people as support sees them (docs/people.md): Navn, E-mail, Rolle, Status, and Send
 * invitation igen for an invited one. One small form per row, all sharing one answer area.
 */
export function CompanyPeople({ companyId, people, action }: Props) {
  const [state, submit, pending] = useActionState(action, null);
  const link = state?.ok ? (state.data as { link?: string } | undefined)?.link : undefined;
  return (
    <>
      {people.length === 0 ? (
        <p className="empty">Virksomheden har ingen brugere.</p>
      ) : (
        <div className="tablewrap">
          <table className="datatable" aria-label="Brugere">
            <thead>
              <tr>
                <th scope="col">Navn</th>
                <th scope="col">E-mail</th>
                <th scope="col">Rolle</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Handlinger</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {people.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>
                    {u.status}
                    {u.invitationNote && (
                      <>
                        <br />
                        <span className="muted">{u.invitationNote}</span>
                      </>
                    )}
                  </td>
                  <td>
                    {u.invited && (
                      <form action={submit} aria-label={`Send invitation igen til ${u.name}`}>
                        <input type="hidden" name="companyId" value={companyId} />
                        <input type="hidden" name="userId" value={u.id} />
                        <button type="submit" className="button" disabled={pending}>
                          Send invitation igen
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <FormMessage state={state} />
      </p>
      <InvitationLink link={link} />
    </>
  );
}
