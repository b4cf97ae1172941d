import { auditDescription } from '@/lib/audit-actions';
import type { PeopleAuditRow } from '@/lib/companies/directory';
import { roleLabel } from '@/lib/people/schemas';
import { formatDateTime } from '@/lib/format';

/**
 * Ændringslog for companies, people and order types (docs/people.md): who, when, what. Used on the
 * admin's Brugere, Ordretyper and Firmaoplysninger and on support's company page.
 */

// A support user is not visible inside a company's door (row-level security), so its name is not either.
const actorWithoutName: Record<string, string> = {
  command: 'Kommandolinjen',
  support: 'Kladde support',
};

const fieldLabel: Record<string, string> = {
  name: 'firmanavn',
  street: 'vejnavn',
  houseNumber: 'husnr.',
  postalCode: 'postnr.',
  city: 'by',
  phone: 'telefon',
  email: 'e-mail',
};

function describe(details: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof details.email === 'string') parts.push(details.email);
  if (typeof details.role === 'string')
    parts.push(roleLabel[details.role as keyof typeof roleLabel] ?? details.role);
  if (typeof details.from === 'string' && typeof details.to === 'string') {
    const word = (v: string) => roleLabel[v as keyof typeof roleLabel] ?? v;
    parts.push(`${word(details.from)} → ${word(details.to)}`);
  }
  if (typeof details.name === 'string' && !details.email) parts.push(details.name);
  if (typeof details.cvr === 'string') parts.push(`CVR ${details.cvr}`);
  const to = details.to as { name?: string; cvr?: string } | undefined;
  if (to && typeof to === 'object' && to.cvr) parts.push(`${to.name} (CVR ${to.cvr})`);
  const changes = details.changes as Record<string, unknown> | undefined;
  if (changes)
    parts.push(
      Object.keys(changes).length
        ? `Ændret: ${Object.keys(changes)
            .map((k) => fieldLabel[k] ?? k)
            .join(', ')}`
        : 'Ingen ændringer',
    );
  return parts.join(' · ');
}

export function PeopleAudit({
  rows,
  headingId = 'people-audit',
}: {
  rows: PeopleAuditRow[];
  headingId?: string;
}) {
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Ændringslog</h2>
      {rows.length === 0 ? (
        <p className="muted">Ingen ændringer endnu.</p>
      ) : (
        <div className="tablewrap">
          <table className="datatable">
            <thead>
              <tr>
                <th scope="col">Tidspunkt</th>
                <th scope="col">Hvem</th>
                <th scope="col">Hvad</th>
                <th scope="col">Detaljer</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.createdAt)}</td>
                  <td>{a.actorName ?? actorWithoutName[a.actorRole] ?? 'Slettet bruger'}</td>
                  <td>{auditDescription(a.action)}</td>
                  <td className="muted">{describe(a.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
