import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

// Issue 20 item 3: a configuration's peer defaults edited from its card; deleted after a
// confirmation that counts what goes and wants the name typed.
describe('web UI: editing and deleting a configuration', () => {
  const get = useUiPanel();
  let agent: FakeAgent;
  let browser: Chromium;
  let page: Page;
  const api = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
  const row = () =>
    get()
      .database.db.selectFrom('configurations')
      .select(['dns', 'endpoint_allowed_ip', 'keepalive'])
      .where('name', '=', 'wg0')
      .executeTakeFirst();

  beforeAll(async () => {
    agent = await FakeAgent.start({ version: '1.0.0-test' });
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    expect((await api('/api/addNode', { name: 'fra-1', join: agent.join })).statusCode).toBe(200);
    await api('/api/addPeers/wg0', { bulkAdd: true, bulkAddAmount: 2, bulkAddStart: 1, name: 'p' });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
    await page.goto(`${get().baseUrl}/configurations`);
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });
  const card = () => page.locator('article[data-configuration="wg0"]');

  it('edits the defaults new peers get, errors under their fields', async () => {
    await card().getByRole('button', { name: 'Edit' }).click();
    const form = card().getByTestId('edit-configuration');
    expect(await form.getByTestId('edit-configuration-fixed').textContent()).toContain(
      'restarts the interface on the node',
    );
    expect(await form.getByLabel('Listen port').inputValue()).toBe('51820');
    await form.getByLabel('DNS for peers').fill('9.9.9.9');
    await form.getByLabel('Client AllowedIPs').fill('10.0.0.0/24');
    await form.getByLabel('Keepalive').fill('-5');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await form.locator('#cfg-edit-keepalive-error').waitFor();
    expect(await form.locator('#cfg-edit-keepalive-error').textContent()).toContain(
      'from 0 to 65535',
    );
    await form.getByLabel('Keepalive').fill('25');
    // The panel's own check, shown under its field.
    await form.getByLabel('Client AllowedIPs').fill('not-a-cidr');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await form.locator('#cfg-edit-allowed-error').waitFor();
    expect(await row()).toEqual({ dns: null, endpoint_allowed_ip: null, keepalive: null });
    await form.getByLabel('Client AllowedIPs').fill('10.0.0.0/24');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByText('Configuration "wg0" saved.').waitFor();
    expect(await row()).toEqual({
      dns: '9.9.9.9',
      endpoint_allowed_ip: '10.0.0.0/24',
      keepalive: 25,
    });
  });

  it('changes the interface (port, MTU) on the node and renames it in the panel', async () => {
    await card().getByRole('button', { name: 'Edit' }).click();
    let form = card().getByTestId('edit-configuration');
    await form.getByLabel('Listen port').fill('70000');
    await form.getByLabel('MTU').fill('100');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    // Both mistakes at once, each under its field, in words.
    await form.locator('#cfg-edit-port-error').waitFor();
    expect(await form.locator('#cfg-edit-port-error').textContent()).toContain('from 1 to 65535');
    expect(await form.locator('#cfg-edit-mtu-error').textContent()).toContain('from 576 to 9000');
    expect(agent.wg.ifaces.get('wg0')?.listenPort).toBe(51820);
    await form.getByLabel('Listen port').fill('51821');
    expect(await form.locator('#cfg-edit-port-error').count()).toBe(0);
    await form.getByLabel('MTU').fill('1380');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByText('Configuration "wg0" saved.').waitFor();
    expect(agent.wg.ifaces.get('wg0')?.listenPort).toBe(51821);
    const saved = await get()
      .database.db.selectFrom('configurations')
      .select(['listen_port', 'mtu', 'dns'])
      .where('name', '=', 'wg0')
      .executeTakeFirstOrThrow();
    // Only what changed was sent: the peer defaults saved before are kept.
    expect(saved).toEqual({ listen_port: 51821, mtu: 1380, dns: '9.9.9.9' });

    // Renamed in the panel (the node's interface keeps its name), then back.
    await card().getByRole('button', { name: 'Edit' }).click();
    form = card().getByTestId('edit-configuration');
    await form.getByLabel('Name').fill('office');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByText('Configuration "wg0" is now "office".').waitFor();
    const office = page.locator('article[data-configuration="office"]');
    await office.waitFor();
    expect(await office.textContent()).toContain('51821');
    expect(agent.wg.ifaces.has('wg0')).toBe(true);
    await office.getByRole('button', { name: 'Edit' }).click();
    await office.getByTestId('edit-configuration').getByLabel('Name').fill('wg0');
    await office.getByRole('button', { name: 'Save configuration' }).click();
    await card().waitFor();
  });

  it('deletes only after the counted question is answered with the name', async () => {
    await card().getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    expect(await dialog.getByTestId('delete-question').textContent()).toContain(
      'its 2 peers (0 connected now) leave the panel',
    );
    const confirm = dialog.getByRole('button', { name: 'Delete wg0 and 2 peers' });
    expect(await confirm.isDisabled()).toBe(true);
    expect(await confirm.getAttribute('class')).toContain('danger');
    await dialog.getByLabel('Type wg0 to confirm').fill('wg');
    expect(await confirm.isDisabled()).toBe(true);
    await screenshot(page, 'configuration-delete', false);
    await dialog.getByLabel('Type wg0 to confirm').fill('wg0');
    await confirm.click();
    await page.getByText('Configuration "wg0" deleted.').waitFor();
    expect(await row()).toBeUndefined();
    expect(agent.wg.ifaces.has('wg0')).toBe(false);
  });
});
