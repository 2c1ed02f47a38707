import { createHmac } from 'node:crypto';
import type { WebhookContentType } from '../vocabulary.js';

/** A JSON value of a webhook's body. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/**
 * The body as WGDashboard 4.3 sends it: the object as JSON, or form-urlencoded with each value
 * that is not a string or a number written as JSON (so `peers=["…"]`, `peer={…}`).
 */
export function encodeWebhookBody(
  contentType: WebhookContentType,
  data: Readonly<Record<string, JsonValue>>,
): string {
  if (contentType === 'application/json') return JSON.stringify(data);
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(data))
    form.append(
      key,
      typeof value === 'string'
        ? value
        : typeof value === 'number'
          ? String(value)
          : JSON.stringify(value),
    );
  return form.toString();
}

/**
 * `X-Wgfleet-Signature`'s value: `sha256=` and the hex HMAC-SHA256 of `timestamp + "." + body`
 * under the webhook's secret. A receiver recomputes it over the raw body it got and compares in
 * constant time; the timestamp (`X-Wgfleet-Timestamp`, Unix seconds) lets it refuse replays.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one attempt: the webhook's own (Content-Type is the panel's), then ours. */
export function webhookHeaders(opts: {
  readonly contentType: WebhookContentType;
  readonly headers: readonly { readonly key: string; readonly value: string }[];
  readonly secret: string | null;
  readonly body: string;
  readonly eventId: string;
  readonly now: Date;
  readonly userAgent: string;
}): Record<string, string> {
  const out: Record<string, string> = { 'user-agent': opts.userAgent };
  for (const h of opts.headers) {
    const key = h.key.trim().toLowerCase();
    if (key === '' || key === 'content-type' || key.startsWith('x-wgfleet-')) continue;
    out[key] = h.value;
  }
  out['content-type'] = opts.contentType;
  out['x-wgfleet-event-id'] = opts.eventId;
  if (opts.secret !== null && opts.secret !== '') {
    const ts = Math.floor(opts.now.getTime() / 1000);
    out['x-wgfleet-timestamp'] = String(ts);
    out['x-wgfleet-signature'] = webhookSignature(opts.secret, ts, opts.body);
  }
  return out;
}
