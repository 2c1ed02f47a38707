import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';
import { signInAsAdmin } from './support/sign-in.js';

const GIB = 2 ** 30;

/** The page's parts these tests read (the test code has no DOM types). */
interface Dom {
  readonly document: {
    querySelector(s: string): { naturalWidth: number } | null;
    querySelectorAll(s: string): ArrayLike<{ complete: boolean; naturalWidth: number }>;
    readonly documentElement: { scrollWidth: number };
  };
}

const DAY = 86_400_000;

/** Runs in the page: the QR image's modules (dark = true), read back from its pixels. */
function readQr(args: { size: number; margin: number }): boolean[] {
  const doc = (globalThis as unknown as { document: any }).document; // eslint-disable-line @typescript-eslint/no-explicit-any
  const img = doc.querySelector('[data-testid="sub-qr"]');
  const canvas = doc.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const scale = img.naturalWidth / (args.size + 2 * args.margin);
  const out: boolean[] = [];
  for (let r = 0; r < args.size; r++)
    for (let c = 0; c < args.size; c++) {
      const x = Math.floor((args.margin + c + 0.5) * scale);
      const y = Math.floor((args.margin + r + 0.5) * scale);
      out.push(g.getImageData(x, y, 1, 1).data[0] < 128);
    }
  return out;
}

// Issue 11's UI against a real panel and two real agents (HTTP, TLS, token) over in-memory
// WireGuard: a subscriber made with one peer on each of two nodes, its page link and QR code,
// editing, cutting off and allowing, assigning and unassigning, a bulk extension, the peers
// page's subscriber column and filter, and the subscriber's own page on a phone.
describe('web UI: subscribers', () => {
  const get = useUiPanel();
  const agents: FakeAgent[] = [];
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
    for (const [name, iface, port] of [
      ['fra-1', 'wg0', 51820],
      ['ams-1', 'wg1', 51821],
    ] as const) {
      const agent = await FakeAgent.start({ version: '1.0.0-test' });
      agents.push(agent);
      agent.wg.addInterface(iface, generateWgKeyPair().privateKey, port);
      if (iface === 'wg1') agent.wg.addInterface('wg2', generateWgKeyPair().privateKey, 51822);
      await api('/api/addNode', { name, join: agent.join });
    }
    await api('/api/addPeers/wg0', { name: 'loose' });
    browser = await launchChromium();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await browser.context.newPage();
    await signInAsAdmin(page, `${get().baseUrl}/`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    for (const a of agents) await a.destroy();
  });

  let aliceId = 0;
  let aliceUrl = '';

  it('creates a subscriber with one peer on each of two configurations, all at once', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Subscribers' })
      .click();
    await page.getByTestId('no-subscribers').waitFor();
    // A name taken: the panel's error shows under the name, and nothing is made.
    await api('/api/addSubscriber', { name: 'Taken' });
    await page.getByTestId('new-subscriber').click();
    const form = page.getByTestId('subscriber-form');
    await form.getByLabel('Name', { exact: true }).fill('Taken');
    await form.getByLabel('wg0').check();
    await form.getByLabel('wg1').check();
    await form.getByRole('button', { name: 'Create subscriber' }).click();
    await form.locator('#sub-name-error').waitFor();
    expect(await form.locator('#sub-name-error').textContent()).toMatch(/name/i);
    const peerNames = async () =>
      (await get().database.db.selectFrom('peers').select('name').execute()).map((p) => p.name);
    expect(await peerNames()).toEqual(['loose']);

    // A configuration gone since the form opened: the error names it under the list, and
    // nothing is made (not the subscriber, not the peer on the other node).
    await form.getByLabel('wg2').check();
    await api('/api/deleteWireguardConfiguration', { ConfigurationName: 'wg2' });
    await form.getByLabel('Name', { exact: true }).fill('Dave');
    await form.getByRole('button', { name: 'Create subscriber' }).click();
    await form.locator('#sub-configurations-error').waitFor();
    expect(await form.locator('#sub-configurations-error').textContent()).toContain(
      'peers[2].configuration',
    );
    expect(await get().database.db.selectFrom('subscribers').select('name').execute()).toEqual([
      { name: 'Taken' },
    ]);
    expect(await peerNames()).toEqual(['loose']);
    await form.getByLabel('wg2').uncheck();
    await form.getByLabel('Name', { exact: true }).fill('Alice');
    await form.locator('#sub-limit').fill('2');
    await form.getByRole('button', { name: 'Create subscriber' }).click();
    // On to its page: both peers, one per node, and its link.
    await page.getByRole('heading', { name: 'Alice' }).waitFor();
    expect(await page.getByTestId('sub-notice').textContent()).toContain('2 peers');
    aliceId = Number(new URL(page.url()).pathname.split('/').pop());
    const s = await subscriber(aliceId);
    expect(s.traffic_limit).toBe(2 * GIB);
    expect(
      s.peers.map((p: { configuration: string; node: string }) => `${p.configuration}@${p.node}`),
    ).toEqual(['wg0@fra-1', 'wg1@ams-1']);
    const rows = page.getByTestId('sub-peers').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    aliceUrl = `${get().baseUrl}${s.url}`;
    expect(await page.getByTestId('sub-url').inputValue()).toBe(aliceUrl);
  });

  it('shows the link with a copy button and a QR code that holds it', async () => {
    await page.getByTestId('sub-link').getByRole('button', { name: 'Copy the link' }).click();
    const clip = () =>
      page.evaluate(() =>
        (
          globalThis as unknown as {
            navigator: { clipboard: { readText(): Promise<string> } };
          }
        ).navigator.clipboard.readText(),
      );
    await expect.poll(clip).toBe(aliceUrl);
    await page.waitForFunction(
      () =>
        ((globalThis as unknown as Dom).document.querySelector('[data-testid="sub-qr"]')
          ?.naturalWidth ?? 0) > 0,
    );
    const want = QRCode.create(aliceUrl, { errorCorrectionLevel: 'M' }).modules;
    const got = await page.evaluate(readQr, { size: want.size, margin: 2 });
    expect(got).toEqual([...want.data].map((m) => m === 1));
    await screenshot(page, 'subscriber-detail');

    // A new link: the old one stops working.
    await page.getByTestId('sub-rotate').click();
    const confirm = page.getByTestId('confirm').filter({ visible: true });
    await confirm.getByRole('button', { name: 'New link' }).click();
    await page.getByTestId('sub-notice').getByText('A new link is made').waitFor();
    const fresh = `${get().baseUrl}${(await subscriber(aliceId)).url}`;
    expect(fresh).not.toBe(aliceUrl);
    await expect.poll(() => page.getByTestId('sub-url').inputValue()).toBe(fresh);
    expect((await fetch(aliceUrl)).status).toBe(404);
    aliceUrl = fresh;
  });

  it("edits in the user's unit, cuts off and allows, assigns and unassigns peers", async () => {
    const form = page.getByTestId('subscriber-form');
    await page.getByTestId('sub-edit').click();
    // Filled with its settings, the limit in the unit that gives it exactly.
    await expect.poll(() => form.locator('#sub-limit').inputValue()).toBe('2');
    expect(await form.locator('#sub-limit-unit').inputValue()).toBe('GiB');
    await form.locator('#sub-limit').fill('500');
    await form.locator('#sub-limit-unit').selectOption('MiB');
    await form.getByLabel('Note').fill('pays yearly');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('sub-notice').getByText('Subscriber "Alice" saved.').waitFor();
    const s = await subscriber(aliceId);
    expect([s.traffic_limit, s.note, s.expiry_date]).toEqual([500 * 2 ** 20, 'pays yearly', null]);
    await expect.poll(() => page.getByTestId('sub-summary').textContent()).toContain('500 MiB');

    // A date in the past asks first; without a yes nothing is sent.
    await page.getByTestId('sub-edit').click();
    await form.locator('#sub-expiry').fill('2020-01-01T10:00');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByTestId('expiry-past').getByText('Cut off now?').waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect((await subscriber(aliceId)).expiry_date).toBeNull();

    await page.getByRole('button', { name: 'Cut off' }).click();
    const confirm = page.getByTestId('confirm').filter({ visible: true });
    await confirm.getByRole('button', { name: 'Cut off' }).click();
    await expect
      .poll(() => page.getByTestId('sub-status').textContent())
      .toContain('cut off: by hand');
    const cut = await subscriber(aliceId);
    expect(cut.peers.map((p: { status: string }) => p.status)).toEqual([
      'restricted',
      'restricted',
    ]);
    await page.getByRole('button', { name: 'Allow' }).click();
    await confirm.getByRole('button', { name: 'Allow' }).click();
    await expect.poll(() => page.getByTestId('sub-status').textContent()).toBe('active');
    await expect.poll(() => page.getByTestId('sub-events').textContent()).toContain('Cut off');

    await page.getByTestId('sub-assign').click();
    const assign = page.getByTestId('assign-peers');
    await assign.getByLabel('Configuration').selectOption('wg0');
    await assign.getByLabel(/loose/).check();
    await assign.getByRole('button', { name: 'Assign 1 peer' }).click();
    const rows = page.getByTestId('sub-peers').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByRole('button', { name: 'Unassign loose' }).click();
    await page.getByTestId('sub-notice').getByText('"loose" no longer belongs').waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    const loose = await get()
      .database.db.selectFrom('peers')
      .select('subscriber_id')
      .where('name', '=', 'loose')
      .executeTakeFirstOrThrow();
    expect(loose.subscriber_id).toBeNull();
  });

  it("sets the language of the subscriber's messages, or leaves it to the panel", async () => {
    const form = page.getByTestId('subscriber-form');
    await page.getByTestId('sub-edit').click();
    const language = form.getByLabel('Language of its messages');
    await expect.poll(() => language.inputValue()).toBe('');
    await form.getByLabel('E-mail').fill('alice@example.test');
    await language.selectOption({ label: 'Русский' });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('sub-notice').getByText('Subscriber "Alice" saved.').waitFor();
    expect((await subscriber(aliceId)).language).toBe('ru');
    await expect.poll(() => page.getByTestId('sub-language').textContent()).toContain('Русский');

    await page.getByTestId('sub-edit').click();
    await expect.poll(() => language.inputValue()).toBe('ru');
    await language.selectOption('');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await subscriber(aliceId)).language).toBeNull();
    await expect
      .poll(() => page.getByTestId('sub-language').textContent())
      .toContain("The panel's");
  });

  it('extends the selected subscribers by 30 days in one go', async () => {
    const in10 = new Date(Date.now() + 10 * DAY).toISOString();
    const bob = await api('/api/addSubscriber', { name: 'Bob', expiry_date: in10 });
    const carol = await api('/api/addSubscriber', { name: 'Carol' });
    const before = (await subscriber(bob.id)).expiry_date as string;
    await page.goto(`${get().baseUrl}/subscribers`);
    await page.locator('tr[data-subscriber="Bob"]').waitFor();
    expect(
      await page.locator('tr[data-subscriber="Bob"]').getByTestId('sub-expiry').textContent(),
    ).toContain('in 10 days');
    await page.locator('tr[data-subscriber="Bob"]').getByRole('checkbox').check();
    await page.locator('tr[data-subscriber="Carol"]').getByRole('checkbox').check();
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Extend…' }).click();
    const dialog = page.getByTestId('confirm').filter({ visible: true });
    expect(await dialog.getByRole('heading').textContent()).toContain('2 subscribers');
    await dialog.getByLabel('Days to add').fill('30');
    await dialog.getByRole('button', { name: 'Extend' }).click();
    await page.getByTestId('subs-notice').waitFor();
    expect((await subscriber(bob.id)).expiry_date).toBe(
      new Date(Date.parse(before) + 30 * DAY).toISOString(),
    );
    // No date stays none.
    expect((await subscriber(carol.id)).expiry_date).toBeNull();
    await expect
      .poll(() => page.locator('tr[data-subscriber="Bob"]').getByTestId('sub-expiry').textContent())
      .toContain('in 40 days');
    await screenshot(page, 'subscribers');
  });

  it("shows each peer's subscriber on the peers page and filters by it", async () => {
    // From the subscriber's page, a peer opens its detail on its configuration's page.
    await page.goto(`${get().baseUrl}/subscribers/${aliceId}`);
    await page
      .getByTestId('sub-peers')
      .locator('tbody tr')
      .filter({ hasText: 'wg0' })
      .getByRole('link', { name: 'Alice' })
      .click();
    const detail = page.getByTestId('peer-detail');
    await expect
      .poll(() => detail.getByTestId('peer-detail-subscriber').textContent())
      .toContain('Subscriber: Alice');
    expect(new URL(page.url()).pathname).toBe('/configurations/wg0');
    await detail.getByRole('button', { name: 'Close' }).first().click();
    await page.goto(`${get().baseUrl}/configurations/wg0`);
    const aliceRow = page.locator('tr[data-peer="Alice"]');
    await aliceRow.waitFor();
    await expect
      .poll(() => aliceRow.getByTestId('peer-subscriber').textContent())
      .toContain('Alice');
    expect(
      await page.locator('tr[data-peer="loose"]').getByTestId('peer-subscriber').textContent(),
    ).toContain('—');
    await page.getByLabel('Subscriber').fill('Alice');
    await expect
      .poll(() => new URL(page.url()).searchParams.get('subscriber'))
      .toBe(String(aliceId));
    await expect.poll(() => page.locator('tr[data-peer="loose"]').count()).toBe(0);
    expect(await page.getByTestId('peers').locator('tbody tr').count()).toBe(1);
    // A link with the filter (the detail's "show on the peers page") names it in the field.
    await page.reload();
    await expect.poll(() => page.getByLabel('Subscriber').inputValue()).toBe('Alice');
    await expect.poll(() => page.locator('tr[data-peer="loose"]').count()).toBe(0);
    await page.getByLabel('Subscriber').fill('');
    await page.locator('tr[data-peer="loose"]').waitFor();
    await aliceRow.getByTestId('peer-subscriber').getByRole('link', { name: 'Alice' }).click();
    await page.getByRole('heading', { name: 'Alice' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/subscribers/${aliceId}`);
  });

  it("opens the subscriber's own page on a phone", async () => {
    const phone = await launchChromium({ width: 390, height: 844 });
    try {
      const p = await phone.context.newPage();
      await p.goto(aliceUrl);
      await p.getByRole('heading', { name: 'Alice' }).waitFor();
      expect(await p.locator('.status').textContent()).toContain('Active: you can connect.');
      const cards = p.locator('section.card:has(img.qr)');
      expect(await cards.count()).toBe(2);
      expect(await cards.locator('h2').allTextContents()).toEqual(['fra-1', 'ams-1']);
      // Every QR code loads, and the page fits the phone's width (no sideways scrolling).
      await p.waitForFunction(() =>
        Array.from((globalThis as unknown as Dom).document.querySelectorAll('img.qr')).every(
          (i) => i.complete && i.naturalWidth > 0,
        ),
      );
      const width = await p.evaluate(
        () => (globalThis as unknown as Dom).document.documentElement.scrollWidth,
      );
      expect(width).toBeLessThanOrEqual(390);
      const download = cards.first().getByRole('link', { name: 'Download config' });
      const res = await p.request.get(
        new URL((await download.getAttribute('href')) ?? '', aliceUrl).href,
      );
      expect(res.status()).toBe(200);
      expect(await res.text()).toContain('[Interface]');
      await screenshot(p, 'subscriber-page-phone');
    } finally {
      await phone.close();
    }
  });
});
