import { expect, test } from '@playwright/test';
import { accounts, signIn } from './support/fixtures';

// The app over a database whose connections start as kladde_app (docs/tenancy.md): every page
// still works through the doors — sign-in, the company's own lists, support's list — and /api/ready
// opens the system door.

test('readiness opens the system door', async ({ request }) => {
  const res = await request.get('/api/ready');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ready' });
});

test('a company admin signs in and sees the company’s own drafts and customers, and no other company’s', async ({
  page,
  browser,
}) => {
  await signIn(page, accounts.demoAdmin);
  await page.goto('/orders/drafts');
  await expect(page.getByRole('link', { name: 'Udskiftning af blandingsbatteri' })).toBeVisible();
  await page.goto('/customers');
  await expect(page.getByRole('link', { name: 'Karen Sørensen' })).toBeVisible();

  const nord = await (await browser.newContext()).newPage();
  await signIn(nord, accounts.nordAdmin);
  await nord.goto('/orders/drafts');
  await expect(nord.getByRole('heading', { name: 'Ordrekladder', level: 1 })).toBeVisible();
  await expect(nord.getByRole('link', { name: 'Udskiftning af blandingsbatteri' })).toHaveCount(0);
});

test('support signs in and sees every company', async ({ page }) => {
  await signIn(page, accounts.support);
  await page.goto('/support/scalepoint');
  await expect(page.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Demo VVS ApS/ })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Nord Byg ApS/ })).toBeVisible();
});
