import { auditDescription, readAudit } from '@/lib/audit-actions';
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

const roleWord = (role: string) => roleLabel[role as keyof typeof roleLabel] ?? role;

const changedFields = (changes: Record<string, unknown>) =>
  Object.keys(changes).length
    ? `Ændret: ${Object.keys(changes)
        .map((k) => fieldLabel[k] ?? k)
        .join(', ')}`
    : 'Ingen ændringer';

/** The Detaljer of a row, read with its action's schema; a row that does not fit shows none. */
function describe(action: string, details: Record<string, unknown>): string {
  const entry = readAudit(action, details);
  if (!entry) return '';
  switch (entry.action) {
    case 'company.created':
      return `${entry.details.name} · CVR ${entry.details.cvr}`;
    case 'company.identity_changed':
      return `${entry.details.to.name} (CVR ${entry.details.to.cvr})`;
    case 'company.details_saved':
      return changedFields(entry.details.changes);
    case 'user.invited':
      return `${entry.details.email} · ${roleWord(entry.details.role)}`;
    case 'user.role_changed':
      return `${entry.details.email} · ${roleWord(entry.details.from)} → ${roleWord(entry.details.to)}`;
    case 'user.invitation_resent':
    case 'user.deactivated':
    case 'user.reactivated':
    case 'user.two_factor_reset':
      return entry.details.email;
    case 'user.renamed_self':
    case 'order_type.renamed':
      return `${entry.details.from} → ${entry.details.to}`;
    case 'order_type.created':
    case 'order_type.deactivated':
    case 'order_type.reactivated':
      return entry.details.name;
    default:
      return '';
  }
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
                  <td className="muted">{describe(a.action, a.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
