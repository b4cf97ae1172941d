import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { currentActor } from '@/app/_server/auth';
import { CreateCompanyForm } from '@/components/support/create-company-form';
import { isSupport } from '@/lib/auth/actor';
import { createCompanyAction } from '../actions';

export const metadata: Metadata = { title: 'Opret virksomhed' };

/** Opret virksomhed (docs/people.md): the company, its order types Service and Skadeservice, and its first admin's invitation. */
export default async function NewCompanyPage() {
  // Signed out or not support: 404, like the layout (the page's existence is not told).
  const actor = await currentActor();
  if (!isSupport(actor)) notFound();
  return (
    <>
      <p className="crumbs">
        <Link href="/support/companies">Virksomheder</Link> / Opret virksomhed
      </p>
      <div className="pagehead">
        <h1>Opret virksomhed</h1>
      </div>
      <p className="muted">
        Virksomheden får ordretyperne Service og Skadeservice. Administratoren får en invitation på
        e-mail og vælger selv sin adgangskode; derefter kan administratoren invitere sine egne
        brugere.
      </p>
      <section className="card">
        <CreateCompanyForm action={createCompanyAction} />
      </section>
    </>
  );
}
