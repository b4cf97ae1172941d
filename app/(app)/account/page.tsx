import type { Metadata } from 'next';
import Link from 'next/link';
import { requireActor } from '@/app/_server/auth';
import { AccountNameForm, ChangePasswordForm } from '@/components/account/account-forms';
import { getDb } from '@/db';
import { twoFactorStatus } from '@/lib/auth/two-factor';
import { accountForPage } from '@/lib/people/account';
import { startTwoFactorSetupAction } from '@/app/(auth)/account/two-factor/actions';
import { changePasswordAction, renameAccountAction } from './actions';

export const metadata: Metadata = { title: 'Min konto' };

/** `/account` (docs/people.md, "Min konto"): every signed-in person's own page, support included. */
export default async function AccountPage() {
  const actor = await requireActor();
  const db = await getDb();
  const account = await accountForPage(db, actor);
  const twoFactor = await twoFactorStatus(db, actor.userId);
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
      <section className="card" aria-labelledby="account-two-factor-heading">
        <h2 id="account-two-factor-heading">
          <Link href="/account/two-factor">To-trinsbekræftelse</Link>
        </h2>
        {twoFactor.enabled ? (
          <p>
            Slået til. Du har {twoFactor.recoveryCodesLeft} ubrugte gendannelseskoder.{' '}
            <Link href="/account/two-factor">Se to-trinsbekræftelse</Link>
          </p>
        ) : (
          <>
            <p className="muted">
              Slået fra. Med to-trinsbekræftelse beder Kladde også om en kode fra en app på din
              telefon, når du logger ind.
            </p>
            <form action={startTwoFactorSetupAction} className="buttons">
              <button type="submit" className="button primary">
                Slå til
              </button>
            </form>
          </>
        )}
      </section>
    </>
  );
}
