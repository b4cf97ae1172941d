import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireCompanyAdmin } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import {
  ResendInvitationForm,
  ResetTwoFactorForm,
  RoleForm,
  StatusForm,
} from '@/components/admin/user-forms';
import { FieldList } from '@/components/ui/field-list';
import { formatDateTime } from '@/lib/format';
import { getCompanyUser } from '@/lib/people/company-users';
import { roleLabel, userStatusLabel } from '@/lib/people/schemas';
import {
  changeRoleAction,
  deactivateUserAction,
  reactivateUserAction,
  resendInvitationAction,
  resetTwoFactorAction,
} from '../actions';

export const metadata: Metadata = { title: 'Bruger' };

const mailStatusText = {
  sending: 'sendes',
  sent: 'sendt',
  not_sent: 'ikke sendt (ingen mailtjeneste sat op)',
  failed: 'kunne ikke sendes',
} as const;

/** One user of the company (docs/people.md): Rolle, Deaktiver / Genaktiver, Send invitation igen. Another company's user: 404. */
export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireCompanyAdmin();
  const { id } = await params;
  const user = await pageRead(getCompanyUser, { userId: id });
  if (!user) notFound();
  const invitation = user.invitation;
  return (
    <>
      <p className="crumbs">
        <Link href="/admin">Administration</Link> / <Link href="/admin/users">Brugere</Link>
      </p>
      <div className="pagehead">
        <h1>{user.name}</h1>
      </div>
      {user.id === actor.userId && <p className="muted">Det er dig.</p>}

      <section className="card">
        <FieldList
          fields={[
            { label: 'E-mail', value: user.email },
            { label: 'Status', value: userStatusLabel[user.status] },
            { label: 'Rolle', value: roleLabel[user.role] },
            { label: 'Oprettet', value: formatDateTime(user.createdAt) },
            {
              label: 'To-trinsbekræftelse',
              value: user.twoFactorEnabled ? 'Slået til' : 'Slået fra',
            },
            ...(user.status === 'invited'
              ? [
                  {
                    label: 'Invitation',
                    value: invitation
                      ? `${mailStatusText[invitation.mailStatus as keyof typeof mailStatusText] ?? invitation.mailStatus} ${formatDateTime(invitation.createdAt)}, udløber ${formatDateTime(invitation.expiresAt)}`
                      : 'Intet gyldigt link. Send invitationen igen.',
                  },
                ]
              : []),
          ]}
        />
      </section>

      <section className="card">
        <h2>Rolle</h2>
        <RoleForm userId={user.id} role={user.role} action={changeRoleAction} />
      </section>

      {user.status === 'invited' && (
        <section className="card">
          <h2>Invitation</h2>
          <ResendInvitationForm userId={user.id} action={resendInvitationAction} />
        </section>
      )}

      <section className="card">
        <h2>To-trinsbekræftelse</h2>
        <ResetTwoFactorForm
          userId={user.id}
          enabled={user.twoFactorEnabled}
          action={resetTwoFactorAction}
        />
      </section>

      <section className="card">
        <h2>{user.status === 'deactivated' ? 'Genaktiver' : 'Deaktiver'}</h2>
        <p className="hint" style={{ marginBottom: '0.75rem' }}>
          {user.status === 'deactivated'
            ? 'Brugeren kan logge ind igen, hvis den har valgt en adgangskode; ellers bliver den inviteret igen.'
            : 'En deaktiveret bruger bliver logget ud med det samme og kan ikke logge ind. Et invitationslink holder op med at virke.'}
        </p>
        <StatusForm
          userId={user.id}
          deactivated={user.status === 'deactivated'}
          deactivate={deactivateUserAction}
          reactivate={reactivateUserAction}
        />
      </section>
    </>
  );
}
