import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { accounts, signIn } from './support/fixtures';

/** Every CSP violation and CSP console error the page reports, across navigations. */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('__kladdeCspViolation', (what: string) => seen.push(what));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __kladdeCspViolation: (s: string) => void }).__kladdeCspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`);
  });
  return seen;
}

const unknownEmail = () => `ingen-${randomBytes(4).toString('hex')}@demo-vvs.dk`;

test('pages answer with a nonce CSP, nosniff and Referrer-Policy, set per request', async ({
  page,
  request,
}) => {
  const first = await request.get('/login');
  const second = await request.get('/login');
  const csp = first.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  expect(csp).not.toContain('unsafe-eval');
  expect(first.headers()['x-content-type-options']).toBe('nosniff');
  expect(first.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
  // APP_URL is http here: no HSTS.
  expect(first.headers()['strict-transport-security']).toBeUndefined();
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(second.headers()['content-security-policy']).not.toContain(nonce!);
  // Next's inline scripts carry this request's nonce.
  const html = await first.text();
  expect(html).toContain(`nonce="${nonce}"`);

  await signIn(page, accounts.demoAdmin);
  const signedIn = await page.goto('/orders/drafts');
  expect(signedIn?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(signedIn?.headers()['x-content-type-options']).toBe('nosniff');
});

test('no CSP violation across sign-in, drafts, a draft, customers, a 404, the Scalepoint page and the support pages', async ({
  page,
}) => {
  const violations = await watchCsp(page);
  await signIn(page, accounts.demoAdmin);
  await expect(page.getByRole('heading', { name: 'Ordrekladder' })).toBeVisible();
  await page.getByRole('row').nth(1).getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Noter på arbejdsseddel' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Hovedmenu' })
    .getByRole('link', { name: 'Kunder' })
    .click();
  await expect(page.getByRole('heading', { name: 'Kunder' })).toBeVisible();
  const missing = await page.goto('/findes-ikke');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Siden findes ikke' })).toBeVisible();
  await page.goto('/admin/modules/scalepoint');
  await expect(page.getByRole('heading', { name: 'Scalepoint', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Log ud' }).click();
  // Sign-out lands on APP_URL/login (the server has APP_URL and no NEXTAUTH_URL).
  await expect(page).toHaveURL(new URL('/login', test.info().project.use.baseURL).toString());

  await signIn(page, accounts.support);
  await expect(page.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Demo VVS ApS/ })).toBeVisible();
  expect(violations).toEqual([]);
});

test('after 5 failures for one e-mail the 6th is refused with "For mange forsøg", whatever X-Forwarded-For says', async ({
  page,
}) => {
  const email = unknownEmail();
  await page.goto('/login');
  const form = page.getByRole('form', { name: 'Log ind' });
  for (let i = 0; i < 5; i++) {
    // A client choosing its own X-Forwarded-For must not get a fresh address per attempt.
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': `198.51.100.${i + 1}` });
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Adgangskode').fill(`forkert-${i}`);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect(form.getByRole('alert')).toContainText('Forkert e-mail eller adgangskode');
    await expect(page.getByRole('button', { name: 'Log ind' })).toBeEnabled();
  }
  await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '198.51.100.99' });
  await page.getByLabel('Adgangskode').fill('endnu-et-forsøg');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(form.getByRole('alert')).toContainText('For mange forsøg');
  await expect(page).toHaveURL(/\/login/);
});

test.describe('before hydration (no JavaScript)', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posts to next-auth and errors come back to /login in Danish', async ({
    page,
    context,
  }) => {
    const email = unknownEmail();
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Adgangskode').fill('forkert-kode');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect(page).toHaveURL(/\/login\?.*error=CredentialsSignin/);
    await expect(page.getByRole('form', { name: 'Log ind' }).getByRole('alert')).toContainText(
      'Forkert e-mail eller adgangskode',
    );
    expect((await context.cookies()).find((c) => c.name.includes('session-token'))).toBeUndefined();

    for (let i = 0; i < 4; i++) {
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Adgangskode').fill('forkert-kode');
      await page.getByRole('button', { name: 'Log ind' }).click();
      await expect(page).toHaveURL(/\/login\?/);
    }
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Adgangskode').fill('forkert-kode');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect(page).toHaveURL(/\/login\?error=TooManyAttempts/);
    await expect(page.getByRole('form', { name: 'Log ind' }).getByRole('alert')).toContainText(
      'For mange forsøg',
    );
  });

  test('the right password signs in without JavaScript', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(accounts.demoMember.email);
    await page.getByLabel('Adgangskode').fill(accounts.demoMember.password);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect(page).toHaveURL(/\/orders\/drafts$/);
    await expect(page.getByRole('heading', { name: 'Ordrekladder' })).toBeVisible();
  });

  test("next-auth's own pages send errors to /login, never its English error page", async ({
    page,
  }) => {
    await page.goto('/api/auth/error?error=Configuration');
    await expect(page).toHaveURL(/\/login\?error=Configuration/);
    await expect(page.getByRole('form', { name: 'Log ind' }).getByRole('alert')).toContainText(
      'Log ind mislykkedes',
    );
    await page.goto('/api/auth/signin');
    await expect(page).toHaveURL(/\/login/);
  });
});
