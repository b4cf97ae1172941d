import { expect, type Browser, type Page } from '@playwright/test';

export const accounts = {
  demoAdmin: { email: 'admin@demo-vvs.dk', password: 'demo1234' },
  demoMember: { email: 'montor@demo-vvs.dk', password: 'demo1234' },
  nordAdmin: { email: 'admin@nord-byg.dk', password: 'demo1234' },
  support: { email: 'support@kladde.dk', password: 'support1234' },
} as const;

export async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Adgangskode').fill(account.password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page.getByRole('button', { name: 'Log ud' })).toBeVisible();
}

/** A page of its own (its own cookies) signed in as `who`. */
export async function asUser(
  browser: Browser,
  who: { email: string; password: string },
): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, who);
  return page;
}
