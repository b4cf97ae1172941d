import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { throwawayUrl } from '@/db/throwaway';
import { formatDateTime } from '@/lib/format';
import { accounts, signIn } from './support/fixtures';
import { E2E } from './support/settings';

// Frister (docs/deadlines.md): the column Frist and the filter Forsinkede on both lists, and the
// deadlines with Overholdt / Overskredet in Forløb, at a desktop's and a phone's width. Scalepoint
// drafts of Demo VVS with their clocks as the intake sets them (Oprettet + 24 h / 72 h), made
// earlier in time here so some are already late; the intake's part is tested in
// tests/integration/deadlines.test.ts. Their headings ("Vandskade …") sort between the seeded
// ones and they are older than them, so no other spec's first row changes.
const sql = postgres(throwawayUrl(E2E.database), { max: 1, onnotice: () => {} });
test.afterAll(() => sql.end());

const tag = () => randomBytes(3).toString('hex').toUpperCase();

/** A Scalepoint draft that arrived `hoursAgo` hours ago, with the default Frister. */
async function scalepointDraft(caseNumber: string, hoursAgo: number) {
  const [row] = await sql<{ id: string; contact: Date; inspection: Date }[]>`
    with c as (select id from companies where cvr = '12345678'),
         t as (select id, name from order_types where company_id = (select id from c) order by name limit 1),
         cu as (select id, name from customers where company_id = (select id from c) and name = 'Karen Sørensen' limit 1),
         at as (select now() - make_interval(hours => ${hoursAgo}) as created)
    insert into orders (company_id, status, order_type_id, order_type_name, heading, requisition_number, customer_id, customer_name,
                        source, scalepoint_case_number, created_at, contact_due_at, inspection_due_at)
    select c.id, 'draft', t.id, t.name, ${`Vandskade ${caseNumber}`}, ${caseNumber}, cu.id, cu.name,
           'scalepoint', ${caseNumber}, at.created, at.created + interval '24 hours', at.created + interval '72 hours'
    from c, t, cu, at
    returning id, contact_due_at as contact, inspection_due_at as inspection`;
  return row!;
}

const table = (page: Page) => page.getByRole('table');
const rowOf = (page: Page, caseNumber: string) =>
  table(page).getByRole('row').filter({ hasText: caseNumber });
/** The row's cell under the header Frist, wherever the list puts that column. */
async function fristCell(page: Page, caseNumber: string) {
  const headers = await table(page).getByRole('columnheader').allInnerTexts();
  const column = headers.findIndex((h) => h.replace(/[▲▼↕]/g, '').trim() === 'Frist');
  expect(column).toBeGreaterThanOrEqual(0);
  return rowOf(page, caseNumber).getByRole('cell').nth(column);
}
const forlob = (page: Page) => page.getByRole('region', { name: 'Forløb' });
const frister = (page: Page) => forlob(page).getByRole('region', { name: 'Frister' });
const clock = (page: Page, label: string) =>
  frister(page).getByRole('listitem').filter({ hasText: label });

test('Frist sorts, Forsinkede filters the late ones oldest first, on both lists', async ({
  page,
}) => {
  const t = tag();
  const n = { old: `FR-${t}-OLD`, late: `FR-${t}-LATE`, fresh: `FR-${t}-NEW` };
  const old = await scalepointDraft(n.old, 50);
  const late = await scalepointDraft(n.late, 30);
  await scalepointDraft(n.fresh, 1);
  await signIn(page, accounts.demoAdmin);

  // The column, its time as the lists write times, and Overskredet as text once passed.
  await page.goto(`/orders/drafts?q=FR-${t}`);
  await expect(table(page).getByRole('columnheader', { name: /Frist/ })).toBeVisible();
  await expect(await fristCell(page, n.old)).toContainText(formatDateTime(old.contact));
  await expect(await fristCell(page, n.old)).toContainText('Overskredet');
  await expect(await fristCell(page, n.late)).toContainText('Overskredet');
  await expect(await fristCell(page, n.fresh)).not.toContainText('Overskredet');

  // Sorted by Frist (ascending, then descending): the earliest deadline first, then last.
  await table(page).getByRole('link', { name: /Frist/ }).click();
  await expect(page).toHaveURL(/sort=deadline&dir=asc/);
  const order = async () =>
    (await table(page).getByRole('row').allInnerTexts())
      .slice(1)
      .map((r) => /FR-\w+-(OLD|LATE|NEW)/.exec(r)?.[1]);
  await expect.poll(order).toEqual(['OLD', 'LATE', 'NEW']);
  await table(page).getByRole('link', { name: /Frist/ }).click();
  await expect(page).toHaveURL(/sort=deadline&dir=desc/);
  await expect.poll(order).toEqual(['NEW', 'LATE', 'OLD']);

  // Forsinkede: only the late ones, the oldest deadline first, without choosing a sort.
  await page.goto('/orders/drafts');
  await page
    .getByRole('navigation', { name: 'Filter' })
    .getByRole('link', { name: 'Forsinkede' })
    .click();
  await expect(page).toHaveURL(/status=late/);
  await expect(rowOf(page, n.old)).toBeVisible();
  await expect(rowOf(page, n.fresh)).toHaveCount(0);
  const texts = await table(page).getByRole('row').allInnerTexts();
  expect(texts.findIndex((r) => r.includes(n.old))).toBeLessThan(
    texts.findIndex((r) => r.includes(n.late)),
  );
  // A search keeps the filter.
  await page.getByRole('searchbox', { name: 'Søg' }).fill(n.late);
  await page.getByRole('searchbox', { name: 'Søg' }).press('Enter');
  await expect(page).toHaveURL(/status=late/);
  await expect(rowOf(page, n.late)).toBeVisible();
  await expect(rowOf(page, n.old)).toHaveCount(0);

  // Approved, the late draft is a late order: Ordrer's Forsinkede shows it.
  await page.goto(`/orders/${late.id}`);
  await page.getByRole('button', { name: 'Godkend', exact: true }).click();
  const confirm = page.getByRole('dialog');
  if (await confirm.isVisible().catch(() => false))
    await confirm.getByRole('button', { name: /Godkend/ }).click();
  await expect(page.locator('.pagehead').getByText('Ny', { exact: true })).toBeVisible();
  await page.goto('/orders?status=late');
  await expect(page.getByRole('link', { name: 'Forsinkede' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(rowOf(page, n.late)).toBeVisible();
  await expect(await fristCell(page, n.late)).toContainText('Overskredet');
});

test('Forløb shows each deadline, and Overholdt or Overskredet once its clock stops', async ({
  page,
}) => {
  const t = tag();
  const late = await scalepointDraft(`FR-${t}-CALL-LATE`, 30);
  const fresh = await scalepointDraft(`FR-${t}-CALL-NOW`, 2);
  await signIn(page, accounts.demoAdmin);

  for (const [c, word] of [
    [late, 'Overskredet'],
    [fresh, 'Overholdt'],
  ] as const) {
    await page.goto(`/orders/${c.id}`);
    // The draft's open deadlines, with their times.
    await expect(clock(page, 'Kontakt kunden')).toContainText(formatDateTime(c.contact));
    await expect(clock(page, 'Besigtigelse')).toContainText(formatDateTime(c.inspection));
    await expect(clock(page, 'Besigtigelse')).not.toContainText('Overskredet');
    await page.getByRole('button', { name: 'Godkend', exact: true }).click();
    const confirm = page.getByRole('dialog');
    if (await confirm.isVisible().catch(() => false))
      await confirm.getByRole('button', { name: /Godkend/ }).click();
    await forlob(page).getByRole('button', { name: 'Kunde kontaktet', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Kunde kontaktet' });
    await dialog.getByRole('button', { name: 'Gem' }).click();
    await expect(dialog).toBeHidden();
    await expect(clock(page, 'Kontakt kunden')).toContainText(word);
    await expect(clock(page, 'Besigtigelse')).not.toContainText('Overholdt');
  }
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the Frist cell reads on a phone: its time on one line, Overskredet as text', async ({
    page,
  }) => {
    const n = `FR-${tag()}-MOBIL`;
    const c = await scalepointDraft(n, 40);
    await signIn(page, accounts.demoAdmin);
    await page.goto(`/orders/drafts?status=late&q=${n}`);
    const cell = await fristCell(page, n);
    await expect(cell).toContainText('Overskredet');
    const time = cell.locator('time');
    await expect(time).toHaveText(formatDateTime(c.contact));
    // The last column: the table scrolls sideways to it, and the whole time fits the screen.
    await time.scrollIntoViewIfNeeded();
    const box = (await time.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    // On one line.
    const lineHeight = await time.evaluate(
      (el) => parseFloat(getComputedStyle(el).lineHeight) || 20,
    );
    expect(box.height).toBeLessThan(lineHeight * 1.6);
  });
});
