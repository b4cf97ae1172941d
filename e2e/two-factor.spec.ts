import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { runCommand } from './support/commands';
import {
  accounts,
  asUser,
  forgetKey,
  knownKey,
  nextCode,
  setUpTwoFactor,
  signIn,
  usedCode,
} from './support/fixtures';
import { resendStandIn } from './support/scalepoint';
import { E2E } from './support/settings';

// Two-step verification (docs/security.md, "Two-step verification"), driven the way people use
// it: the demo's support@kladde.dk sets it up at its first sign-in (reading Nøgle and computing the
// code as an app does), signs in with codes and a recovery code, with and without JavaScript; a
// member turns it on and off under Min konto on a phone; an admin resets it; the command resets
// support's. Wrong codes here: 4 (see the count in e2e/support/fixtures.ts).
test.describe.configure({ mode: 'serial' });

const demoSupport = accounts.demoSupport;
let recoveryCodes: string[] = [];

/** A code of the right shape that is not the key's code now, nor one step either side. */
function wrongCode(email: string): string {
  const right = usedCode(email);
  return right.replace(/^./, (d) => String((Number(d) + 5) % 10));
}

async function passwordStep(page: Page, who: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Adgangskode').fill(who.password);
  await page.getByRole('button', { name: 'Log ind' }).click();
}

/** The second step's answer (the page has Next's route announcer too, also an alert). */
const codeAnswer = (page: Page) =>
  page.getByRole('form', { name: 'Andet trin af login' }).getByRole('alert');

async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
  return (await browser.newContext(options)).newPage();
}

test('support@kladde.dk is taken to the setup at its first sign-in and opens no support page before it is done', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await passwordStep(page, demoSupport);
  await expect(page).toHaveURL(/\/account\/two-factor$/);
  await expect(page.getByRole('heading', { name: 'To-trinsbekræftelse', level: 1 })).toBeVisible();
  // The QR code and Nøgle at once: no Slå til first.
  await expect(page.getByRole('img', { name: 'QR-kode til din godkendelsesapp' })).toBeVisible();
  await expect(page.getByLabel('Nøgle')).toHaveText(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  await expect(page.getByRole('button', { name: 'Slå til' })).toHaveCount(0);

  for (const path of ['/support/scalepoint', '/support/companies', '/support/users', '/account']) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(307);
    expect(res.headers().location, path).toMatch(/\/account\/two-factor$/);
  }
  await page.goto('/support/companies');
  await expect(page).toHaveURL(/\/account\/two-factor$/);

  // A code that is not the app's: refused at the field, the key is still shown.
  await page.getByLabel('Kode', { exact: true }).fill('000000');
  await page.getByRole('button', { name: 'Bekræft' }).click();
  await expect(page.getByText('Koden er forkert.').first()).toBeVisible();
  await expect(page.getByLabel('Nøgle')).toBeVisible();

  recoveryCodes = await setUpTwoFactor(page, demoSupport.email);
  await expect(page).toHaveURL(/\/support\/scalepoint$/);
  await expect(page.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();

  // Support cannot turn it off.
  await page.goto('/account/two-factor');
  await expect(page.getByRole('heading', { name: 'Slået til' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Slå fra' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Log ud' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.context().close();
});

test('signing in asks for Kode fra din app: a wrong code is refused, a code is accepted once, a recovery code works once', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await passwordStep(page, demoSupport);
  await expect(page).toHaveURL(/\/login\/code/);
  await expect(page.getByLabel('Kode fra din app')).toBeVisible();
  // The password alone opens nothing.
  const res = await page.request.get('/support/scalepoint', { maxRedirects: 0 });
  expect(res.status()).toBe(307);
  expect(res.headers().location).toContain('/login/code?callbackUrl=%2Fsupport%2Fscalepoint');
  await page.goto('/support/users');
  await expect(page).toHaveURL(/\/login\/code\?callbackUrl=%2Fsupport%2Fusers$/);

  await page.getByLabel('Kode fra din app').fill(wrongCode(demoSupport.email));
  await page.getByRole('button', { name: 'Bekræft' }).click();
  await expect(codeAnswer(page)).toHaveText('Koden er forkert.');
  await page.getByLabel('Kode fra din app').fill(await nextCode(demoSupport.email));
  await page.getByRole('button', { name: 'Bekræft' }).click();
  // On to the page the sign-in was for.
  await expect(page).toHaveURL(/\/support\/users$/);
  await page.getByRole('button', { name: 'Log ud' }).click();

  // The same code again (its own window): refused.
  await passwordStep(page, demoSupport);
  await page.getByLabel('Kode fra din app').fill(usedCode(demoSupport.email));
  await page.getByRole('button', { name: 'Bekræft' }).click();
  await expect(codeAnswer(page)).toHaveText('Koden er forkert.');

  // A recovery code, typed in capitals without its dash: in, once.
  const recovery = recoveryCodes[0]!;
  await page.getByLabel('Kode fra din app').fill(recovery.replace('-', '').toUpperCase());
  await page.getByRole('button', { name: 'Bekræft' }).click();
  await expect(page).toHaveURL(/\/support\/scalepoint$/);
  await page.goto('/account');
  await expect(page.getByText('Du har 9 ubrugte gendannelseskoder')).toBeVisible();
  await page.getByRole('button', { name: 'Log ud' }).click();

  await passwordStep(page, demoSupport);
  await page.getByLabel('Kode fra din app').fill(recovery);
  await page.getByRole('button', { name: 'Bekræft' }).click();
  await expect(codeAnswer(page)).toHaveText('Koden er forkert.');

  // Someone else at the keyboard: the half-done sign-in ends.
  await page.getByRole('button', { name: 'Log ind som en anden' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/login/code');
  await expect(page).toHaveURL(/\/login$/);
  await page.context().close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the second step is a plain form: a wrong code answers on the page, the right one signs in', async ({
    page,
  }) => {
    await passwordStep(page, demoSupport);
    await expect(page).toHaveURL(/\/login\/code/);
    await page.getByLabel('Kode fra din app').fill(wrongCode(demoSupport.email));
    await page.getByRole('button', { name: 'Bekræft' }).click();
    await expect(codeAnswer(page)).toHaveText('Koden er forkert.');
    await page.getByLabel('Kode fra din app').fill(await nextCode(demoSupport.email));
    await page.getByRole('button', { name: 'Bekræft' }).click();
    await expect(page).toHaveURL(/\/support\/scalepoint$/);
    await expect(page.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
  });
});

test('npm run support:reset-two-factor: the sessions end, the next sign-in sets it up again', async ({
  browser,
}) => {
  const page = await asUser(browser, demoSupport);
  await expect(page.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
  const { throwawayUrl } = await import('@/db/throwaway');
  const run = await runCommand('support:reset-two-factor', [demoSupport.email.toUpperCase()], {
    databaseUrl: throwawayUrl(E2E.database),
    appUrl: E2E.baseUrl,
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('To-trinsbekræftelse er nulstillet');
  forgetKey(demoSupport.email);

  await page.reload();
  await expect(page).toHaveURL(/\/login\?notice=session-ended/);
  await passwordStep(page, demoSupport);
  await expect(page).toHaveURL(/\/account\/two-factor$/);
  await setUpTwoFactor(page, demoSupport.email);
  await expect(page).toHaveURL(/\/support\/scalepoint$/);
  await page.context().close();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('a member turns it on under Min konto and off with Slå fra; the admin resets it with Nulstil to-trinsbekræftelse', async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const tag = randomBytes(4).toString('hex');
    const member = {
      email: `tofaktor-${tag}@demo-vvs.test`,
      name: `Tove Tofaktor ${tag}`,
      password: `Skruetrækker-${tag}`,
    };
    const admin = await asUser(browser, accounts.demoAdmin);
    await admin.goto('/admin/users');
    const invite = admin.getByRole('form', { name: 'Inviter bruger' });
    await invite.getByLabel('Navn').fill(member.name);
    await invite.getByLabel('E-mail').fill(member.email);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await expect(invite.getByRole('status')).toContainText('Invitationen er sendt');
    let link: string | undefined;
    await expect
      .poll(async () => {
        const mail = (await resendStandIn.mails())
          .map((m) => m.body)
          .find((b) => [b.to].flat().includes(member.email));
        link = /\/invitation\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
        return !!link;
      })
      .toBe(true);

    const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, hasTouch: true });
    await phone.goto(link!);
    await phone.getByLabel('Adgangskode', { exact: true }).fill(member.password);
    await phone.getByLabel('Gentag adgangskode').fill(member.password);
    await phone.getByRole('button', { name: 'Opret adgang' }).click();
    await expect(phone).toHaveURL(/notice=invitation-accepted/);
    await signIn(phone, member);

    // Min konto → To-trinsbekræftelse → Slå til.
    await phone.getByRole('link', { name: member.name }).click();
    await expect(phone.getByRole('heading', { name: 'Min konto', level: 1 })).toBeVisible();
    await phone.getByRole('link', { name: 'To-trinsbekræftelse' }).click();
    await expect(phone).toHaveURL(/\/account\/two-factor$/);
    await expect(phone.getByRole('heading', { name: 'Slået fra' })).toBeVisible();
    await phone.getByRole('button', { name: 'Slå til' }).click();
    await setUpTwoFactor(phone, member.email);
    await expect(phone).toHaveURL(/\/account$/);
    await expect(phone.getByText('Slået til. Du har 10 ubrugte gendannelseskoder.')).toBeVisible();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);

    // Signing in now asks for the code; then Slå fra, with a code.
    await phone.getByRole('button', { name: 'Log ud' }).click();
    await signIn(phone, member);
    expect(knownKey(member.email)).toBeTruthy();
    await phone.goto('/account/two-factor');
    await phone.getByLabel('Kode', { exact: true }).fill(await nextCode(member.email));
    await phone.getByRole('button', { name: 'Slå fra' }).click();
    await expect(phone.getByRole('status').filter({ hasText: 'slået fra' })).toHaveText(
      'To-trinsbekræftelse er slået fra.',
    );
    await expect(phone.getByRole('heading', { name: 'Slået fra' })).toBeVisible();
    forgetKey(member.email);
    await phone.goto('/account');
    await expect(phone.getByRole('button', { name: 'Slå til' })).toBeVisible();

    // On again, then the admin resets it: the member is signed out everywhere.
    await phone.getByRole('button', { name: 'Slå til' }).click();
    await setUpTwoFactor(phone, member.email);
    await admin.goto('/admin/users');
    await admin.getByRole('link', { name: member.name }).click();
    await expect(admin.locator('.fieldlist')).toContainText('Slået til');
    await admin.getByRole('button', { name: 'Nulstil to-trinsbekræftelse' }).click();
    await expect(admin.getByRole('status').filter({ hasText: 'nulstillet' })).toContainText(
      `To-trinsbekræftelse er nulstillet for ${member.name}`,
    );
    await expect(admin.getByRole('button', { name: 'Nulstil to-trinsbekræftelse' })).toHaveCount(0);
    await admin.goto('/admin/users');
    await expect(admin.getByRole('region', { name: 'Ændringslog' })).toContainText(
      'To-trinsbekræftelse nulstillet',
    );
    forgetKey(member.email);
    await phone.reload();
    await expect(phone).toHaveURL(/\/login\?notice=session-ended/);
    await signIn(phone, member);
    await expect(phone).toHaveURL(/\/orders\/drafts$/);
  });
});
