import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { createFleetNodesRepo } from '../../src/panel/adapters/db/repos/fleet-nodes-repo.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

// A panel that polls (every 500 ms) a real agent over an in-memory WireGuard; the agent rotates
// its credentials as `wgfleet agent init --rotate` does (same port, new token and certificate).
describe('web UI: re-pinning a node after its agent rotated its credentials', () => {
  const get = useUiPanel({ start: true, config: { pollIntervalMs: 500 } });
  let agent: FakeAgent;
  let browser: Chromium;
  let page: Page;
  /** The join string before the rotation (what the panel pinned). */
  let oldJoin = '';

  beforeAll(async () => {
    agent = await FakeAgent.start({ version: '1.0.0-test' });
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    const added = await get().panel.app.inject({
      method: 'POST',
      url: '/api/addNode',
      headers: get().headers,
      payload: { name: 'lon-1', join: agent.join },
    });
    expect(added.statusCode, added.body).toBe(200);
    browser = await launchChromium();
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/fleet`);
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });

  const row = () => page.locator('tr[data-node="lon-1"]');
  const nodeRow = () =>
    get()
      .database.db.selectFrom('nodes')
      .select(['status', 'last_error'])
      .where('name', '=', 'lon-1')
      .executeTakeFirstOrThrow();
  const nodeStatus = async () => (await nodeRow()).status;

  it('shows the node offline once its agent presents another certificate', async () => {
    await expect.poll(() => row().textContent()).toContain('online');
    oldJoin = agent.join;
    await agent.rotate();
    await expect.poll(nodeStatus, { timeout: 10_000 }).toBe('offline');
    // While the agent restarts with its new credentials a poll may first find it refusing
    // connections; the next one meets the new certificate.
    await expect
      .poll(async () => (await nodeRow()).last_error, { timeout: 10_000 })
      .toMatch(/certificate/);
    await page.reload(); // the page itself looks again every 10 s
    await expect.poll(() => row().textContent()).toContain('offline');
    expect(await row().textContent()).toMatch(/certificate/);
  });

  it('shows a wrong join string under the field, and re-pins with the new one', async () => {
    await row().getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('edit-node');
    const join = form.getByLabel(/^New join string/);
    const save = form.getByRole('button', { name: 'Save node' });
    const error = form.locator('#edit-node-join-error');

    // Malformed: the panel's message names the field.
    await join.fill('wgfleet://not-a-join-string');
    await save.click();
    await error.waitFor();
    expect(await join.getAttribute('aria-describedby')).toBe('edit-node-join-error');
    expect(await join.getAttribute('aria-invalid')).toBe('true');

    // The old join string: it pins the certificate the agent no longer presents. Refused, said where.
    await join.fill(oldJoin);
    await save.click();
    await expect.poll(() => error.textContent()).toMatch(/certificate/);
    await screenshot(page, 'fleet-repin-error');
    expect(await nodeStatus()).toBe('offline');

    // The join string `wgfleet agent init --rotate` printed: saved, polled at once, online.
    await join.fill(agent.join);
    await save.click();
    await expect.poll(() => form.count()).toBe(0);
    await page.getByRole('status').waitFor();
    await expect.poll(() => row().textContent(), { timeout: 5_000 }).toContain('online');
    // Tokens are sealed at rest: read back through the store, which opens them.
    const { id } = await get()
      .database.db.selectFrom('nodes')
      .select('id')
      .where('name', '=', 'lon-1')
      .executeTakeFirstOrThrow();
    const stored = await createFleetNodesRepo(get().database).credentials(id);
    expect({ token: stored?.token, fingerprint: stored?.fingerprint }).toEqual({
      token: agent.creds.token,
      fingerprint: agent.creds.fingerprint,
    });
    await screenshot(page, 'fleet-repinned');
  });
});
