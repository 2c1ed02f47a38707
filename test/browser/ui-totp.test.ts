import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/panel/app/auth/totp.js';
import { ADMIN } from '../panel/support/panel-under-test.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';

const USER = { username: 'ui-totp', password: 'ui-totp-password' };

describe('web UI: TOTP enrolment and sign-in with a code', () => {
  const get = useUiPanel();
  let browser: Chromium;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    const added = await get().panel.app.inject({
      method: 'POST',
      url: '/api/addUser',
      headers: get().headers,
      payload: { ...USER, role: 'operator' },
    });
    expect(added.statusCode, added.body).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(totp?: string) {
    await page.goto(`${get().baseUrl}/signin`);
    await page.getByLabel('Username').fill(USER.username);
    await page.getByLabel('Password').fill(USER.password);
    if (totp !== undefined) await page.getByTestId('signin-totp').fill(totp);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  let secret = '';
  let recovery: string[] = [];

  it('enrols from the Account page: QR code, secret, a code, ten recovery codes', async () => {
    await signIn();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    // An operator's menu offers no settings or webhooks (they would answer 403).
    const menu = page.getByRole('navigation', { name: 'Main' });
    expect(await menu.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await menu.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    await page.getByTestId('nav-account').click();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    await page.getByTestId('totp-begin').click();
    const qr = page.getByRole('img', { name: 'QR code of the authenticator link' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByTestId('totp-code').fill(await totpCode(secret, new Date()));
    await page.getByTestId('totp-confirm').click();
    const codes = page.getByTestId('recovery-codes').locator('code');
    await expect.poll(() => codes.count()).toBe(10);
    recovery = (await codes.allTextContents()).map((c) => c.trim());
    await page.getByTestId('totp-on').waitFor();
    await screenshot(page, 'account-totp');
  });

  it('asks for the code at sign-in, and takes a recovery code once', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('OTP is incorrect');
    await signIn(await totpCode(secret, new Date()));
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(recovery[0]);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(recovery[0]);
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/signin');
  });

  it('shows an admin the Users page: TOTP on for the user, a reseller added with its balance', async () => {
    await page.goto(`${get().baseUrl}/signin`);
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Users' })
      .click();
    const row = page.getByTestId('users').locator('tr', { hasText: USER.username });
    await row.waitFor();
    expect(await row.textContent()).toContain('✓');
    await page.locator('#user-name').fill('ui-shop');
    await page.locator('#user-password').fill('ui-shop-password');
    await page.locator('#user-role').selectOption('reseller');
    await page.getByLabel('Balance (days)').fill('30');
    await page.getByRole('button', { name: 'Add user' }).click();
    const shop = page.getByTestId('users').locator('tr', { hasText: 'ui-shop' });
    await shop.waitFor();
    await expect.poll(() => shop.textContent()).toContain('Balance (days): 30');
    await screenshot(page, 'users');
  });
});
