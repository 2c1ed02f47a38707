import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

const GIB = 2 ** 30;

// A real panel and a real agent (HTTP, TLS, token) over an in-memory WireGuard: the UI's pages
// against the real API, without network namespaces. Real traffic is the lab's business.
describe('web UI: fleet, configurations and peers', () => {
  const get = useUiPanel();
  let agent: FakeAgent;
  let browser: Chromium;
  let page: Page;

  beforeAll(async () => {
    agent = await FakeAgent.start({ version: '1.0.0-test' });
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    browser = await launchChromium();
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  const api = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
  const peerRow = (name: string) => page.locator(`tr[data-peer="${name}"]`);
  const peerKey = async (name: string) => {
    const row = await get()
      .database.db.selectFrom('peers')
      .select('public_key')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.public_key;
  };

  it('adds a node by its join string and lists it', async () => {
    await page.getByTestId('show-add-node').click();
    await page.getByLabel('Name').fill('bad name!');
    await page.getByLabel('Join string').fill(agent.join);
    await page.getByRole('button', { name: 'Add node' }).click();
    // The panel's message names the field; the UI shows it under that field.
    await page.locator('#node-name ~ .error').waitFor();
    await page.getByLabel('Name').fill('fra-1');
    await page.getByRole('button', { name: 'Add node' }).click();
    const row = page.locator('tr[data-node="fra-1"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('online');
    expect(await row.textContent()).toContain('1.0.0-test');
    await screenshot(page, 'fleet');
  });

  it('edits a node: renames it, sets and clears its public host', async () => {
    const edit = async (node: string, name: string, publicHost: string) => {
      await page.locator(`tr[data-node="${node}"]`).getByRole('button', { name: 'Edit' }).click();
      const form = page.getByTestId('edit-node');
      await form.getByLabel('Name').fill(name);
      await form.getByLabel(/^Public host/).fill(publicHost);
      await form.getByRole('button', { name: 'Save node' }).click();
      await expect.poll(() => form.count()).toBe(0);
      return page.locator(`tr[data-node="${name}"]`);
    };
    // A bad name: the panel's message shows under the field, wired to it for assistive tech.
    await page.locator('tr[data-node="fra-1"]').getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('edit-node');
    await form.getByLabel('Name').fill('bad name!');
    await form.getByRole('button', { name: 'Save node' }).click();
    await form.locator('#edit-node-name-error').waitFor();
    expect(await form.getByLabel('Name').getAttribute('aria-describedby')).toBe(
      'edit-node-name-error',
    );
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('button', { name: 'Cancel' }).click();
    const renamed = await edit('fra-1', 'fra-east', 'vpn.example.net');
    await renamed.waitFor();
    expect(await renamed.textContent()).toContain('vpn.example.net');
    expect(await page.locator('tr[data-node="fra-1"]').count()).toBe(0);
    // Back as it was (the later cases name fra-1), the public host cleared.
    const back = await edit('fra-east', 'fra-1', '');
    await back.waitFor();
    expect(await back.textContent()).not.toContain('vpn.example.net');
  });

  it('lists the adopted configuration; stops it only when the question is confirmed', async () => {
    // A peer that shook hands a moment ago: connected (the poller does not run in this suite).
    const added = await api('/api/addPeers/wg0', { name: 'connected-now' });
    expect(added.statusCode, added.body).toBe(200);
    const key = (added.json() as { data: { id: string }[] }).data[0]?.id ?? '';
    await get()
      .database.db.updateTable('peers')
      .set({ latest_handshake_at: new Date() })
      .where('public_key', '=', key)
      .execute();
    const enabled = async () =>
      (
        await get()
          .database.db.selectFrom('configurations')
          .select('enabled')
          .where('name', '=', 'wg0')
          .executeTakeFirstOrThrow()
      ).enabled;

    await nav('Configurations').click();
    const card = page.locator('article[data-configuration="wg0"]');
    await card.waitFor();
    expect(await card.locator('.badge').first().textContent()).toContain('up');
    await expect.poll(() => card.textContent()).toContain('Connected now: 1');

    // Stop asks first, naming what it cuts; Cancel leaves everything as it was.
    await card.getByRole('button', { name: 'Stop' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Stop wg0?');
    expect(await dialog.getByTestId('stop-question').textContent()).toMatch(
      /wg0 goes down on fra-1: every one of\s+its 1 peer is cut \(1 connected\s+now\)/,
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(agent.wg.ifaces.has('wg0')).toBe(true);
    expect(await enabled()).toBe(true);
    expect(await card.locator('.badge').first().textContent()).toContain('up');

    // Confirmed: down on the node, and the card refreshed (down, nobody connected).
    await card.getByRole('button', { name: 'Stop' }).click();
    await dialog.getByRole('button', { name: 'Stop interface' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await card.getByRole('button', { name: 'Start' }).waitFor();
    expect(await card.locator('.badge').first().textContent()).toContain('down');
    expect(await card.textContent()).toContain('Connected now: 0');
    expect(agent.wg.ifaces.has('wg0')).toBe(false);
    expect(await enabled()).toBe(false);

    // Start needs no question.
    await card.getByRole('button', { name: 'Start' }).click();
    await card.getByRole('button', { name: 'Stop' }).waitFor();
    expect(agent.wg.ifaces.has('wg0')).toBe(true);
    expect(await page.getByTestId('confirm').filter({ visible: true }).count()).toBe(0);
    const removed = await api('/api/deletePeers/wg0', { peers: [key] });
    expect(removed.statusCode, removed.body).toBe(200);
  });

  it('creates a configuration on the node', async () => {
    await page.getByTestId('show-add-configuration').click();
    const form = page.getByTestId('add-configuration');
    await expect.poll(() => form.getByLabel('Node').inputValue()).not.toBe('');
    await form.getByLabel('Name (interface)').fill('wg1');
    await form.getByLabel('Address').fill('not-an-address');
    await form.getByLabel('Listen port').fill('51821');
    await form.getByRole('button', { name: 'Create configuration' }).click();
    await form.locator('.error').first().waitFor();
    await form.getByLabel('Address').fill('10.9.0.1/24');
    await form.getByRole('button', { name: 'Create configuration' }).click();
    await page.locator('article[data-configuration="wg1"]').waitFor();
    await screenshot(page, 'configurations');
  });

  it('pages and searches 120 peers on the panel', async () => {
    const r = await api('/api/addPeers/wg0', { bulkAdd: true, bulkAddAmount: 120, name: 'bulk' });
    expect(r.statusCode, r.body).toBe(200);
    await page
      .locator('article[data-configuration="wg0"]')
      .getByRole('button', { name: 'Peers' })
      .click();
    await page.getByTestId('page-info').waitFor();
    expect(await page.getByTestId('page-info').textContent()).toMatch(/Page 1 of 3 · 120 matching/);
    expect(await page.locator('tr[data-peer]').count()).toBe(50);
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText('Page 2 of 3').waitFor();
    await page.getByLabel('Search').fill('bulk_11');
    await page.getByText(/Page 1 of 1 · \d+ matching/).waitFor();
    const names = await page
      .locator('tr[data-peer]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-peer')));
    expect(names.length).toBeGreaterThan(0);
    expect(names).toHaveLength(11); // bulk_11_ and bulk_110_…bulk_119_
    for (const n of names) expect(n).toMatch(/^bulk_11/);
    await page.getByLabel('Search').fill('');
    await page.getByText('Page 1 of 3').waitFor();
  });

  it('creates a peer with a limit and an expiry', async () => {
    await page.getByTestId('new-peer').click();
    const form = page.getByTestId('peer-form');
    await expect.poll(() => form.getByLabel('Address').inputValue()).toMatch(/^10\.0\.0\.\d+\/32$/);
    await form.getByLabel('Name').fill('alice');
    await form.getByLabel('Traffic limit').fill('1');
    await form.getByLabel('Unit').selectOption('GiB');
    await form.getByRole('button', { name: '+7 days' }).click();
    await screenshot(page, 'peer-form');
    await form.getByRole('button', { name: 'Create peer' }).click();
    await page.getByTestId('peers-notice').waitFor();
    await page.getByLabel('Search').fill('alice');
    await peerRow('alice').waitFor();
    const text = await peerRow('alice').textContent();
    expect(text).toContain('of 1.00 GiB');
    expect(text).toContain('in 7 days');
    expect(text).toContain('active');
  });

  it("draws each configuration's traffic of the last 24 hours", async () => {
    const minute = Math.floor((Date.now() - 2 * 3600_000) / 60_000) * 60_000;
    const id = (
      await get()
        .database.db.selectFrom('peers')
        .select('id')
        .where('name', '=', 'alice')
        .executeTakeFirstOrThrow()
    ).id;
    await get()
      .database.db.insertInto('peer_usage_minute')
      .values({ peer_id: id, bucket_start: new Date(minute), rx: 4n * 2n ** 20n, tx: 2n ** 20n })
      .execute();
    await nav('Configurations').click();
    const spark = (cfg: string) =>
      page.locator(`article[data-configuration="${cfg}"]`).getByTestId('sparkline');
    await spark('wg0').getByRole('img').waitFor();
    expect(await spark('wg0').getByRole('img').getAttribute('aria-label')).toBe(
      'Traffic of wg0, last 24 hours: 5.00 MiB in all, peak 5.00 MiB per hour',
    );
    expect(await spark('wg0').textContent()).toContain('Last 24 h: 5.00 MiB');
    expect(await spark('wg1').getByRole('img').getAttribute('aria-label')).toContain('0 B in all');
    await screenshot(page, 'configurations-traffic');
    await page.goBack();
    await peerRow('alice').waitFor();
  });

  it('edits a peer in a form filled with its settings', async () => {
    await peerRow('alice').getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('peer-form');
    await expect.poll(() => form.getByLabel('Name').inputValue()).toBe('alice');
    expect(await form.getByLabel('Traffic limit').inputValue()).toBe('1');
    expect(await form.getByLabel('Unit').inputValue()).toBe('GiB');
    expect(await form.getByLabel(/^Expiry/).inputValue()).not.toBe('');
    await form.getByLabel('DNS').fill('9.9.9.9');
    const address = await form.getByLabel('Address').inputValue();
    await form.getByLabel('Address').fill('not-an-address');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('#peer-address ~ .error').waitFor();
    await form.getByLabel('Address').fill(address);
    // A composite field (amount + unit) shows its error under it too, wired to the amount.
    const limit = form.getByLabel('Traffic limit');
    await limit.fill('99999999');
    await form.getByLabel('Unit').selectOption('TiB');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('#peer-limit-error').waitFor();
    expect(await limit.getAttribute('aria-describedby')).toBe('peer-limit-error');
    expect(await limit.getAttribute('aria-invalid')).toBe('true');
    await limit.fill('1');
    await form.getByLabel('Unit').selectOption('GiB');
    await form.getByLabel('Warning at (% of limit)').fill('75');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.isVisible()).toBe(false);
    const saved = await get()
      .database.db.selectFrom('peers')
      .select(['dns', 'traffic_warn_threshold'])
      .where('name', '=', 'alice')
      .executeTakeFirstOrThrow();
    expect(saved).toEqual({ dns: '9.9.9.9', traffic_warn_threshold: 75 });
  });

  it('colours the usage bar at the threshold and over the limit', async () => {
    const key = await peerKey('alice');
    const setUsage = (bytes: number) =>
      get()
        .database.db.updateTable('peers')
        .set({ period_rx: BigInt(Math.round(bytes)), period_tx: 0n })
        .where('public_key', '=', key)
        .execute();
    const level = () => peerRow('alice').locator('.usage').getAttribute('data-level');
    await setUsage(0.9 * GIB);
    await page.getByLabel('Search').fill('alic');
    await expect.poll(level).toBe('warn');
    await setUsage(1.5 * GIB);
    await page.getByLabel('Search').fill('alice');
    await expect.poll(level).toBe('over');
    await screenshot(page, 'peers');
  });

  it('shows a speed limit as "10 Mbit/s down, 2 up"', async () => {
    const key = await peerKey('alice');
    const res = await api('/api/updatePeerBandwidthLimit/wg0', {
      id: key,
      download_bps: '10Mbit',
      upload_bps: 2_000_000,
    });
    expect(res.statusCode, res.body).toBe(200);
    await page.getByLabel('Search').fill('alic');
    await expect
      .poll(() => peerRow('alice').getByTestId('speed-limit').textContent())
      .toContain('10 Mbit/s down, 2 up');
  });

  it('shows a peer over its limit with on_limit throttle as throttled, not restricted, with its throttle speed', async () => {
    const key = await peerKey('alice');
    const res = await api('/api/updatePeerBandwidthLimit/wg0', {
      id: key,
      on_limit: 'throttle',
      throttle_download_bps: '1Mbit',
      throttle_upload_bps: '500kbit',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.status).toBe('throttled');
    // A new search (the last test left "alic") loads the list now, not at the next 10 s refresh.
    await page.getByLabel('Search').fill('alice');
    await expect
      .poll(() => peerRow('alice').getByTestId('peer-throttled').textContent())
      .toContain('throttled');
    expect(await peerRow('alice').getByTestId('throttle-speed').textContent()).toContain(
      'Over a quota: 1 Mbit/s down, 500 kbit/s up',
    );
    expect(await peerRow('alice').locator('.badge.bad').count()).toBe(0);
    // Back to cutting off (restricted again, over its limit) for the tests that follow.
    await api('/api/updatePeerBandwidthLimit/wg0', { id: key, on_limit: 'restrict' });
  });

  it('raises the limit in bulk after a confirmation naming the count', async () => {
    await peerRow('alice').getByRole('checkbox').check();
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Limit…' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    // One peer selected: the question names it.
    expect(await dialog.getByTestId('bulk-count').textContent()).toContain('"alice" of wg0');
    await dialog.getByLabel('Traffic limit').fill('5');
    await dialog.getByRole('button', { name: 'Apply to "alice"' }).click();
    await expect.poll(() => peerRow('alice').textContent()).toContain('of 5.00 GiB');
    expect(await peerRow('alice').locator('.usage').getAttribute('data-level')).toBe('ok');
  });

  it('restricts and allows a peer', async () => {
    await peerRow('alice').getByRole('button', { name: 'Restrict' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    expect(await dialog.getByRole('heading').textContent()).toBe('Restrict: "alice"');
    await dialog.getByRole('button', { name: 'Apply to "alice"' }).click();
    await expect.poll(() => peerRow('alice').textContent()).toContain('restricted: by hand');
    await peerRow('alice').getByRole('button', { name: 'Allow' }).click();
    await dialog.getByRole('button', { name: 'Apply to "alice"' }).click();
    await expect.poll(() => peerRow('alice').textContent()).toContain('active');
  });

  it('shows a peer: traffic chart, QR code, usage reset', async () => {
    await peerRow('alice').locator('a.peer-name').click();
    const detail = page.getByTestId('peer-detail');
    await detail.getByRole('img', { name: /Traffic per hour/ }).waitFor();
    await detail.getByLabel('Per', { exact: true }).selectOption('day');
    await detail.getByRole('img', { name: /Traffic per day/ }).waitFor();
    await detail.getByRole('button', { name: 'QR code' }).click();
    const qr = detail.getByRole('img', { name: /QR code/ });
    await expect
      .poll(() => qr.evaluate((img) => ('naturalWidth' in img ? Number(img.naturalWidth) : 0)))
      .toBeGreaterThan(0);
    await screenshot(page, 'peer-detail', false);
    // Reset usage asks first, naming the peer, as the bulk one does.
    await detail.getByRole('button', { name: 'Reset usage' }).click();
    const confirm = page.getByTestId('confirm').filter({ visible: true });
    expect(await confirm.getByRole('heading').textContent()).toBe('Reset usage: "alice"');
    await confirm.getByRole('button', { name: 'Apply to "alice"' }).click();
    await expect.poll(() => detail.textContent()).toContain('0 B of 5.00 GiB');
    await detail.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => detail.isVisible()).toBe(false);
  });

  it('lists events, filtered by type', async () => {
    await nav('Events').click();
    const table = page.getByTestId('events');
    await table.waitFor();
    await expect.poll(() => table.textContent()).toContain('restricted');
    await page.getByLabel('Type').selectOption({ label: 'restorations' });
    await expect
      .poll(async () => {
        const types = await table
          .locator('tbody .badge')
          .evaluateAll((badges) => badges.map((b) => b.getAttribute('data-type')));
        return types.length > 0 && types.every((t) => t === 'restored');
      })
      .toBe(true);
    await screenshot(page, 'events');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = (await readFile(await download.path(), 'utf8')).split('\r\n');
    expect(csv[0]).toBe('time,type,configuration,peer_name,peer_id,message,data');
    expect(
      csv
        .slice(1)
        .filter(Boolean)
        .every((line) => line.includes(',restored,wg0,alice,')),
    ).toBe(true);
    await page.goBack();
    await page.getByLabel('Search').waitFor();
  });

  it('fits a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Search').fill('');
    await page.getByText('Page 1 of 3').waitFor();
    await screenshot(page, 'peers-phone', false);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows a page of 50 peers of both statuses in one order, and selects that page', async () => {
    // A restricted peer sorts among the active ones and takes one of the page's 50 places.
    await api('/api/restrictPeers/wg0', { peers: [await peerKey('alice')] });
    await page.reload();
    await page.getByText('Page 1 of 3').waitFor();
    await expect.poll(() => page.locator('tr[data-peer]').count()).toBe(50);
    expect(await page.locator('tr[data-peer]').first().getAttribute('data-peer')).toBe('alice');
    expect(await peerRow('alice').textContent()).toContain('restricted: by hand');
    await page.getByLabel('Select all peers on this page').check();
    const bar = page.getByTestId('bulk-bar');
    expect(await bar.textContent()).toContain('50 selected');
    await bar.getByRole('button', { name: 'Clear selection' }).click();
    await api('/api/allowAccessPeers/wg0', { peers: [await peerKey('alice')] });
    await page.reload();
    await expect.poll(() => peerRow('alice').textContent()).toContain('active');
  });

  it('selects every matching peer, beyond the page, for a bulk action', async () => {
    await page.getByLabel('Select all peers on this page').check();
    const bar = page.getByTestId('bulk-bar');
    expect(await bar.textContent()).toContain('50 selected');
    await bar.getByRole('button', { name: 'Select all 121 matching' }).click();
    await bar.getByText('121 selected').waitFor();
    await bar.getByRole('button', { name: 'Threshold…' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    expect(await dialog.getByTestId('bulk-count').textContent()).toContain('121 peers');
    await dialog.getByLabel('Warning at (% of limit)').fill('90');
    await dialog.getByRole('button', { name: 'Apply to 121 peers' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const thresholds = await get()
      .database.db.selectFrom('peers')
      .select('traffic_warn_threshold')
      .distinct()
      .execute();
    expect(thresholds).toEqual([{ traffic_warn_threshold: 90 }]);
    await bar.getByRole('button', { name: 'Clear selection' }).click();
  });

  it('deletes the selected peers after a confirmation', async () => {
    await page.getByLabel('Search').fill('bulk_10');
    await page.getByText(/Page 1 of 1/).waitFor();
    const n = await page.locator('tr[data-peer]').count();
    await page.getByLabel('Select all peers on this page').check();
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    expect(await dialog.getByTestId('bulk-count').textContent()).toContain(`${n} peers`);
    await dialog.getByRole('button', { name: `Delete ${n} peers` }).click();
    await page.getByTestId('no-peers').waitFor();
  });

  it('removes the node after a confirmation', async () => {
    await nav('Fleet').click();
    await page.locator('tr[data-node="fra-1"]').getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    expect(await dialog.textContent()).toMatch(/Its 2 configurations and \d+ peers leave/);
    await dialog.getByRole('button', { name: 'Remove node' }).click();
    await page.getByTestId('no-nodes').waitFor();
  });
});
