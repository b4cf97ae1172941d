import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import QRCode from 'qrcode';
import { AppShell } from '@/components/app-shell';
import { DisableTwoFactorForm, TwoFactorSetup } from '@/components/account/two-factor-forms';
import { SignOutForm } from '@/components/sign-out-form';
import { csrfToken } from '@/app/_server/csrf';
import {
  currentActor,
  currentPendingSignIn,
  homeFor,
  secondStepUrl,
  signInAgainUrl,
} from '@/app/_server/auth';
import { getDb } from '@/db';
import { keyInGroups } from '@/lib/auth/totp';
import { setupKeyFor, twoFactorStatus, type SetupKey } from '@/lib/auth/two-factor';
import {
  cancelTwoFactorSetupAction,
  confirmTwoFactorSetupAction,
  continueAfterSetupAction,
  disableTwoFactorAction,
  startTwoFactorSetupAction,
} from './actions';

export const metadata: Metadata = { title: 'To-trinsbekræftelse' };

/** The QR code as inline SVG, drawn here on the server: no script, no data: image, within the CSP. */
async function QrCode({ uri }: { uri: string }) {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return (
    <div
      className="qr-code"
      role="img"
      aria-label="QR-kode til din godkendelsesapp"
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}

function KeyToScan({ setup }: { setup: SetupKey }) {
  return (
    <section className="card" aria-labelledby="scan-heading">
      <h2 id="scan-heading">Scan koden med din godkendelsesapp</h2>
      <p className="muted">
        Brug fx Microsoft Authenticator, Google Authenticator eller din adgangskodeboks. Kan du ikke
        scanne, så skriv nøglen ind i appen (tidsbaseret, 6 cifre).
      </p>
      <QrCode uri={setup.uri} />
      <p className="totp-key">
        <span id="totp-key-label">Nøgle</span>{' '}
        <code aria-labelledby="totp-key-label">{keyInGroups(setup.key)}</code>
      </p>
    </section>
  );
}

/**
 * `/account/two-factor` (docs/security.md, "Two-step verification"): Slå til → the QR code and
 * Nøgle → Kode → Bekræft → Gendannelseskoder → Fortsæt; with it on, Slå fra (not for support). A
 * support user without it is sent here right after the password and sees the key at once; this
 * page is the only one that sign-in opens until the setup is done.
 */
export default async function TwoFactorPage({
  searchParams,
}: {
  searchParams: Promise<{ off?: string | string[] }>;
}) {
  const justTurnedOff = (await searchParams).off === '1';
  const actor = await currentActor();
  const pending = actor ? null : await currentPendingSignIn();
  if (!actor) {
    if (pending && pending.step !== 'setup')
      redirect(secondStepUrl(pending, '/account/two-factor'));
    if (!pending) redirect(await signInAgainUrl());
  }
  const who = (actor ?? pending)!;
  const db = await getDb();
  const status = await twoFactorStatus(db, who.userId);
  const required = who.role === 'support';
  const setup = status.enabled ? null : await setupKeyFor(db, who, { start: required });

  const body = (
    <>
      <div className="pagehead">
        <h1>To-trinsbekræftelse</h1>
      </div>
      {required && !status.enabled && (
        <p className="alert warn" role="status">
          Supportbrugere skal have to-trinsbekræftelse. Sæt den op nu for at fortsætte.
        </p>
      )}
      {status.enabled ? (
        <section className="card" aria-labelledby="two-factor-on-heading">
          <h2 id="two-factor-on-heading">Slået til</h2>
          <p>
            Når du logger ind, beder Kladde om koden fra din godkendelsesapp efter adgangskoden. Du
            har {status.recoveryCodesLeft} ubrugte gendannelseskoder.
          </p>
          {required ? (
            <p className="muted">
              Supportbrugere kan ikke slå to-trinsbekræftelse fra. Har du mistet din app, kan en
              driftsansvarlig nulstille den med <code>npm run support:reset-two-factor</code>.
            </p>
          ) : (
            <DisableTwoFactorForm action={disableTwoFactorAction} />
          )}
        </section>
      ) : setup ? (
        <TwoFactorSetup
          action={confirmTwoFactorSetupAction}
          continueAction={continueAfterSetupAction}
          continueTo={actor ? '/account' : homeFor(who)}
        >
          <KeyToScan setup={setup} />
        </TwoFactorSetup>
      ) : (
        <section className="card" aria-labelledby="two-factor-off-heading">
          <h2 id="two-factor-off-heading">Slået fra</h2>
          {justTurnedOff && (
            <p role="status" className="alert ok">
              To-trinsbekræftelse er slået fra.
            </p>
          )}
          <p>
            Med to-trinsbekræftelse skal du både bruge din adgangskode og en kode fra en app på din
            telefon, når du logger ind. Så kan ingen logge ind som dig med adgangskoden alene.
          </p>
          <form action={startTwoFactorSetupAction} className="buttons">
            <button type="submit" className="button primary">
              Slå til
            </button>
          </form>
        </section>
      )}
      {setup && !required && (
        <form action={cancelTwoFactorSetupAction} className="buttons">
          <button type="submit" className="button ghost">
            Annuller
          </button>
        </form>
      )}
      {actor && (
        <p>
          <Link href="/account">Tilbage til Min konto</Link>
        </p>
      )}
    </>
  );

  if (actor)
    return (
      <AppShell actor={actor} csrfToken={await csrfToken()}>
        {body}
      </AppShell>
    );
  return (
    <main className="centered">
      <div className="setup-column">
        <p className="brand">Kladde</p>
        {body}
        <SignOutForm csrfToken={await csrfToken()} />
      </div>
    </main>
  );
}
