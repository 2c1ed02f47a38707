import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConfiguration } from '../panel/support/peer-fixtures.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { signInAsAdmin } from './support/sign-in.js';
import { useUiPanel } from './support/ui-panel.js';

// Issue 17, audit: who changed what, filtered in the page, and the same filter's CSV.
describe('web UI: audit page', () => {
  const get = useUiPanel();
  let browser: Chromium;
  let page: Page;
  const api = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });

  beforeAll(async () => {
    const c = await seedConfiguration(get().database);
    const added = await api(`/api/addPeers/${c.name}`, { name: 'old name' });
    const key = (added.json() as { data: { id: string }[] }).data[0]!.id;
    expect(
      (await api(`/api/updatePeerSettings/${c.name}`, { id: key, name: 'new name' })).statusCode,
    ).toBe(200);
    await api(`/api/updatePeerTrafficLimit/${c.name}`, { id: key, traffic_limit: '1GiB' });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists who changed what, filters by action, and downloads the filtered CSV', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    const table = page.getByTestId('audit');
    await table.waitFor();
    // Newest first: the admin's sign-in in this browser, then the API key's changes.
    const actions = await table.getByTestId('audit-action').allTextContents();
    expect(actions).toEqual([
      'authenticate',
      'updatePeerTrafficLimit',
      'updatePeerSettings',
      'addPeers',
      'newDashboardAPIKey',
      'authenticate',
    ]);
    expect(
      await table.locator('tbody tr').first().getByTestId('audit-user').textContent(),
    ).toContain('admin');

    await page.getByLabel('Action').fill('updatePeerSettings');
    await page.getByLabel('Action').press('Enter');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    const row = table.locator('tbody tr').first();
    expect(await row.getByTestId('audit-user').textContent()).toContain(get().apiKey.slice(0, 12));
    expect(await row.getByTestId('audit-changes').textContent()).toContain(
      'name: old name → new name',
    );
    await screenshot(page, 'audit-page');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-csv').click(),
    ]);
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,username,api_key_name,address,action,target_kind,target,before,after,outcome,status_code,message',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',updatePeerSettings,peer,');
    expect(lines[1]).toContain('""name"":""old name""');
    expect(lines[1]).toContain('""name"":""new name""');
  });
});
