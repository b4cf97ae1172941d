import { expect, test } from '@playwright/test';
import { accounts, signIn } from './support/fixtures';

test('a signed-out visitor is sent to /login', async ({ page }) => {
  await page.goto('/orders/drafts');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Log ind' })).toBeVisible();
});

test('an admin signs in, sees the navigation and signs out', async ({ page }) => {
  await signIn(page, accounts.demoAdmin);
  await expect(page).toHaveURL(/\/orders\/drafts$/);
  const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
  await expect(nav.getByRole('link', { name: 'Ordrekladder' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Kunder' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Indstillinger' })).toBeVisible();

  await page.getByRole('link', { name: 'Indstillinger' }).click();
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tilvalgsmoduler' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Scalepoint' })).toBeVisible();

  await page.getByRole('button', { name: 'Log ud' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/orders/drafts');
  await expect(page).toHaveURL(/\/login$/);
});

test('a wrong password shows an error and gives no session', async ({ page, context }) => {
  await page.goto('/login');
  // Its own unknown e-mail (the count in e2e/support/fixtures.ts): the same answer as a wrong password.
  await page.getByLabel('E-mail').fill(`ukendt-${Date.now()}@demo-vvs.dk`);
  await page.getByLabel('Adgangskode').fill('forkert-kode');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page.getByRole('form', { name: 'Log ind' }).getByRole('alert')).toContainText(
    'Forkert e-mail eller adgangskode',
  );
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name.includes('session-token'))).toBeUndefined();
  await page.goto('/orders/drafts');
  await expect(page).toHaveURL(/\/login$/);
});

test('a member sees drafts and customers but not the gear or /admin', async ({ page }) => {
  await signIn(page, accounts.demoMember);
  await expect(page.getByRole('link', { name: 'Indstillinger' })).toHaveCount(0);
  const res = await page.goto('/admin');
  expect(res?.status()).toBe(404);
  const res2 = await page.goto('/admin/modules/scalepoint');
  expect(res2?.status()).toBe(404);
  await page.goto('/customers');
  await expect(page.getByRole('heading', { name: 'Kunder' })).toBeVisible();
});
