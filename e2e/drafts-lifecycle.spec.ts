import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { throwawayUrl } from '@/db/throwaway';
import { accounts, signIn } from './support/fixtures';
import { E2E } from './support/settings';

// Drafts of our own (Demo VVS), so the seeded ones that other specs read stay as they are.
// Their headings sort between the seeded ones, so no other spec's first row changes.
const sql = postgres(throwawayUrl(E2E.database), { max: 1, onnotice: () => {} });
test.afterAll(() => sql.end());

async function scalepointDraft(opts: { missingPolicyholder?: boolean } = {}) {
  const caseNumber = `SP-E2E-${randomBytes(3).toString('hex').toUpperCase()}`;
  const heading = `Vandskade ${caseNumber}`;
  await sql`
    with c as (select id from companies where cvr = '12345678'),
         t as (select id, name from order_types where company_id = (select id from c) order by name limit 1),
         cu as (select id, name from customers where company_id = (select id from c) and name = 'Karen Sørensen' limit 1)
    insert into orders (company_id, status, order_type_id, order_type_name, heading, requisition_number, customer_id, customer_name, source, scalepoint_case_number, missing_policyholder)
    select c.id, 'draft', t.id, t.name, ${heading}, ${caseNumber}, cu.id, cu.name, 'scalepoint', ${caseNumber}, ${opts.missingPolicyholder ?? false}
    from c, t, cu`;
  return { caseNumber, heading };
}

async function openDraft(page: Page, heading: string) {
  await page.goto('/orders/drafts');
  await page.getByRole('link', { name: heading }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

const status = (page: Page) => page.getByRole('main').getByRole('status').first();

test('edit the customer of a Scalepoint draft, approve it, find it in Ordrer with its number', async ({
  page,
}) => {
  const { heading } = await scalepointDraft();
  await signIn(page, accounts.demoAdmin);
  await openDraft(page, heading);
  await expect(page.locator('.pagehead').getByText('Kladde', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Rediger' }).click();
  const form = page.getByRole('form', { name: 'Rediger ordrekladde' });
  await expect(form.getByLabel('Ordreoverskrift')).toBeFocused();
  await form.getByLabel('Ordreoverskrift').fill('');
  await form.getByRole('button', { name: 'Gem ændringer' }).click();
  await expect(form.getByText('Skriv en ordreoverskrift.')).toBeVisible();
  await form.getByLabel('Ordreoverskrift').fill(heading);
  await form.getByRole('combobox', { name: 'Kunde' }).fill('Østergaard');
  await form.getByRole('option', { name: /Bo Østergaard/ }).click();
  await expect(form.getByText('Valgt: Bo Østergaard')).toBeVisible();
  await form.getByLabel('Vejnavn').fill('Havnegade');
  await form.getByLabel('Husnr.').fill('3');
  await form.getByLabel('Postnr.').fill('8000');
  await form.getByLabel('By', { exact: true }).fill('Aarhus C');
  await form.getByRole('button', { name: 'Gem ændringer' }).click();
  await expect(status(page)).toHaveText('Ændringerne er gemt.');
  await expect(page.getByRole('button', { name: 'Rediger' })).toBeFocused();
  await expect(page.getByRole('link', { name: 'Bo Østergaard' })).toBeVisible();
  await expect(
    page.getByRole('definition').filter({ hasText: 'Havnegade 3, 8000 Aarhus C' }),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Godkend' }).click();
  await expect(status(page)).toHaveText(/^Godkendt som ordre \d+\.$/);
  const number = (await status(page).textContent())!.match(/\d+/)![0];
  await expect(page.locator('.pagehead').getByText('Ny', { exact: true })).toBeVisible();
  await expect(
    page.getByRole('definition').filter({ hasText: new RegExp(`^${number}$`) }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Godkend' })).toHaveCount(0);

  await page
    .getByRole('navigation', { name: 'Hovedmenu' })
    .getByRole('link', { name: 'Ordrer' })
    .click();
  await expect(page.getByRole('heading', { name: 'Ordrer', level: 1 })).toBeVisible();
  for (const name of [
    'Ordrenr.',
    'Ordreoverskrift',
    'Rekv.nr.',
    'Kunde',
    'Ordretype',
    'Status',
    'Oprettet',
  ]) {
    await expect(page.getByRole('columnheader', { name })).toBeVisible();
  }
  const row = page.getByRole('row', { name: new RegExp(heading) });
  await expect(row.getByRole('cell').first()).toHaveText(number);
  await expect(row).toContainText('Bo Østergaard');
  await expect(row).toContainText('Ny');
  // Out of the drafts list.
  await page.goto('/orders/drafts');
  await expect(page.getByRole('link', { name: heading })).toHaveCount(0);
});

test('reject with a reason, find it under Afviste, restore it', async ({ page }) => {
  const { heading } = await scalepointDraft();
  await signIn(page, accounts.demoAdmin);
  await openDraft(page, heading);

  await page.getByRole('button', { name: 'Afvis' }).click();
  const dialog = page.getByRole('dialog', { name: 'Afvis kladden' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Afvis kladde' }).click();
  await expect(dialog.getByText('Skriv en begrundelse.')).toBeVisible();
  await dialog.getByLabel('Begrundelse').fill('Kunden har selv fået det ordnet');
  await dialog.getByRole('button', { name: 'Afvis kladde' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.pagehead').getByText('Afvist', { exact: true })).toBeVisible();
  await expect(page.getByText(/Begrundelse: Kunden har selv fået det ordnet/)).toBeVisible();

  await page.goto('/orders/drafts');
  await expect(page.getByRole('link', { name: heading })).toHaveCount(0);
  await page.getByRole('link', { name: 'Afviste' }).click();
  await expect(page).toHaveURL(/status=rejected/);
  await expect(page.getByRole('link', { name: 'Afviste' })).toHaveAttribute('aria-current', 'page');
  // Sorting and searching stay within Afviste.
  await page.getByRole('columnheader', { name: 'Ordreoverskrift' }).getByRole('link').click();
  await expect(page).toHaveURL(/status=rejected.*sort=heading|sort=heading.*status=rejected/);
  await page.getByRole('searchbox', { name: 'Søg' }).fill(heading);
  await page.getByRole('button', { name: 'Søg' }).click();
  await expect(page).toHaveURL(/status=rejected/);
  await expect(page.getByRole('row')).toHaveCount(2);
  await page.getByRole('link', { name: heading }).click();
  await page.getByRole('button', { name: 'Gendan' }).click();
  await expect(status(page)).toHaveText('Kladden er gendannet.');
  await expect(page.locator('.pagehead').getByText('Kladde', { exact: true })).toBeVisible();
  await page.goto('/orders/drafts');
  await expect(page.getByRole('link', { name: heading })).toBeVisible();
});

test('a member can approve a draft', async ({ page }) => {
  const { heading } = await scalepointDraft();
  await signIn(page, accounts.demoMember);
  await openDraft(page, heading);
  await page.getByRole('button', { name: 'Godkend' }).click();
  await expect(status(page)).toHaveText(/^Godkendt som ordre \d+\.$/);
});

test('keyboard only: a draft missing its policyholder asks first, Escape cancels, Godkend alligevel approves', async ({
  page,
}) => {
  const { heading } = await scalepointDraft({ missingPolicyholder: true });
  await signIn(page, accounts.demoAdmin);
  await page.goto('/orders/drafts');
  await expect(page.getByRole('row', { name: new RegExp(heading) })).toContainText(
    'Mangler forsikringstager',
  );
  await openDraft(page, heading);
  await expect(page.locator('.pagehead').getByText('Mangler forsikringstager')).toBeVisible();

  const approve = page.getByRole('button', { name: 'Godkend', exact: true });
  for (let i = 0; i < 40 && !(await approve.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(approve).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Godkend kladden?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog.getByRole('button', { name: 'Godkend alligevel' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Annuller' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(approve).toBeFocused();
  await expect(page.locator('.pagehead').getByText('Kladde', { exact: true })).toBeVisible();

  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(status(page)).toHaveText(/^Godkendt som ordre \d+\.$/);
  await expect(page.locator('.pagehead').getByText('Ny', { exact: true })).toBeVisible();
});
