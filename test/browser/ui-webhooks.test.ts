import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../panel/support/panel-under-test.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { screenshot } from './support/artifacts.js';
import { launchChromium, type Chromium } from './support/chromium.js';
import { submitSignIn } from './support/sign-in.js';
import { useUiPanel } from './support/ui-panel.js';

describe('web UI: webhooks and notification settings', () => {
  const get = useUiPanel({ start: true });
  let browser: Chromium;
  let page: Page;
  let rx: WebhookReceiver;

  beforeAll(async () => {
    rx = await startWebhookReceiver();
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${get().baseUrl}/webhooks`);
    await submitSignIn(page, ADMIN.password);
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await rx?.close();
  });

  it('creates a signed webhook, sends a test event and shows the delivery with its attempt', async () => {
    await page.getByTestId('webhook-new').click();
    const editor = page.getByTestId('webhook-editor');
    await editor.getByLabel('Payload URL').fill(rx.url);
    await editor.getByLabel('Secret (optional)').fill('ui-secret-123456');
    await editor.getByLabel('peer_restricted').check();
    await editor.getByRole('button', { name: 'Save webhook' }).click();
    const row = page.getByTestId('webhooks').getByRole('row').filter({ hasText: rx.url });
    await row.waitFor();
    expect(await row.textContent()).toContain('peer_restricted');
    await row.getByRole('button', { name: 'Send test' }).click();
    const test = await waitFor('the test event', () => rx.requests[0]);
    expect(JSON.parse(test.body)).toMatchObject({ action: 'webhook_test' });
    expect(test.headers['x-wgfleet-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    await waitFor(
      'the delivery shown as delivered',
      async () => {
        await row.getByRole('button', { name: 'Deliveries' }).click();
        const text = (await page.getByTestId('webhook-sessions').textContent()) ?? '';
        return text.includes('delivered') && text.includes('Attempt #1: delivered')
          ? true
          : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
    await screenshot(page, 'webhooks');
  });

  it('saves notification settings with a write-only password and names a bad field', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click();
    const form = page.getByTestId('notification-settings');
    await form.waitFor();
    await form.getByLabel('Host').fill('127.0.0.1');
    await form.getByLabel('Password').fill('ui-smtp-password');
    await form.getByLabel('Sender (From)').fill('vpn@example.test');
    await form.getByLabel('E-mail', { exact: true }).fill('ops@example.test');
    await form.getByLabel('Telegram chat id').fill('not a chat');
    await form.getByRole('button', { name: 'Save notification settings' }).click();
    await form
      .getByText('operator_telegram_chat_id: "not a chat" is not a Telegram chat id')
      .waitFor();
    await form.getByLabel('Telegram chat id').fill('-100123');
    // Which events go to whom: the subscribers' own events, in plain words.
    const reset = form.getByLabel("A subscriber's period started again: Subscribers");
    expect(await reset.isChecked()).toBe(false);
    expect(await form.getByLabel('A subscriber was cut off: Subscribers').isChecked()).toBe(true);
    await reset.check();
    await form.getByLabel('Keep finished deliveries (days)').fill('45');
    await form.getByRole('button', { name: 'Save notification settings' }).click();
    await form.getByText('Notification settings updated').waitFor();
    await form.getByLabel('Password (set; type to replace)').waitFor();
    expect(await form.getByLabel('Password (set; type to replace)').inputValue()).toBe('');
    const s = await get().panel.app.inject({
      url: '/api/getNotificationSettings',
      headers: get().headers,
    });
    expect(s.json()).toMatchObject({
      data: { operator_email: 'ops@example.test', email_ready: true, delivery_retention_days: 45 },
    });
    expect(s.json().data.subscriber_actions).toContain('subscriber_usage_reset');
    await screenshot(page, 'notification-settings');
  });
});
