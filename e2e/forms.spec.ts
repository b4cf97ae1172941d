import { expect, test } from '@playwright/test';
import { accounts, signIn } from './support/fixtures';

// Forms built on form actions (docs/forms.md) work the same before hydration: the browser posts
// the form to the server action, and the answer comes back in the page. Demo VVS's Scalepoint
// settings are left as they were found (module off, Forsikringstager).
test.describe.configure({ mode: 'serial' });

const settings = (page: import('@playwright/test').Page) => page.getByRole('form', { name: 'Scalepoint-indstillinger' });

test.describe('before hydration (no JavaScript)', () => {
  test.use({ javaScriptEnabled: false });

  test('the settings form shows what is saved, is refused by the server, and saves', async ({ page }) => {
    await signIn(page, accounts.demoAdmin);
    await page.goto('/admin/modules/scalepoint');
    const form = settings(page);
    // The markup itself carries the saved values (react-hook-form only sets them once hydrated).
    await expect(form.getByLabel('Slå modul til')).not.toBeChecked();
    await expect(form.getByLabel('Forsikringstager', { exact: true })).toBeChecked();

    await form.getByLabel('Slå modul til').check();
    await form.getByRole('button', { name: 'Gem' }).click();
    await expect(form.getByRole('status')).toContainText('Intet er ændret');
    await expect(form.getByText('Vælg en standard ordretype for at slå modulet til.')).toBeVisible();
    // The refused choice is shown again; nothing was saved.
    await expect(form.getByLabel('Slå modul til')).toBeChecked();
    await page.goto('/admin/modules/scalepoint');
    await expect(settings(page).getByLabel('Slå modul til')).not.toBeChecked();

    await settings(page).getByLabel('Forsikringsselskab').check();
    await settings(page).getByRole('button', { name: 'Gem' }).click();
    await expect(settings(page).getByRole('status')).toContainText('Gemt');
    await page.goto('/admin/modules/scalepoint');
    await expect(settings(page).getByLabel('Forsikringsselskab')).toBeChecked();
    await expect(settings(page).getByLabel('Slå modul til')).not.toBeChecked();

    await settings(page).getByLabel('Forsikringstager', { exact: true }).check();
    await settings(page).getByRole('button', { name: 'Gem' }).click();
    await expect(settings(page).getByRole('status')).toContainText('Gemt');
    await expect(settings(page).getByLabel('Forsikringstager', { exact: true })).toBeChecked();
  });

  test('Send mail til Scalepoint is refused by the server while the module is off', async ({ page }) => {
    await signIn(page, accounts.demoAdmin);
    await page.goto('/admin/modules/scalepoint');
    await expect(page.getByRole('button', { name: 'Send mail til Scalepoint' })).toBeDisabled();
  });
});

test('hydrated, the browser refuses a bad form itself and says so; the page updates without a reload', async ({ page }) => {
  await signIn(page, accounts.demoAdmin);
  await page.goto('/admin/modules/scalepoint');
  const form = settings(page);
  await form.getByLabel('Slå modul til').check();
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toHaveText('Intet er ændret. Ret fejlene herunder.');
  await expect(form.getByText('Vælg en standard ordretype for at slå modulet til.')).toBeVisible();
  await form.getByLabel('Slå modul til').uncheck();
  await form.getByLabel('Forsikringsselskab').check();
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toContainText('Gemt');
  // The action revalidated the page: the change log shows the save without a reload.
  await expect(page.getByRole('cell', { name: 'Indstillinger ændret' }).first()).toBeVisible();
  await form.getByLabel('Forsikringstager', { exact: true }).check();
  await form.getByRole('button', { name: 'Gem' }).click();
  await expect(form.getByRole('status')).toContainText('Gemt');
  await page.reload();
  await expect(settings(page).getByLabel('Forsikringstager', { exact: true })).toBeChecked();
});
