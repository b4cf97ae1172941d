import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { throwawayUrl } from '@/db/throwaway';
import { accounts, signIn } from './support/fixtures';
import { E2E } from './support/settings';

// Frister on the admin's Scalepoint page (docs/deadlines.md): the section with its defaults,
// Gem frister and its answer, the values after a reload, a refused value with the Danish words at
// the field (in the browser and before hydration), and the section at a phone's width. Nord Byg
// ApS: no other spec reads its deadlines (e2e/deadlines.spec.ts uses Demo VVS's). The last test
// puts the defaults back, so a second run finds them again.
test.describe.configure({ mode: 'serial' });

const sql = postgres(throwawayUrl(E2E.database), { max: 1, onnotice: () => {} });
test.afterAll(() => sql.end());

const NORD_BYG = '87654321';
const contactError = 'Skriv et helt antal timer fra 1 til 168.';
const inspectionError = 'Skriv et helt antal timer fra 1 til 720.';

const section = (page: Page) => page.getByRole('region', { name: 'Frister' });
const form = (page: Page) => section(page).getByRole('form', { name: 'Frister' });
const contact = (page: Page) => form(page).getByLabel('Kontakt kunden inden for');
const inspection = (page: Page) => form(page).getByLabel('Besigtigelse inden for');
const save = (page: Page) => form(page).getByRole('button', { name: 'Gem frister' });

async function openPage(page: Page) {
  await signIn(page, accounts.nordAdmin);
  await page.goto('/admin/modules/scalepoint');
  await expect(section(page).getByRole('heading', { level: 2, name: 'Frister' })).toBeVisible();
}

/** A Nord Byg Scalepoint draft that arrived `hoursAgo` hours ago, its clocks at 24 and 72 hours. */
async function nordBygDraft(hoursAgo: number) {
  const caseNumber = `FS-${randomBytes(3).toString('hex').toUpperCase()}`;
  const [row] = await sql<{ id: string }[]>`
    with c as (select id from companies where cvr = ${NORD_BYG}),
         t as (select id, name from order_types where company_id = (select id from c) order by name limit 1),
         cu as (insert into customers (company_id, customer_number, name, name_key)
                select c.id, ${caseNumber}, 'Frida Frist', 'frida frist' from c returning id, name),
         at as (select now() - make_interval(hours => ${hoursAgo}) as created)
    insert into orders (company_id, status, order_type_id, order_type_name, heading, customer_id, customer_name,
                        source, scalepoint_case_number, created_at, contact_due_at, inspection_due_at)
    select c.id, 'draft', t.id, t.name, ${`Scalepoint – ${caseNumber}`}, cu.id, cu.name,
           'scalepoint', ${caseNumber}, at.created, at.created + interval '24 hours', at.created + interval '72 hours'
    from c, t, cu, at
    returning id`;
  return row!.id;
}

/** The hours after Oprettet of a case's contact and visit deadlines. */
async function hoursOf(id: string) {
  const [row] = await sql<{ contact: number; inspection: number }[]>`
    select extract(epoch from contact_due_at - created_at)::int / 3600 as contact,
           extract(epoch from inspection_due_at - created_at)::int / 3600 as inspection
    from orders where id = ${id}`;
  return [row!.contact, row!.inspection];
}

test('the admin sees Frister with the defaults, saves 2 and 100, and finds them after a reload', async ({
  page,
}) => {
  const draft = await nordBygDraft(5);
  await openPage(page);
  await expect(section(page)).toContainText('Fristerne regnes i timer fra sagens Oprettet');
  await expect(contact(page)).toHaveValue('24');
  await expect(inspection(page)).toHaveValue('72');
  await expect(form(page).getByText('timer', { exact: true })).toHaveCount(2);

  await contact(page).fill('2');
  await inspection(page).fill('100');
  await save(page).click();
  await expect(form(page).getByRole('status')).toContainText('Fristerne er gemt.');
  await expect(form(page).getByRole('status')).toContainText('fået nye frister');
  // The open case got its new deadlines from its Oprettet.
  expect(await hoursOf(draft)).toEqual([2, 100]);

  await page.reload();
  await expect(contact(page)).toHaveValue('2');
  await expect(inspection(page)).toHaveValue('100');
  await expect(page.getByRole('region', { name: 'Ændringslog' })).toContainText(
    'Kontakt kunden inden for 24 → 2 timer, Besigtigelse inden for 72 → 100 timer',
  );
});

test('0 is refused in the browser with the Danish words at the field; nothing is saved', async ({
  page,
}) => {
  await openPage(page);
  await contact(page).fill('0');
  await inspection(page).fill('721');
  await save(page).click();
  await expect(form(page).getByRole('status')).toHaveText('Intet er ændret. Ret fejlene herunder.');
  await expect(form(page).getByRole('alert').filter({ hasText: contactError })).toBeVisible();
  await expect(form(page).getByRole('alert').filter({ hasText: inspectionError })).toBeVisible();
  await expect(contact(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(contact(page)).toHaveAccessibleDescription(new RegExp(contactError));

  // Put right, the error goes with the next submit; the other still holds the save back.
  await contact(page).fill('3');
  await save(page).click();
  await expect(form(page).getByText(contactError)).toHaveCount(0);
  await expect(form(page).getByText(inspectionError)).toBeVisible();

  await page.reload();
  await expect(contact(page)).toHaveValue('2');
  await expect(inspection(page)).toHaveValue('100');
});

test.describe('before hydration (no JavaScript)', () => {
  test.use({ javaScriptEnabled: false });

  test('the server refuses 0 with the same words and shows what was typed; nothing is saved', async ({
    page,
  }) => {
    await openPage(page);
    await expect(contact(page)).toHaveValue('2');
    await contact(page).fill('0');
    await save(page).click();
    await expect(form(page).getByRole('status')).toContainText('Intet er ændret');
    await expect(form(page).getByText(contactError)).toBeVisible();
    await expect(contact(page)).toHaveValue('0');
    await page.goto('/admin/modules/scalepoint');
    await expect(contact(page)).toHaveValue('2');
    await expect(inspection(page)).toHaveValue('100');
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the section fits 390 px and saves the defaults back', async ({ page }) => {
    await openPage(page);
    await section(page).scrollIntoViewIfNeeded();
    for (const element of [section(page), contact(page), inspection(page), save(page)]) {
      const box = (await element.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    // Each field's unit stands on the field's line, beside it.
    const field = (await contact(page).boundingBox())!;
    const unit = (await form(page).getByText('timer', { exact: true }).first().boundingBox())!;
    expect(unit.x).toBeGreaterThanOrEqual(field.x + field.width);
    expect(unit.x + unit.width).toBeLessThanOrEqual(390);
    expect(Math.abs(unit.y + unit.height / 2 - (field.y + field.height / 2))).toBeLessThan(8);

    await contact(page).fill('24');
    await inspection(page).fill('72');
    await save(page).tap();
    await expect(form(page).getByRole('status')).toContainText('Fristerne er gemt.');
    await page.reload();
    await expect(contact(page)).toHaveValue('24');
    await expect(inspection(page)).toHaveValue('72');
  });
});
