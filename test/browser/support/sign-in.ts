import type { Page } from 'playwright-core';
import { ADMIN } from '../../panel/support/panel-under-test.js';

/** Fills the sign-in form (on the page `page` shows now) and submits it. */
export async function submitSignIn(page: Page, password: string = ADMIN.password): Promise<void> {
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens `url` (the panel sends it to sign-in), signs the admin in and waits for the Fleet page. */
export async function signInAsAdmin(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await submitSignIn(page);
  await page.getByRole('heading', { name: 'Fleet' }).waitFor();
}
