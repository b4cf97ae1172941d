import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/login-form';
import { currentActor, homeFor } from '@/app/_server/auth';

export const metadata: Metadata = { title: 'Log ind' };

export default async function LoginPage() {
  const actor = await currentActor();
  if (actor) redirect(homeFor(actor));
  return (
    <main className="centered">
      <div className="card narrow">
        <p className="brand">Kladde</p>
        <h1>Log ind</h1>
        <LoginForm />
      </div>
    </main>
  );
}
