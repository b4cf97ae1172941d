import type { Metadata } from 'next';
import Link from 'next/link';
import { ForgotPasswordForm } from '@/components/account/forgot-password-form';
import { forgotPasswordAction } from './actions';

export const metadata: Metadata = { title: 'Glemt adgangskode' };

/** `/password/forgot` (docs/people.md, "Forgotten password"): open to anyone. */
export default function ForgotPasswordPage() {
  return (
    <main className="centered">
      <div className="card narrow">
        <p className="brand">Kladde</p>
        <h1>Glemt adgangskode</h1>
        <p>Skriv din e-mail, så sender vi et link, du kan vælge en ny adgangskode med.</p>
        <ForgotPasswordForm action={forgotPasswordAction} />
        <p>
          <Link href="/login">Tilbage til Log ind</Link>
        </p>
      </div>
    </main>
  );
}
