import { expect, test } from '@playwright/test';
import { accounts, signIn } from './support/fixtures';

test.beforeEach(async ({ page }) => {
  await signIn(page, accounts.demoAdmin);
});

test('the drafts table shows the columns of the contract and opens a draft', async ({ page }) => {
  await page.goto('/orders/drafts');
  await expect(page.getByRole('heading', { name: 'Ordrekladder' })).toBeVisible();
  for (const name of ['Ordreoverskrift', 'Rekv.nr.', 'Kunde', 'Ordretype', 'Oprettet']) {
    await expect(page.getByRole('columnheader', { name })).toBeVisible();
  }
  await page.getByRole('link', { name: 'Udskiftning af blandingsbatteri' }).click();
  await expect(
    page.getByRole('heading', { name: 'Udskiftning af blandingsbatteri' }),
  ).toBeVisible();
  for (const label of [
    'Ordreoverskrift',
    'Rekv.nr.',
    'Ordretype',
    'Arbejdsbeskrivelse',
    'Kunde',
    'Installationsadresse',
  ]) {
    await expect(
      page.getByRole('term').filter({ hasText: new RegExp(`^${label.replace('.', '\\.')}$`) }),
    ).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: 'Noter på arbejdsseddel' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^K-1001$/ })).toBeVisible();
  await page.getByRole('link', { name: 'Karen Sørensen' }).click();
  await expect(page.getByRole('heading', { name: 'Karen Sørensen' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Udskiftning af blandingsbatteri' })).toBeVisible();
});

test('search and sort are server-side and kept in the URL', async ({ page }) => {
  await page.goto('/orders/drafts');
  await page.getByRole('searchbox', { name: 'Søg' }).fill('Åbo');
  await page.getByRole('button', { name: 'Søg' }).click();
  await expect(page).toHaveURL(/q=%C3%85bo/);
  const rows = page.getByRole('row');
  await expect(rows).toHaveCount(2); // header + one draft
  await expect(page.getByRole('link', { name: 'Årligt eftersyn af varmeanlæg' })).toBeVisible();

  await page.goto('/orders/drafts');
  await page.getByRole('columnheader', { name: 'Ordreoverskrift' }).getByRole('link').click();
  await expect(page).toHaveURL(/sort=heading&dir=asc/);
  await expect(page.getByRole('columnheader', { name: 'Ordreoverskrift' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  const first = page.getByRole('row').nth(1);
  await expect(first).toContainText('Tilbud på nyt badeværelse');
  await page.getByRole('columnheader', { name: 'Ordreoverskrift' }).getByRole('link').click();
  await expect(page).toHaveURL(/sort=heading&dir=desc/);
  await expect(page.getByRole('row').nth(1)).toContainText('Årligt eftersyn af varmeanlæg');
  // Reload keeps the view.
  await page.reload();
  await expect(page.getByRole('row').nth(1)).toContainText('Årligt eftersyn af varmeanlæg');
});

test('the customers list shows the columns of the contract and searches', async ({ page }) => {
  await page.goto('/customers');
  for (const name of ['Kundenr.', 'Navn', 'Telefon', 'Adresse']) {
    await expect(page.getByRole('columnheader', { name })).toBeVisible();
  }
  await page.getByRole('searchbox', { name: 'Søg' }).fill('Horsens');
  await page.getByRole('button', { name: 'Søg' }).click();
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('link', { name: 'Bo Østergaard' })).toBeVisible();
});
