import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

const GIB = 2 ** 30;
/** Runs in the page: what the clipboard holds. */
const readClipboard = () =>
  (
    globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
  ).navigator.clipboard.readText();

// Issue 20: bulk add from the UI (items 1), errors under their fields in plain words (item 2).
describe('web UI: adding peers in bulk, field errors', () => {
  const get = useUiPanel();
  let agent: FakeAgent;
  let browser: Chromium;
  let page: Page;

  beforeAll(async () => {
    agent = await FakeAgent.start({ version: '1.0.0-test' });
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    const added = await get().panel.app.inject({
      method: 'POST',
      url: '/api/addNode',
      headers: get().headers,
      payload: { name: 'fra-1', join: agent.join },
    });
    expect(added.statusCode, added.body).toBe(200);
    browser = await launchChromium();
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
    await page.goto(`${get().baseUrl}/configurations/wg0`);
    await page.getByTestId('no-peers').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });

  const form = () => page.getByTestId('peer-form');
  const names = () =>
    page
      .locator('tr[data-peer]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-peer')));
  const rows = () =>
    get()
      .database.db.selectFrom('peers')
      .select(['name', 'traffic_limit', 'reset_schedule', 'reset_anchor', 'preshared_key'])
      .execute();

  it('adds 12 peers named by a prefix, with a shared limit and schedule, in natural order', async () => {
    await page.getByTestId('bulk-add').click();
    const f = form();
    await f.getByLabel('How many').fill('12');
    await f.getByLabel('Name prefix').fill('user');
    await expect
      .poll(() => f.getByTestId('peer-form-names').textContent())
      .toContain('Names: user 1 … user 12 (12 peers)');
    await f.getByLabel('Traffic limit').fill('5');
    await f.getByLabel('Unit').selectOption('GiB');
    await f.getByLabel('Usage reset').selectOption('monthly');
    await f.getByLabel('Day of month').fill('15');
    await f.getByTestId('peer-form-psk').check();
    await screenshot(page, 'peer-bulk-add', false);
    await f.getByRole('button', { name: 'Create 12 peers' }).click();
    await expect
      .poll(() => page.getByTestId('peers-notice').textContent())
      .toContain('12 peers created: user 1 … user 12.');
    await expect.poll(names).toEqual(Array.from({ length: 12 }, (_, i) => `user ${i + 1}`));
    const stored = await rows();
    expect(stored).toHaveLength(12);
    for (const r of stored) {
      expect(r.traffic_limit).toBe(BigInt(5 * GIB));
      expect([r.reset_schedule, r.reset_anchor]).toEqual(['monthly', 15]);
      expect(r.preshared_key).not.toBeNull();
    }
  });

  it('goes on numbering from the highest existing number', async () => {
    await page.getByTestId('bulk-add').click();
    const f = form();
    await f.getByLabel('Name prefix').fill('user');
    await f.getByLabel('How many').fill('3');
    await expect.poll(() => f.getByLabel('First number').inputValue()).toBe('13');
    await f.getByRole('button', { name: 'Create 3 peers' }).click();
    await expect.poll(names).toContain('user 15');
    const listed = await names();
    expect(listed.indexOf('user 9')).toBeLessThan(listed.indexOf('user 10'));
    expect(listed.at(-1)).toBe('user 15');
  });

  it('shows every field error at once, in plain words and the chosen unit', async () => {
    await page.getByTestId('new-peer').click();
    const f = form();
    await f.getByLabel('Name').fill('bob');
    await f.getByLabel('Traffic limit').fill('-3');
    await f.getByLabel('Warning at').fill('150');
    await f.getByLabel('MTU').fill('40000');
    await f.getByRole('button', { name: 'Create peer' }).click();
    const error = (id: string) => f.locator(`#${id}-error`);
    await error('peer-limit').waitFor();
    expect(await error('peer-limit').textContent()).toContain('cannot be negative');
    expect(await error('peer-threshold').textContent()).toContain('from 1 to 100');
    expect(await error('peer-mtu').textContent()).toContain('from 576 to 9200');
    expect(await f.getByLabel('Traffic limit').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'peer-form-errors', false);
    // Too large, in the unit chosen (not in bytes).
    await f.getByLabel('Traffic limit').fill('10000');
    await f.getByLabel('Unit').selectOption('TiB');
    // Changing a field clears its error.
    await expect.poll(() => error('peer-limit').count()).toBe(0);
    expect(await error('peer-threshold').count()).toBe(1);
    await f.getByRole('button', { name: 'Create peer' }).click();
    await expect.poll(() => error('peer-limit').textContent()).toContain('at most 8,191 TiB');
    expect(
      await get().database.db.selectFrom('peers').select('id').where('name', '=', 'bob').execute(),
    ).toEqual([]);
    await f.getByRole('button', { name: 'Cancel' }).click();
  });

  it('asks "restrict now?" for an expiry in the past, and restricts only when told', async () => {
    await page.getByTestId('new-peer').click();
    const f = form();
    await f.getByLabel('Name').fill('late');
    const past = new Date(Date.now() - 2 * 86_400_000);
    const p = (n: number) => String(n).padStart(2, '0');
    await f
      .getByLabel(/^Expiry/)
      .fill(
        `${past.getFullYear()}-${p(past.getMonth() + 1)}-${p(past.getDate())}T${p(past.getHours())}:${p(past.getMinutes())}`,
      );
    await f.getByRole('button', { name: 'Create peer' }).click();
    const ask = f.getByTestId('expiry-past');
    await ask.waitFor();
    expect(await ask.textContent()).toContain('Restrict now?');
    expect(
      await get().database.db.selectFrom('peers').select('id').where('name', '=', 'late').execute(),
    ).toEqual([]);
    await ask.getByRole('button', { name: 'Yes, restrict now' }).click();
    await page.getByTestId('peers-notice').getByText('Peer "late" created.').waitFor();
    const row = await get()
      .database.db.selectFrom('peers')
      .select(['status', 'restriction_reason'])
      .where('name', '=', 'late')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'restricted', restriction_reason: 'expired' });
  });

  it('checks a bulk limit before sending it', async () => {
    await page.getByLabel('Select all peers on this page').check();
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Limit…' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    await dialog.getByLabel('Traffic limit').fill('-1');
    await dialog.getByRole('button', { name: /^Apply to/ }).click();
    await dialog.locator('#bulk-limit-error').waitFor();
    expect(await dialog.locator('#bulk-limit-error').textContent()).toContain('cannot be negative');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Clear selection' }).click();
  });
});

describe('web UI: peer detail actions', () => {
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
    expect(
      (await api('/api/addPeers/wg0', { name: 'carol', traffic_limit: '1GiB' })).statusCode,
    ).toBe(200);
    browser = await launchChromium();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
    await page.goto(`${get().baseUrl}/configurations/wg0`);
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });

  const detail = () => page.getByTestId('peer-detail');
  const confirm = () => page.getByTestId('confirm').filter({ visible: true });
  const carol = () =>
    get()
      .database.db.selectFrom('peers')
      .selectAll()
      .where('name', '=', 'carol')
      .executeTakeFirst();

  it('shows the QR code at its own size and copies the key', async () => {
    await page.locator('tr[data-peer="carol"] a.peer-name').click();
    await detail().getByRole('button', { name: 'QR code' }).click();
    const img = detail().getByTestId('peer-qr').locator('img');
    await expect
      .poll(() =>
        img.evaluate((i) => Number((i as unknown as { naturalWidth: number }).naturalWidth)),
      )
      .toBeGreaterThan(100);
    const [natural, shown] = await img.evaluate((i) => [
      Number((i as unknown as { naturalWidth: number }).naturalWidth),
      i.getBoundingClientRect().width,
    ]);
    expect(shown).toBe(natural);
    await detail().getByRole('button', { name: 'Copy the public key' }).click();
    await detail()
      .getByRole('button', { name: 'Copy the public key' })
      .getByText('Copied')
      .waitFor();
    expect(await page.evaluate(readClipboard)).toBe((await carol())?.public_key);
    await screenshot(page, 'peer-detail-qr', false);
  });

  it('restricts from the detail, then offers reset-and-allow when the limit blocks Allow', async () => {
    await detail().getByRole('button', { name: 'Restrict' }).click();
    expect(await confirm().getByRole('heading').textContent()).toBe('Restrict: "carol"');
    await confirm().getByRole('button', { name: 'Apply to "carol"' }).click();
    await detail().getByRole('button', { name: 'Allow' }).waitFor();
    expect(await detail().textContent()).toContain('restricted: by hand');
    // Over the limit now: Allow alone would be refused, so the dialog offers what lets it in.
    await get()
      .database.db.updateTable('peers')
      .set({ period_rx: 2n * 2n ** 30n })
      .where('name', '=', 'carol')
      .execute();
    await page.reload();
    await page.locator('tr[data-peer="carol"] a.peer-name').click();
    await detail().getByRole('button', { name: 'Allow' }).click();
    const blocked = confirm().getByTestId('allow-blocked');
    await blocked.waitFor();
    expect(await blocked.textContent()).toContain(
      '"carol" is over its traffic limit (2.00 GiB of 1.00 GiB)',
    );
    // "Raise the limit…" turns the dialog into the limit form, starting at twice the limit.
    await blocked.getByRole('button', { name: 'Raise the limit…' }).click();
    expect(await confirm().getByLabel('Traffic limit').inputValue()).toBe('2');
    await confirm().getByRole('button', { name: 'Cancel' }).click();
    await detail().getByRole('button', { name: 'Allow' }).click();
    await confirm().getByRole('button', { name: 'Reset usage and allow' }).click();
    await expect.poll(async () => (await carol())?.status).toBe('active');
    expect((await carol())?.period_rx).toBe(0n);
    await detail().getByRole('button', { name: 'Restrict' }).waitFor();
  });

  it('edits from the detail and deletes with a destructive confirmation', async () => {
    await detail().getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('peer-form');
    await expect.poll(() => form.getByLabel('Name').inputValue()).toBe('carol');
    await form.getByLabel('Name').fill('carol-2');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => detail().getByRole('heading', { level: 3 }).textContent())
      .toBe('carol-2');
    await detail().getByRole('button', { name: 'Delete' }).click();
    const del = confirm().getByRole('button', { name: 'Delete "carol-2"' });
    expect(await del.getAttribute('class')).toContain('danger');
    await del.click();
    await expect.poll(() => detail().isVisible()).toBe(false);
    await page.getByTestId('no-peers').waitFor();
    expect(await carol()).toBeUndefined();
  });
});
