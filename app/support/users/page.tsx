import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { currentActor } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { PeopleAudit } from '@/components/people-audit';
import { InviteSupportUserForm } from '@/components/support/invite-support-user-form';
import { SupportUsersTable, type SupportPerson } from '@/components/support/support-users-table';
import { isSupport } from '@/lib/auth/actor';
import { userStatusLabel } from '@/lib/people/schemas';
import { listSupportUsers, supportPeopleAudit } from '@/lib/people/support-users';
import { inviteSupportUserAction, supportUserAction } from './actions';

export const metadata: Metadata = { title: 'Supportbrugere' };

/** Support's own people (docs/people.md): invite, Deaktiver (never the last active one), Genaktiver, Send invitation igen. */
export default async function SupportUsersPage() {
  // Signed out or not support: 404, like the layout (the page's existence is not told).
  const actor = await currentActor();
  if (!isSupport(actor)) notFound();
  const [users, audit] = await Promise.all([
    pageRead(listSupportUsers),
    pageRead(supportPeopleAudit),
  ]);
  const people: SupportPerson[] = users.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    status: u.status,
    statusLabel: userStatusLabel[u.status],
    you: u.id === actor.userId,
  }));
  return (
    <>
      <div className="pagehead">
        <h1>Supportbrugere</h1>
      </div>
      <p className="muted">
        Kladdes egne supportbrugere. Den sidste aktive supportbruger kan ikke deaktiveres.
      </p>
      <SupportUsersTable people={people} action={supportUserAction} />

      <section className="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Inviter supportbruger</h2>
        <p className="muted">Den nye supportbruger får en invitation på e-mail.</p>
        <InviteSupportUserForm action={inviteSupportUserAction} />
      </section>

      <PeopleAudit rows={audit} headingId="support-people-audit" />
    </>
  );
}
