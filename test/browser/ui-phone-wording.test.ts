import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

/** Runs in the page: what the clipboard holds. */
const readClipboard = () =>
  (
    globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
  ).navigator.clipboard.readText();

// Issue 20 items 7 and 8: wording (plurals, destructive actions, copy buttons, notices that clear)
// and a phone (a selection bar that stays in view, a compact pager at the bottom).
describe('web UI: wording and the phone', () => {
  const get = useUiPanel();
  let agent: FakeAgent;
  let browser: Chromium;
  let page: Page;
  const api = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });

  beforeAll(async () => {
    agent = await FakeAgent.start({ version: '1.0.0-test' });
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    expect((await api('/api/addNode', { name: 'fra-1', join: agent.join })).statusCode).toBe(200);
    await api('/api/addPeers/wg0', {
      bulkAdd: true,
      bulkAddAmount: 1,
      bulkAddStart: 1,
      name: 'one',
    });
    browser = await launchChromium({ width: 390, height: 844 });
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });
  const inView = async (testId: string) => {
    const box = await page.getByTestId(testId).boundingBox();
    return box !== null && box.y >= 0 && box.y + box.height <= 844 + 0.5;
  };

  it('styles removal as destructive and copies a configuration key', async () => {
    const remove = page.locator('tr[data-node="fra-1"]').getByRole('button', { name: 'Remove' });
    expect(await remove.getAttribute('class')).toContain('danger');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Configurations' })
      .click();
    const card = page.locator('article[data-configuration="wg0"]');
    await card.waitFor();
    // One peer: "1 peer", not "1 peers".
    expect(await card.locator('.stats').textContent()).toMatch(/1\s*peer(?!s)/);
    await card.getByRole('button', { name: 'Copy the public key of wg0' }).click();
    const key = (
      await get()
        .database.db.selectFrom('configurations')
        .select('public_key')
        .where('name', '=', 'wg0')
        .executeTakeFirstOrThrow()
    ).public_key;
    await expect.poll(() => page.evaluate(readClipboard)).toBe(key);
  });

  it('clears a notice on the next action', async () => {
    await page.goto(`${get().baseUrl}/configurations/wg0`);
    await page.getByTestId('new-peer').click();
    const form = page.getByTestId('peer-form');
    await form.getByLabel('Name').fill('two');
    await form.getByRole('button', { name: 'Create peer' }).click();
    await page.getByTestId('peers-notice').waitFor();
    await page.locator('tr[data-peer="one 1"]').getByRole('button', { name: 'Edit' }).click();
    await expect.poll(() => page.getByTestId('peers-notice').count()).toBe(0);
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('keeps the selection bar and a compact pager in view on a phone', async () => {
    await api('/api/addPeers/wg0', {
      bulkAdd: true,
      bulkAddAmount: 118,
      bulkAddStart: 2,
      name: 'one',
    });
    await page.reload();
    await page.getByText(/Page 1 of 3/).waitFor();
    await page.locator('tr[data-peer="one 1"]').getByRole('checkbox').check();
    await page.getByTestId('bulk-bar').waitFor();
    // Down to the end of the list: both bars still on screen.
    await page.mouse.wheel(0, 20_000);
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY))
      .toBeGreaterThan(2000);
    await expect.poll(() => inView('bulk-bar')).toBe(true);
    await expect.poll(() => inView('pager')).toBe(true);
    const bar = await page.getByTestId('bulk-bar').boundingBox();
    expect(bar?.height ?? 999).toBeLessThan(120);
    await screenshot(page, 'peers-phone-sticky', false);
    await page.getByTestId('pager').getByRole('button', { name: 'Last page' }).click();
    await page.getByText(/Page 3 of 3/).waitFor();
    await page.getByTestId('pager').getByRole('button', { name: 'First page' }).click();
    await page.getByText(/Page 1 of 3/).waitFor();
  });
});
