// The web UI on real WireGuard: a node joined by pasting its join string, a peer created in the
// form with a 1 MiB limit, its config downloaded from the page and used by a real client whose
// traffic moves the usage bar; crossing the limit turns the peer restricted; raising the limit
// in bulk restores it. Screenshots of the main moments go to artifacts/browser/.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../browser/support/artifacts.js';
import { launchChromium, type Chromium } from '../browser/support/chromium.js';
import { useUiPanel } from '../browser/support/ui-panel.js';
import { Lab, confValues, connectionOf, startNodeAgent, type NodeAgent } from '../lab/index.js';
import { submitSignIn } from '../browser/support/sign-in.js';

const MiB = 1024 * 1024;
const PACE = { batch: 32, pauseMs: 20 } as const;

describe('web UI on real WireGuard', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let browser: Chromium;
  let page: Page;
  const get = useUiPanel({ start: true, config: { pollIntervalMs: 1000 } });
  const row = () => page.locator('tr[data-peer="lab client"]');

  /** Reloads the page (bounded) until the row's text satisfies `ok`; the page itself polls only every 10 s. */
  async function rowUntil(ok: (text: string) => boolean): Promise<string> {
    let text = '';
    for (let i = 0; i < 40; i++) {
      await page.reload();
      await row().waitFor();
      text = (await row().textContent()) ?? '';
      if (ok(text)) return text;
      await sleep(500);
    }
    throw new Error(`peer row never matched; last: ${text}`);
  }

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    browser = await launchChromium();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await lab?.destroy();
  });

  it('signs in and adds the node by its join string', async () => {
    await page.goto(`${get().baseUrl}/`);
    await submitSignIn(page);
    await page.getByTestId('show-add-node').click();
    await page.getByLabel('Name').fill('lab-node');
    await page.getByLabel('Public host for clients').fill(lab.node(1).underlayIp);
    await page.getByLabel('Join string').fill(agent.join.raw);
    await page.getByRole('button', { name: 'Add node' }).click();
    const node = page.locator('tr[data-node="lab-node"]');
    await node.waitFor();
    expect(await node.textContent()).toContain('online');
    await screenshot(page, 'lab-fleet');
  });

  it('creates a peer with a 1 MiB limit, downloads its config and connects a client', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Configurations' })
      .click();
    await page.getByRole('button', { name: 'Peers' }).first().click();
    await page.getByTestId('new-peer').click();
    const form = page.getByTestId('peer-form');
    await expect.poll(() => form.getByLabel('Address').inputValue()).toMatch(/\/32$/);
    const keys = await lab.client(1).keys();
    await form.getByLabel('Name').fill('lab client');
    await form.getByLabel('Traffic limit').fill('1');
    await form.getByLabel('Unit').selectOption('MiB');
    await form.getByText('Keys').click();
    await form.getByLabel('Public key').fill(keys.publicKey);
    await form.locator('#peer-private-key').fill(keys.privateKey);
    await form.getByRole('button', { name: 'Create peer' }).click();
    await row().waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row().getByRole('button', { name: 'Config' }).click(),
    ]);
    const file = await readFile(await download.path(), 'utf8');
    expect(confValues(file).get('PrivateKey')).toBe(keys.privateKey);
    const client = lab.client(1);
    const { target, options } = connectionOf(file, lab.node(1).tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  });

  it('moves the usage bar as the client sends, and restricts the peer over its limit', async () => {
    const client = lab.client(1);
    await client.sendUdp(lab.node(1).tunnelIp(), 9, 400_000, PACE);
    const moving = await rowUntil((t) => /KiB of 1\.00 MiB/.test(t));
    expect(moving).toContain('active');
    await screenshot(page, 'lab-peers-usage');

    await client.sendUdp(lab.node(1).tunnelIp(), 9, 2 * MiB, PACE);
    await rowUntil((t) => t.includes('restricted: traffic limit'));
    expect(await row().locator('.usage').getAttribute('data-level')).toBe('over');
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 2000 })).toBe(false);
    await screenshot(page, 'lab-peers-restricted');
  });

  it('raises the limit in bulk and the peer is back', async () => {
    await row().getByRole('checkbox').check();
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Limit…' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    expect(await dialog.getByTestId('bulk-count').textContent()).toContain('"lab client"');
    await dialog.getByLabel('Traffic limit').fill('100');
    await dialog.getByLabel('Unit').selectOption('MiB');
    await dialog.getByRole('button', { name: 'Apply to "lab client"' }).click();
    await expect.poll(() => row().textContent()).toContain('of 100 MiB');
    expect(await row().textContent()).toContain('active');
    const client = lab.client(1);
    await client.reconnect();
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  });
});
