import type { Metadata } from 'next';
import { requireActor } from '@/app/_server/auth';
import { AccountNameForm, ChangePasswordForm } from '@/components/account/account-forms';
import { getDb } from '@/db';
import { accountForPage } from '@/lib/people/account';
import { changePasswordAction, renameAccountAction } from './actions';

export const metadata: Metadata = { title: 'Min konto' };

/** `/account` (docs/people.md, "Min konto"): every signed-in person's own page, support included. */
export default async function AccountPage() {
  const actor = await requireActor();
  const account = await accountForPage(await getDb(), actor);
  return (
    <>
      <div className="pagehead">
        <h1>Min konto</h1>
      </div>
      <p className="muted">
        Du logger ind med <strong className="wrap">{account.email}</strong>.
      </p>
      <section className="card" aria-labelledby="account-name-heading">
        <h2 id="account-name-heading">Navn</h2>
        <AccountNameForm name={account.name} action={renameAccountAction} />
      </section>
      <section className="card" aria-labelledby="account-password-heading">
        <h2 id="account-password-heading">Skift adgangskode</h2>
        <p className="muted">Når du skifter adgangskode, logges du ud alle andre steder.</p>
        <ChangePasswordForm email={account.email} action={changePasswordAction} />
      </section>
    </>
  );
}
