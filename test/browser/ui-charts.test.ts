import type { Page } from 'playwright-core';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

const MIB = 2n ** 20n;

// Issue 20 item 4: charts drawn by uPlot (axes, units, tooltip, empty state) on the configuration
// cards, the peer detail and the fleet page (traffic per node).
describe('web UI: traffic charts', () => {
  const get = useUiPanel();
  const agents: FakeAgent[] = [];
  let browser: Chromium;
  let page: Page;
  const api = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
  /** Puts `mib` MiB of a peer's traffic two hours ago. */
  async function usage(peer: string, mib: bigint) {
    const row = await get()
      .database.db.selectFrom('peers')
      .select('id')
      .where('name', '=', peer)
      .executeTakeFirstOrThrow();
    const minute = Math.floor((Date.now() - 2 * 3600_000) / 60_000) * 60_000;
    await get()
      .database.db.insertInto('peer_usage_minute')
      .values({ peer_id: row.id, bucket_start: new Date(minute), rx: mib * MIB, tx: MIB })
      .execute();
  }

  beforeAll(async () => {
    for (const [name, iface, port] of [
      ['ams-1', 'wgams', 51820],
      ['nyc-1', 'wgnyc', 51830],
      ['sgp-1', 'wgsgp', 51840],
    ] as const) {
      const agent = await FakeAgent.start({ version: '1.0.0-test' });
      agent.wg.addInterface(iface, generateWgKeyPair().privateKey, port);
      agents.push(agent);
      expect((await api('/api/addNode', { name, join: agent.join })).statusCode).toBe(200);
    }
    expect((await api('/api/addPeers/wgams', { name: 'a1' })).statusCode).toBe(200);
    expect((await api('/api/addPeers/wgnyc', { name: 'n1' })).statusCode).toBe(200);
    await usage('a1', 3n); // 4 MiB with the 1 MiB sent
    await usage('n1', 9n); // 10 MiB
    browser = await launchChromium();
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
  });
  afterAll(async () => {
    await browser?.close();
    for (const a of agents) await a.destroy();
  });

  it('draws the fleet’s traffic per node, with a tooltip under the cursor', async () => {
    const chart = page.getByTestId('fleet-traffic');
    await chart.locator('canvas').waitFor();
    expect(await chart.getByRole('img').getAttribute('aria-label')).toBe(
      'Traffic per node, last 24 hours: 14.0 MiB in all',
    );
    const legend = chart.getByTestId('fleet-traffic-legend');
    expect(await legend.locator('li[data-node="ams-1"]').textContent()).toContain('4.00 MiB');
    expect(await legend.locator('li[data-node="nyc-1"]').textContent()).toContain('10.0 MiB');
    expect(await legend.locator('li[data-node="sgp-1"]').textContent()).toContain('0 B');
    // Axes: byte units up the side, hours of the day along the bottom.
    const figure = chart.getByRole('img');
    expect(await figure.getAttribute('data-y-ticks')).toMatch(/^0 B \| .*MiB/);
    expect(await figure.getAttribute('data-x-ticks')).toMatch(/\d{2}:\d{2}/);
    const over = chart.locator('.u-over');
    const box = await over.boundingBox();
    if (!box) throw new Error('no plot area');
    // Two hours ago is near the right end of a 24-hour span.
    await page.mouse.move(box.x + box.width * (21.5 / 24), box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * (22 / 24), box.y + box.height / 2);
    const tip = chart.locator('.plot-tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/ams-1: .*\n?nyc-1: /s);
    await screenshot(page, 'fleet-traffic');
  });

  it('draws a configuration card’s chart, and says so when there is no traffic', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Configurations' })
      .click();
    const card = (c: string) => page.locator(`article[data-configuration="${c}"]`);
    await card('wgnyc').locator('canvas').waitFor();
    expect(await card('wgnyc').getByRole('img').getAttribute('aria-label')).toBe(
      'Traffic of wgnyc, last 24 hours: 10.0 MiB in all, peak 10.0 MiB per hour',
    );
    expect(await card('wgnyc').getByTestId('chart-empty').count()).toBe(0);
    await card('wgsgp').getByTestId('chart-empty').waitFor();
    expect(await card('wgsgp').getByTestId('chart-empty').textContent()).toContain(
      'No traffic in this period',
    );
    await screenshot(page, 'configurations-charts');
  });

  it('draws the peer detail’s chart per minute, hour and day', async () => {
    await page
      .locator('article[data-configuration="wgams"]')
      .getByRole('button', { name: 'Peers' })
      .click();
    await page.locator('tr[data-peer="a1"] a.peer-name').click();
    const detail = page.getByTestId('peer-detail');
    await detail.getByRole('img', { name: 'Traffic per hour: 4.00 MiB in all' }).waitFor();
    await detail.locator('canvas').waitFor();
    await detail.getByLabel('Per', { exact: true }).selectOption('minute');
    // The minute chart covers the last hour: two hours ago is outside it.
    await detail.getByRole('img', { name: 'Traffic per minute: 0 B in all' }).waitFor();
    await detail.getByTestId('chart-empty').waitFor();
    await detail.getByLabel('Per', { exact: true }).selectOption('day');
    await detail.getByRole('img', { name: 'Traffic per day: 4.00 MiB in all' }).waitFor();
    await screenshot(page, 'peer-detail-chart', false);
  });

  it('shows a node: its agent, interfaces, peers and traffic (issue 20 item 10)', async () => {
    await page.getByTestId('peer-detail').getByRole('button', { name: 'Close' }).click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Fleet' })
      .click();
    await page.locator('tr[data-node="nyc-1"]').getByRole('link', { name: 'nyc-1' }).click();
    await page.getByRole('heading', { name: 'nyc-1' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/fleet/nyc-1');
    const summary = page.getByTestId('node-summary');
    await expect.poll(() => summary.textContent()).toContain('online');
    expect(await page.getByTestId('node-agent-version').textContent()).toBe('1.0.0-test');
    expect(await summary.textContent()).toContain('1 peer');
    const iface = page.getByTestId('node-interfaces').locator('tr[data-configuration="wgnyc"]');
    expect(await iface.textContent()).toContain('51830');
    expect(await iface.textContent()).toContain('1 peer (0 connected, 0 restricted)');
    // The node's host, as its agent reads it (systemStatus).
    const system = page.getByTestId('node-system');
    await system.getByTestId('node-hostname').waitFor();
    expect(await system.getByTestId('node-hostname').textContent()).toBe(hostname());
    expect(await system.getByTestId('node-load').textContent()).toMatch(
      /^\s*\d+\.\d\d · \d+\.\d\d · \d+\.\d\d/,
    );
    expect(await system.getByTestId('node-memory').textContent()).toMatch(/ of .*\(\d+ %\)/);
    expect(await system.locator('tr[data-mount="/"]').count()).toBe(1);
    expect(await system.getByTestId('node-uptime').textContent()).not.toBe('');
    const legend = page.getByTestId('fleet-traffic-legend');
    await legend.locator('li').first().waitFor();
    expect(await legend.locator('li').allTextContents()).toEqual([
      expect.stringContaining('nyc-1: 10.0 MiB'),
    ]);
    await screenshot(page, 'node-detail');
    // Reloaded, the panel serves the page itself (a UI route).
    await page.reload();
    await page.getByTestId('node-interfaces').waitFor();
  });
});
