import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCompanyAdmin } from '@/app/_server/auth';

export const metadata: Metadata = { title: 'Administration' };

/** Administration (docs/people.md): the company's own settings and its add-on modules. */
const sections = [
  {
    id: 'company-heading',
    href: '/admin/company',
    title: 'Firmaoplysninger',
    text: 'firmanavn, adresse, telefon og e-mail. De står i mailen til Scalepoint.',
  },
  {
    id: 'users-heading',
    href: '/admin/users',
    title: 'Brugere',
    text: 'inviter brugere, skift rolle, deaktiver brugere.',
  },
  {
    id: 'order-types-heading',
    href: '/admin/order-types',
    title: 'Ordretyper',
    text: 'opret, omdøb og deaktiver ordretyper.',
  },
] as const;

export default async function AdminPage() {
  const actor = await requireCompanyAdmin();
  return (
    <>
      <div className="pagehead">
        <h1>Administration</h1>
      </div>
      <p className="muted">Opsætning for {actor.companyName}.</p>
      {sections.map((s) => (
        <section key={s.href} className="card" aria-labelledby={s.id}>
          <h2 id={s.id}>{s.title}</h2>
          <ul className="linklist">
            <li>
              <Link href={s.href}>{s.title}</Link>
              <span className="muted"> — {s.text}</span>
            </li>
          </ul>
        </section>
      ))}
      <section className="card" aria-labelledby="modules-heading">
        <h2 id="modules-heading">Tilvalgsmoduler</h2>
        <ul className="linklist">
          <li>
            <Link href="/admin/modules/scalepoint">Scalepoint</Link>
            <span className="muted">
              {' '}
              — modtag forsikringssager fra Scalepoint som nye ordrekladder.
            </span>
          </li>
        </ul>
      </section>
    </>
  );
}
