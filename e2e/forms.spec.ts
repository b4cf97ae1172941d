import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { accounts, signIn } from './support/fixtures';

// Forms built on form actions (docs/forms.md) work the same before hydration: the browser posts
// the form to the server action, and the answer comes back in the page. Demo VVS's Scalepoint
// settings are left as they were found (module off, Forsikringstager).
test.describe.configure({ mode: 'serial' });

const settings = (page: import('@playwright/test').Page) =>
  page.getByRole('form', { name: 'Scalepoint-indstillinger' });

test.describe('before hydration (no JavaScript)', () => {
  test.use({ javaScriptEnabled: false });

  test('the settings form shows what is saved, is refused by the server, and saves', async ({
    page,
  }) => {
    await signIn(page, accounts.demoAdmin);
    await page.goto('/admin/modules/scalepoint');
    const form = settings(page);
    // The markup itself carries the saved values (react-hook-form only sets them once hydrated).
    await expect(form.getByLabel('Slå modul til')).not.toBeChecked();
    await expect(form.getByLabel('Forsikringstager', { exact: true })).toBeChecked();

    await form.getByLabel('Slå modul til').check();
    await form.getByRole('button', { name: 'Gem' }).click();
    await expect(form.getByRole('status')).toContainText('Intet er ændret');
    await expect(
      form.getByText('Vælg en standard ordretype for at slå modulet til.'),
    ).toBeVisible();
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

  test('Log ud is a plain form: it ends the session and lands on /login', async ({
    page,
    context,
  }) => {
    await signIn(page, accounts.demoMember);
    await page.getByRole('button', { name: 'Log ud' }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect((await context.cookies()).find((c) => c.name.includes('session-token'))).toBeUndefined();
    await page.goto('/orders/drafts');
    await expect(page).toHaveURL(/\/login/);
  });
});

test('hydrated, the browser refuses a bad form itself and says so, and a good one saves', async ({
  page,
}) => {
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
  await form.getByLabel('Forsikringstager', { exact: true }).check();
  // The answer's words are the same as the first save's: wait for this save's own answer.
  const saved = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().includes('/admin/modules/scalepoint'),
  );
  await form.getByRole('button', { name: 'Gem' }).click();
  await saved;
  await expect(form.getByRole('status')).toContainText('Gemt');
  await page.reload();
  await expect(settings(page).getByLabel('Forsikringstager', { exact: true })).toBeChecked();
});

test("the support page's first load stays under 150 kB of JavaScript, gzip-compressed", async ({
  page,
}) => {
  await signIn(page, accounts.support);
  const scripts: Promise<Buffer>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response.body());
  });
  await page.goto('/support/scalepoint');
  await expect(page.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const bodies = await Promise.all(scripts);
  const raw = bodies.reduce((sum, b) => sum + b.length, 0);
  const gzip = bodies.reduce((sum, b) => sum + gzipSync(b).length, 0);
  console.log(
    `/support/scalepoint: ${bodies.length} scripts, ${(raw / 1024).toFixed(1)} kB, ${(gzip / 1024).toFixed(1)} kB gzip`,
  );
  expect(bodies.length).toBeGreaterThan(3);
  expect(gzip).toBeLessThan(150 * 1024);
});
