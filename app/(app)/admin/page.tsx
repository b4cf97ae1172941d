import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCompanyAdmin } from '@/app/_server/auth';

export const metadata: Metadata = { title: 'Administration' };

export default async function AdminPage() {
  const actor = await requireCompanyAdmin();
  return (
    <>
      <div className="pagehead"><h1>Administration</h1></div>
      <p className="muted">Opsætning for {actor.companyName}.</p>
      <section className="card" aria-labelledby="modules-heading">
        <h2 id="modules-heading">Tilvalgsmoduler</h2>
        <ul className="linklist">
          <li>
            <Link href="/admin/modules/scalepoint">Scalepoint</Link>
            <span className="muted"> — modtag forsikringssager fra Scalepoint som nye ordrekladder.</span>
          </li>
        </ul>
      </section>
    </>
  );
}
