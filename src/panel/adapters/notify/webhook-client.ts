import { Agent, request } from 'undici';
import type { WebhookClient } from '../../app/notifications/ports.js';

/** An attempt's whole budget: connect, send, the answer's headers and body. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How much of the receiver's answer the log line keeps. */
const ANSWER_CHARS = 500;

/** Why a request failed, without its URL (which may carry credentials). */
export function requestError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = (err as { code?: unknown }).code;
  const parts = [
    err.name === 'TimeoutError' || err.name === 'AbortError'
      ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`
      : err.message,
  ];
  if (cause instanceof Error && cause.message !== err.message) parts.push(cause.message);
  if (typeof code === 'string' && !parts.some((p) => p.includes(code))) parts.push(code);
  return parts.join(': ');
}

/**
 * Webhook POSTs over undici: one connection pool that checks certificates and one that does not
 * (VerifySSL: false, for a receiver with a self-signed certificate). Never follows redirects.
 */
export function createWebhookClient(): WebhookClient & { close(): Promise<void> } {
  const pool = (verify: boolean) =>
    new Agent({
      connect: { rejectUnauthorized: verify, timeout: WEBHOOK_TIMEOUT_MS },
      headersTimeout: WEBHOOK_TIMEOUT_MS,
      bodyTimeout: WEBHOOK_TIMEOUT_MS,
    });
  const verifying = pool(true);
  const trusting = pool(false);
  return {
    async post(r) {
      try {
        const res = await request(r.url, {
          method: 'POST',
          headers: r.headers,
          body: r.body,
          dispatcher: r.verifyTls ? verifying : trusting,
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
        const answer = (await res.body.text()).slice(0, ANSWER_CHARS);
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        return {
          ok,
          message: `HTTP ${res.statusCode}${answer ? `, answered ${JSON.stringify(answer)}` : ''}`,
        };
      } catch (err) {
        return { ok: false, message: `request failed: ${requestError(err)}` };
      }
    },
    /** Idempotent (a panel may be stopped twice). */
    async close() {
      if (verifying.closed) return;
      await Promise.all([verifying.close(), trusting.close()]);
    },
  };
}
