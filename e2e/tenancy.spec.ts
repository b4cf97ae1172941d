import { expect, test } from '@playwright/test';
import { accounts, signIn } from './support/fixtures';

test('one company cannot open another company’s draft or customer by URL', async ({ browser }) => {
  const demo = await browser.newPage();
  await signIn(demo, accounts.demoAdmin);
  await demo.goto('/orders/drafts');
  const draftHref = await demo
    .getByRole('link', { name: 'Udskiftning af blandingsbatteri' })
    .getAttribute('href');
  await demo.goto('/customers');
  const customerHref = await demo
    .getByRole('link', { name: 'Karen Sørensen' })
    .getAttribute('href');
  expect(draftHref).toMatch(/^\/orders\//);
  expect(customerHref).toMatch(/^\/customers\//);

  const nord = await browser.newPage();
  await signIn(nord, accounts.nordAdmin);
  for (const href of [draftHref!, customerHref!]) {
    const res = await nord.goto(href);
    expect(res?.status()).toBe(404);
    await expect(nord.getByText('Udskiftning af blandingsbatteri')).toHaveCount(0);
    await expect(nord.getByText('Karen Sørensen')).toHaveCount(0);
  }
  // Nord Byg's own list does not show Demo VVS's drafts either.
  await nord.goto('/orders/drafts?q=blandingsbatteri');
  await expect(nord.getByRole('link', { name: 'Udskiftning af blandingsbatteri' })).toHaveCount(0);
});

test('support cannot open company pages, and companies cannot open support’s page', async ({
  browser,
}) => {
  const admin = await browser.newPage();
  await signIn(admin, accounts.demoAdmin);
  expect((await admin.goto('/support/scalepoint'))?.status()).toBe(404);
  const member = await (await browser.newContext()).newPage();
  await signIn(member, accounts.demoMember);
  expect((await member.goto('/support/scalepoint'))?.status()).toBe(404);
  const anonymous = await (await browser.newContext()).newPage();
  expect((await anonymous.goto('/support/scalepoint'))?.status()).toBe(404);

  const support = await (await browser.newContext()).newPage();
  await signIn(support, accounts.support);
  await expect(support.getByRole('heading', { name: 'Scalepoint-adgange' })).toBeVisible();
  for (const path of [
    '/orders/drafts',
    '/orders',
    '/customers',
    '/admin',
    '/admin/modules/scalepoint',
  ]) {
    expect((await support.goto(path))?.status()).toBe(404);
  }
});
