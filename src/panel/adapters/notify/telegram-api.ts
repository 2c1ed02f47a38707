import { Agent, request } from 'undici';
import type { TelegramApi } from '../../app/notifications/ports.js';
import { requestError } from './webhook-client.js';

const TELEGRAM_TIMEOUT_MS = 10_000;

/**
 * The Bot API's `sendMessage` (POST {api_base}/bot{token}/sendMessage, JSON). The token is in
 * the path, so neither the URL nor anything holding the token enters a message.
 */
export function createTelegramApi(): TelegramApi & { close(): Promise<void> } {
  const agent = new Agent({
    connect: { timeout: TELEGRAM_TIMEOUT_MS },
    headersTimeout: TELEGRAM_TIMEOUT_MS,
    bodyTimeout: TELEGRAM_TIMEOUT_MS,
  });
  return {
    async sendMessage(telegram, chatId, text) {
      const token = telegram.bot_token ?? '';
      const scrub = (s: string) => (token ? s.split(token).join('***') : s);
      try {
        const res = await request(`${telegram.api_base}/bot${token}/sendMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            chat_id: chatId,
            text: text.slice(0, 4096),
            disable_web_page_preview: true,
          }),
          dispatcher: agent,
          signal: AbortSignal.timeout(TELEGRAM_TIMEOUT_MS),
        });
        const raw = await res.body.text();
        let answer: { ok?: unknown; description?: unknown; result?: { message_id?: unknown } } = {};
        try {
          answer = JSON.parse(raw) as typeof answer;
        } catch {
          // Not JSON: reported below by status.
        }
        if (res.statusCode >= 200 && res.statusCode < 300 && answer.ok === true)
          return {
            ok: true,
            message: `Telegram: message ${String(answer.result?.message_id ?? '?')} sent`,
          };
        const why = typeof answer.description === 'string' ? answer.description : raw.slice(0, 200);
        return { ok: false, message: scrub(`Telegram answered HTTP ${res.statusCode}: ${why}`) };
      } catch (err) {
        return { ok: false, message: scrub(`Telegram request failed: ${requestError(err)}`) };
      }
    },
    /** Idempotent (a panel may be stopped twice). */
    close: async () => {
      if (!agent.closed) await agent.close();
    },
  };
}
