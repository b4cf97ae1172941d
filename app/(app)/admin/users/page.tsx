import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCompanyAdmin } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { InviteUserForm } from '@/components/admin/invite-user-form';
import { PeopleAudit } from '@/components/people-audit';
import { peopleAudit } from '@/lib/companies/details';
import { listCompanyUsers } from '@/lib/people/company-users';
import { roleLabel, userStatusLabel } from '@/lib/people/schemas';
import { inviteUserAction } from './actions';

export const metadata: Metadata = { title: 'Brugere' };

const statusClass = { active: 'ok', invited: 'warn', deactivated: 'neutral' } as const;

/** Brugere (docs/people.md): the company's people, Inviter bruger, and the Ændringslog. */
export default async function UsersPage() {
  const actor = await requireCompanyAdmin();
  const [people, audit] = await Promise.all([pageRead(listCompanyUsers), pageRead(peopleAudit)]);
  return (
    <>
      <p className="crumbs">
        <Link href="/admin">Administration</Link> / Brugere
      </p>
      <div className="pagehead">
        <h1>Brugere</h1>
      </div>
      <p className="muted">
        Brugerne i {actor.companyName}. En ny bruger får en invitation på mail og vælger selv sin
        adgangskode. Åbn en bruger for at ændre rolle, sende invitationen igen eller deaktivere
        brugeren.
      </p>

      <div className="tablewrap" style={{ marginBottom: '1.25rem' }}>
        <table className="datatable" aria-label="Brugere">
          <thead>
            <tr>
              <th scope="col">Navn</th>
              <th scope="col">E-mail</th>
              <th scope="col">Rolle</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {people.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link href={`/admin/users/${u.id}`} className="rowlink">
                    {u.name}
                  </Link>
                  {u.id === actor.userId && <span className="muted"> (dig)</span>}
                </td>
                <td>{u.email}</td>
                <td>{roleLabel[u.role]}</td>
                <td>
                  <span className={`badge ${statusClass[u.status]}`} style={{ marginLeft: 0 }}>
                    {userStatusLabel[u.status]}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Inviter bruger</h2>
        <InviteUserForm action={inviteUserAction} />
      </section>

      <PeopleAudit rows={audit} />
    </>
  );
}
