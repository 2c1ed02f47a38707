import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeWebhookBody, webhookHeaders, webhookSignature } from './webhook-request.js';

describe('webhook requests', () => {
  const data = { action: 'peer_created', peers: ['k1'], peer: { name: 'a b' }, n: 3, ok: true };

  it('encodes JSON as is and form bodies as 4.3 does (non-string values as JSON)', () => {
    expect(JSON.parse(encodeWebhookBody('application/json', data))).toEqual(data);
    const form = new URLSearchParams(encodeWebhookBody('application/x-www-form-urlencoded', data));
    expect(form.get('action')).toBe('peer_created');
    expect(form.get('n')).toBe('3');
    expect(JSON.parse(form.get('peers')!)).toEqual(['k1']);
    expect(JSON.parse(form.get('peer')!)).toEqual({ name: 'a b' });
    expect(form.get('ok')).toBe('true');
  });

  it('signs timestamp "." body with HMAC-SHA256 of the secret', () => {
    const body = '{"a":1}';
    const expected = createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex');
    expect(webhookSignature('s3cret', 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('keeps the content type and our headers ours; no signature without a secret', () => {
    const base = {
      contentType: 'application/json' as const,
      headers: [
        { key: 'Content-Type', value: 'text/plain' },
        { key: 'Authorization', value: 'Bearer x' },
        { key: 'X-Wgfleet-Signature', value: 'forged' },
      ],
      body: '{}',
      eventId: 'e1',
      now: new Date(1_700_000_000_500),
      userAgent: 'wgfleet/test',
    };
    const unsigned = webhookHeaders({ ...base, secret: null });
    expect(unsigned['content-type']).toBe('application/json');
    expect(unsigned.authorization).toBe('Bearer x');
    expect(unsigned['x-wgfleet-signature']).toBeUndefined();
    const signed = webhookHeaders({ ...base, secret: 'k' });
    expect(signed['x-wgfleet-timestamp']).toBe('1700000000');
    expect(signed['x-wgfleet-signature']).toBe(webhookSignature('k', 1700000000, '{}'));
  });
});
