import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConfiguration } from '../panel/support/peer-fixtures.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';

const PHONE = { width: 390, height: 844 } as const;

// WGDashboard 4.3's share page, /share?ShareID=…, opened on a phone by someone without an account.
describe('the share page on a phone', () => {
  const get = useUiPanel();
  let browser: Chromium;
  let page: Page;
  let configName = '';
  const api = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });

  beforeAll(async () => {
    configName = (await seedConfiguration(get().database)).name;
    browser = await launchChromium(PHONE);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the config to download and a QR code that fits the screen; the file is the peer’s', async () => {
    const [peer] = (await api(`/api/addPeers/${configName}`, { name: 'phone of Ana' })).json().data;
    const link = (
      await api('/api/sharePeer/create', {
        Configuration: configName,
        Peer: peer.id,
        ExpireDate: '2099-01-02 03:04:05',
      })
    ).json().data[0];
    const answer = await page.goto(`${get().baseUrl}/share?ShareID=${link.ShareID}`);
    expect(answer?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Your WireGuard connection' }).waitFor();
    await page.getByText('This link works until January 2, 2099').waitFor();
    const qr = page.getByRole('img', { name: 'Scan with the WireGuard app' });
    await expect
      .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(100);
    const box = await qr.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    // Nothing wider than the phone.
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
            .document.documentElement.scrollWidth,
      ),
    ).toBeLessThanOrEqual(PHONE.width);
    const button = page.getByRole('link', { name: 'Download config' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const expected = (
      await get().panel.app.inject({
        url: `/api/downloadPeer/${configName}?id=${encodeURIComponent(peer.id)}`,
        headers: get().headers,
      })
    ).json().data;
    expect(download.suggestedFilename()).toBe(`${expected.fileName}.conf`);
    expect(await readFile((await download.path())!, 'utf8')).toBe(expected.file);
    await screenshot(page, 'share-page-phone');
  });

  it('says so when the link was stopped, in the browser’s language', async () => {
    const [peer] = (await api(`/api/addPeers/${configName}`, { name: 'old' })).json().data;
    const link = (
      await api('/api/sharePeer/create', { Configuration: configName, Peer: peer.id })
    ).json().data[0];
    await api('/api/sharePeer/update', { ...link, ExpireDate: '2020-01-01 00:00:00' });
    const ru = await launchChromium(PHONE, 'ru-RU');
    try {
      const p = await ru.context.newPage();
      const answer = await p.goto(`${get().baseUrl}/share?ShareID=${link.ShareID}`);
      expect(answer?.status()).toBe(404);
      await p.getByText('Срок действия ссылки истёк').waitFor();
      expect(await p.getByRole('link').count()).toBe(0);
    } finally {
      await ru.close();
    }
  });
});
