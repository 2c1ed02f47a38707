import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

const GIB = 2 ** 30;

// Issue 15's subscriber form against a real panel and a real agent (HTTP, TLS, token) over
// in-memory WireGuard: a subscriber's speed limits, throttle and granular quotas, checked in the
// form before sending, stored as the panel takes them, shown again when edited.
describe('web UI: a subscriber’s speed limits and throttle', () => {
  const get = useUiPanel();
  let agent: FakeAgent;
  let browser: Chromium;
  let page: Page;
  const api = async (url: string, payload: object) => {
    const res = await get().panel.app.inject({
      method: 'POST',
      url,
      headers: get().headers,
      payload,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.json().data;
  };
  const subscriber = async (id: number) =>
    (
      await get().panel.app.inject({
        url: `/api/getSubscriber?id=${id}`,
        headers: get().headers,
      })
    ).json().data;

  beforeAll(async () => {
    agent = await FakeAgent.start({ version: '1.0.0-test' });
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    await api('/api/addNode', { name: 'fra-1', join: agent.join });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });

  it('sets speeds, a throttle and a daily limit in the form; a throttle without a speed is refused first', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Subscribers' })
      .click();
    await page.getByTestId('new-subscriber').click();
    const form = page.getByTestId('subscriber-form');
    await form.getByLabel('Name', { exact: true }).fill('Speedy');
    await form.getByLabel('wg0').check();
    await form.getByTestId('subscriber-form-speed').locator('summary').click();
    await form.locator('#sub-downMbit').fill('10');
    await form.locator('#sub-upMbit').fill('2');
    await form.locator('#sub-on-limit').selectOption('throttle');
    await form.getByRole('button', { name: 'Create subscriber' }).click();
    // Checked before anything is sent: no subscriber yet.
    await form.locator('#sub-throttleDownMbit-error').waitFor();
    expect(await form.locator('#sub-throttleDownMbit-error').textContent()).toBe(
      'Give a speed to slow down to (download or upload).',
    );
    expect(await get().database.db.selectFrom('subscribers').select('name').execute()).toEqual([]);
    await form.locator('#sub-throttleDownMbit').fill('1');
    await form.locator('#sub-dailyLimit').fill('5');
    await form.getByRole('button', { name: 'Create subscriber' }).click();
    await page.getByRole('heading', { name: 'Speedy' }).waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    expect(await subscriber(id)).toMatchObject({
      download_bps: 10_000_000,
      upload_bps: 2_000_000,
      on_limit: 'throttle',
      throttle_download_bps: 1_000_000,
      throttle_upload_bps: null,
      daily_limit: 5 * GIB,
      download_limit: null,
    });
    // The detail says them in words.
    expect(await page.getByTestId('sub-speed').textContent()).toBe('10 Mbit/s down, 2 up');
    expect(await page.getByTestId('sub-throttle').textContent()).toBe(
      'Over a quota: 1 Mbit/s down',
    );

    // Edited: the form shows them again; back to restrict, the upload speed cleared.
    await page.getByTestId('sub-edit').click();
    await form.getByTestId('subscriber-form-speed').locator('summary').click();
    await expect.poll(() => form.locator('#sub-downMbit').inputValue()).toBe('10');
    expect(await form.locator('#sub-throttleDownMbit').inputValue()).toBe('1');
    await form.locator('#sub-upMbit').fill('');
    await form.locator('#sub-on-limit').selectOption('restrict');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('sub-notice').getByText('Subscriber "Speedy" saved.').waitFor();
    expect(await subscriber(id)).toMatchObject({
      download_bps: 10_000_000,
      upload_bps: null,
      on_limit: 'restrict',
      daily_limit: 5 * GIB,
    });
    await expect.poll(() => page.getByTestId('sub-speed').textContent()).toBe('10 Mbit/s down');
    expect(await page.getByTestId('sub-throttle').count()).toBe(0);
  });
});
