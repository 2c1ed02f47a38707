import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

// Issue 20 item 6: peer names link to the peer, readable types, the viewer's time zone, and a
// range that ends before it starts is named as such.
describe('web UI: events page', () => {
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
    // 60 other peers first: the linked one is not on the first page of the list.
    await api('/api/addPeers/wg0', {
      bulkAdd: true,
      bulkAddAmount: 60,
      bulkAddStart: 1,
      name: 'a',
    });
    const dave = await api('/api/addPeers/wg0', { name: 'zz dave' });
    const key = (dave.json() as { data: { id: string }[] }).data[0]?.id ?? '';
    await api('/api/restrictPeers/wg0', { peers: [key] });
    // A viewer in Tokyo: the page shows Tokyo's times, whatever the machine's zone.
    browser = await launchChromium(undefined, 'en-US', 'Asia/Tokyo');
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });

  it('shows readable types and times in the viewer’s zone, and links the peer', async () => {
    await page.goto(`${get().baseUrl}/events`);
    const table = page.getByTestId('events');
    await table.waitFor();
    expect(await table.locator('thead').textContent()).toContain('(Asia/Tokyo)');
    const row = table.locator('tbody tr').first();
    expect(await row.locator('.badge').textContent()).toContain('Restricted');
    const stored = await get()
      .database.db.selectFrom('peer_events')
      .select('created_at')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const shown = new Date(stored.created_at).toLocaleString('en', { timeZone: 'Asia/Tokyo' });
    expect(await row.locator('td').first().textContent()).toBe(shown);
    await screenshot(page, 'events-page');
    await row.getByTestId('event-peer').click();
    const detail = page.getByTestId('peer-detail');
    await detail.getByRole('heading', { name: 'zz dave' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/configurations/wg0');
    await detail.getByRole('button', { name: 'Close' }).click();
  });

  it('says so when the range ends before it starts, and asks again once it is mended', async () => {
    await page.goto(`${get().baseUrl}/events`);
    await page.getByTestId('events').waitFor();
    let asked = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/getPeerEvents')) asked++;
    });
    await page.getByLabel('To', { exact: true }).fill('2026-01-01T00:00');
    await page.getByLabel('From', { exact: true }).fill('2026-02-01T00:00');
    const error = page.locator('#ev-to-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('ends before it starts');
    expect(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    const before = asked;
    await page.getByLabel('From', { exact: true }).fill('2025-12-01T00:00');
    await expect.poll(() => error.count()).toBe(0);
    await expect.poll(() => asked).toBeGreaterThan(before);
  });
});
