import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FakeAgent } from '../panel/support/fleet-fake-agent.js';
import { ADMIN } from '../panel/support/panel-under-test.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { useUiPanel } from './support/ui-panel.js';

// The UI speaks English, Simplified Chinese and Russian: the browser's language picks one, the
// picker changes it, and the choice is remembered. Plurals follow each language's rules.
describe('web UI: languages', () => {
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
      payload: { name: 'msk-1', join: agent.join },
    });
    expect(added.statusCode, added.body).toBe(200);
    // 5 peers: Russian says "5 пиров" (many), not "5 пира" (few).
    const peers = await get().panel.app.inject({
      method: 'POST',
      url: '/api/addPeers/wg0',
      headers: get().headers,
      payload: { bulkAdd: true, bulkAddAmount: 5, name: 'p' },
    });
    expect(peers.statusCode, peers.body).toBe(200);
    // A browser that prefers Russian.
    browser = await launchChromium(undefined, 'ru-RU');
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.destroy();
  });

  it('speaks the browser’s language from the first page', async () => {
    await page.goto(`${get().baseUrl}/`);
    await page.getByRole('heading', { name: 'Вход' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.title()).toBe('Вход · wgfleet');
    await page.getByLabel('Имя пользователя').fill(ADMIN.username);
    await page.getByLabel('Пароль').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { name: 'Узлы' }).waitFor();
    expect(await page.locator('tr[data-node="msk-1"]').textContent()).toContain('в сети');
  });

  it('counts by the language’s plural rules', async () => {
    await page
      .getByRole('navigation', { name: 'Главное меню' })
      .getByRole('link', {
        name: 'Конфигурации',
      })
      .click();
    const card = page.locator('article[data-configuration="wg0"]');
    await card.waitFor();
    expect(await card.locator('.stats').textContent()).toMatch(/5\s*пиров/);
    await card.getByRole('button', { name: 'Пиры' }).click();
    const info = page.getByTestId('page-info');
    await info.waitFor();
    expect(await info.textContent()).toContain('Страница 1 из 1 · 5 подходящих пиров');
    await screenshot(page, 'peers-ru');
  });

  it('changes language with the picker and keeps the choice after a reload', async () => {
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByLabel('搜索').waitFor();
    expect(await page.getByTestId('page-info').textContent()).toContain('第 1 页，共 1 页');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.title()).toBe('对等端 · wgfleet');
    await page.reload();
    await page.getByLabel('搜索').waitFor();
    expect(await page.getByTestId('language').inputValue()).toBe('zh-CN');
    await screenshot(page, 'peers-zh');
    await page.getByTestId('language').selectOption('en');
    await page.getByLabel('Search').waitFor();
    expect(await page.getByTestId('page-info').textContent()).toContain('5 matching peers');
  });
});
