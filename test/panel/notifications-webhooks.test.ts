import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createUsageStore } from '../../src/panel/adapters/db/repos/usage-store.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { waitFor } from '../support/wait-for.js';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';
import { DEFAULT_RETRY_POLICY } from '../../src/panel/domain/notifications/retry-schedule.js';

const SECRET = 'correct-webhook-secret-42';
/**
 * The product's retry schedule (doubling, jittered, given up after 24 h) with a shorter first
 * wait, and the outbox looked at every 100 ms: the retries below are real, only sooner.
 */
const notifications = {
  retry: { ...DEFAULT_RETRY_POLICY, firstDelayMs: 400 },
  deliveryPollMs: 100,
};

/** The receiver's side of the signature: HMAC-SHA256(secret, timestamp "." raw body). */
function signatureVerifies(r: ReceivedRequest, secret: string): boolean {
  const ts = r.headers['x-wgfleet-timestamp'];
  const sig = r.headers['x-wgfleet-signature'];
  if (typeof ts !== 'string' || typeof sig !== 'string') return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

describe.each(DIALECTS_UNDER_TEST)('webhooks, delivered at least once, on $name', (dialect) => {
  const get = usePanel(dialect, { realClock: true, start: true, extras: { notifications } });
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    // Each test's webhooks go with it (their pending retries too).
    const all = (await api('GET', '/api/webHooks/getWebHooks')).data as { WebHookID: string }[];
    for (const w of all)
      await api('POST', '/api/webHooks/deleteWebHook', { WebHookID: w.WebHookID });
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the data they asked for
  const api = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<any> => {
    const res = await get().panel.app.inject({
      method,
      url,
      headers: get().headers,
      ...(payload && { payload }),
    });
    const body = res.json() as { status: boolean; message: string | null; data: unknown };
    if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return body;
  };

  async function webhook(fields: Record<string, unknown>): Promise<string> {
    const template = (await api('GET', '/api/webHooks/createWebHook')).data as {
      WebHookID: string;
    };
    await api('POST', '/api/webHooks/updateWebHook', { ...template, ...fields });
    return template.WebHookID;
  }

  it('a receiver answering 500 twice gets the event three times: same event_id, signed, one session', async () => {
    const rx = await startWebhookReceiver({ status: (n) => (n <= 2 ? 500 : 200) });
    receivers.push(rx);
    const id = await webhook({
      PayloadURL: rx.url,
      SubscribedActions: ['peer_created'],
      Secret: SECRET,
      Headers: { '1': { key: 'X-Custom', value: 'yes' } },
    });
    const listed = (await api('GET', '/api/webHooks/getWebHooks')).data as Record<
      string,
      unknown
    >[];
    const mine = listed.find((w) => w.WebHookID === id)!;
    expect(mine.HasSecret).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    // Sealed at rest, as the node tokens and peer keys are.
    const stored = await get()
      .database.db.selectFrom('webhooks')
      .select('secret')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.secret).toMatch(/^enc:/);
    expect(stored.secret).not.toContain(SECRET);

    const c = await seedConfiguration(get().database);
    const added = (await api('POST', `/api/addPeers/${c.name}`, { name: 'alice' })).data as {
      id: string;
    }[];
    const publicKey = added[0]!.id;

    await waitFor('three attempts', () => (rx.requests.length >= 3 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    const bodies = rx.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(new Set(bodies.map((b) => b.event_id)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.webhook_session)).size).toBe(1);
    const first = bodies[0]!;
    expect(first).toMatchObject({
      action: 'peer_created',
      webhook_id: id,
      configuration: c.name,
      peers: [publicKey],
      peer: { id: publicKey, name: 'alice', has_private_key: true },
    });
    expect(typeof first.node).toBe('string');
    expect(first.time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const row = await get()
      .database.db.selectFrom('peers')
      .select('private_key')
      .where('public_key', '=', publicKey)
      .executeTakeFirstOrThrow();
    for (const r of rx.requests) {
      expect(signatureVerifies(r, SECRET)).toBe(true);
      expect(signatureVerifies(r, 'another-secret')).toBe(false);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-custom']).toBe('yes');
      expect(r.headers['x-wgfleet-event-id']).toBe(first.event_id);
      expect(r.body).not.toContain(row.private_key!);
      expect(r.body).not.toMatch(/"(private_key|preshared_key)"/);
    }

    const sessions = await waitFor('the session delivered', async () => {
      const s = (await api('GET', `/api/webHooks/getWebHookSessions?WebHookID=${id}`)).data as {
        Status: number;
        EventID: string;
        StartDate: string;
        EndDate: string | null;
        Data: Record<string, unknown>;
        Logs: { Logs: { LogTime: string; Status: number; Message: string }[] };
      }[];
      return s[0]?.Status === 0 ? s : undefined;
    });
    expect(sessions).toHaveLength(1);
    const logs = sessions[0]!.Logs.Logs;
    // 4.3's dates (strftime "%Y-%m-%d %H:%M:%S", whole seconds; UTC here): the session starts
    // when its payload's `time` says, each line is stamped when its attempt ended, and the
    // session ends with its last line.
    const WGD_DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
    const wgd = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
    const session = sessions[0]!;
    expect(session.StartDate).toMatch(WGD_DATE);
    expect(session.StartDate).toBe(first.time);
    expect(session.Data.time).toBe(first.time);
    expect(mine.CreationDate).toMatch(WGD_DATE);
    const stamps = await get()
      .database.db.selectFrom('notification_attempts')
      .select('at')
      .orderBy('id')
      .where('delivery_id', '=', first.webhook_session as string)
      .execute();
    expect(logs.map((l) => l.LogTime)).toEqual(stamps.map((a) => wgd(a.at)));
    for (const l of logs) expect(l.LogTime >= session.StartDate).toBe(true);
    expect(session.EndDate).toMatch(WGD_DATE);
    expect(session.EndDate).toBe(logs.at(-1)!.LogTime);
    expect(logs.map((l) => l.Status)).toEqual([1, 1, 0]);
    expect(logs[0]!.Message).toMatch(/^Attempt #1: HTTP 500/);
    expect(logs[2]!.Message).toMatch(/^Attempt #3: delivered\. HTTP 200/);
    // The first retry was planned within 5 s of the first attempt (the stored plan, not a clock).
    const planned = /next attempt at (\S+)/.exec(logs[0]!.Message)![1]!;
    const first1 = await get()
      .database.db.selectFrom('notification_attempts')
      .select('at')
      .orderBy('id')
      .where('delivery_id', '=', first.webhook_session as string)
      .executeTakeFirstOrThrow();
    expect(new Date(planned).getTime() - first1.at.getTime()).toBeLessThanOrEqual(5_000);
    expect(JSON.stringify(sessions)).not.toContain(SECRET);
  });

  it('sends form-urlencoded bodies as 4.3 does', async () => {
    const rx = await startWebhookReceiver();
    receivers.push(rx);
    await webhook({
      PayloadURL: rx.url,
      ContentType: 'application/x-www-form-urlencoded',
      SubscribedActions: ['peer_restricted'],
    });
    const c = await seedConfiguration(get().database);
    const added = (await api('POST', `/api/addPeers/${c.name}`, { name: 'bob' })).data as {
      id: string;
    }[];
    await api('POST', `/api/restrictPeers/${c.name}`, { peers: [added[0]!.id] });
    const r = await waitFor('the form body', () => rx.requests[0]);
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(r.body);
    expect(form.get('action')).toBe('peer_restricted');
    expect(form.get('configuration')).toBe(c.name);
    expect(form.get('reason')).toBe('manual');
    expect(JSON.parse(form.get('peers')!)).toEqual([added[0]!.id]);
    expect(JSON.parse(form.get('peer')!)).toMatchObject({ name: 'bob', status: 'restricted' });
    expect(form.get('event_id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers['x-wgfleet-signature']).toBeUndefined();
  });

  it('VerifySSL false reaches a self-signed HTTPS receiver; VerifySSL true refuses it', async () => {
    const rx = await startWebhookReceiver({ https: true });
    receivers.push(rx);
    const trusting = await webhook({
      PayloadURL: rx.url,
      VerifySSL: false,
      SubscribedActions: ['peer_deleted'],
    });
    const checking = await webhook({
      PayloadURL: rx.url,
      VerifySSL: true,
      SubscribedActions: ['peer_deleted'],
    });
    const c = await seedConfiguration(get().database);
    const added = (await api('POST', `/api/addPeers/${c.name}`, { name: 'carol' })).data as {
      id: string;
    }[];
    await api('POST', `/api/deletePeers/${c.name}`, { peers: [added[0]!.id] });
    const r = await waitFor('the HTTPS delivery', () => rx.requests[0]);
    expect(JSON.parse(r.body)).toMatchObject({
      action: 'peer_deleted',
      webhook_id: trusting,
      peers: [added[0]!.id],
      peer: { name: 'carol' },
    });
    const refused = await waitFor('the refused attempt', async () => {
      const s = (await api('GET', `/api/webHooks/getWebHookSessions?WebHookID=${checking}`))
        .data as { Status: number; Logs: { Logs: { Message: string }[] } }[];
      return s[0]?.Logs.Logs[0];
    });
    expect(refused.Message).toMatch(/^Attempt #1: request failed: .*(certificate|self.signed)/i);
    expect(
      rx.requests.every(
        (q) => (JSON.parse(q.body) as { webhook_id: string }).webhook_id === trusting,
      ),
    ).toBe(true);
  });

  it('an event whose transaction rolls back is never delivered', async () => {
    const rx = await startWebhookReceiver();
    receivers.push(rx);
    await webhook({ PayloadURL: rx.url, SubscribedActions: ['peer_restricted'] });
    const c = await seedConfiguration(get().database);
    const added = (await api('POST', `/api/addPeers/${c.name}`, { name: 'ghost' })).data as {
      id: string;
    }[];
    const peer = await get()
      .database.db.selectFrom('peers')
      .select('id')
      .where('public_key', '=', added[0]!.id)
      .executeTakeFirstOrThrow();
    const store = createUsageStore(get().database);
    const before = await get()
      .database.db.selectFrom('notification_deliveries')
      .select('id')
      .execute();
    const at = new Date();
    await expect(
      store.transaction(async (uow) => {
        await uow.insertEvents([
          {
            type: 'restricted',
            peer: {
              id: peer.id,
              name: 'ghost',
              publicKey: added[0]!.id,
              configurationId: c.id,
              nodeId: c.nodeId,
            },
            values: { reason: 'manual' },
            message: 'Peer ghost restricted',
            at,
          },
        ]);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    const after = await get()
      .database.db.selectFrom('notification_deliveries')
      .select('id')
      .execute();
    expect(after.length).toBe(before.length);
    const events = await get()
      .database.db.selectFrom('peer_events')
      .select('id')
      .where('peer_name', '=', 'ghost')
      .where('type', '=', 'restricted')
      .execute();
    expect(events).toEqual([]);
  });

  it("a subscriber's events reach the outbox in their transaction: webhook, its e-mail, its Telegram; a rolled-back one never", async () => {
    const rx = await startWebhookReceiver();
    receivers.push(rx);
    const hook = await webhook({
      PayloadURL: rx.url,
      SubscribedActions: ['subscriber_restricted', 'subscriber_restored', 'peer_restricted'],
      Secret: SECRET,
    });
    // E-mail and Telegram set up (towards ports nothing answers on): the outbox gets their rows.
    await api('POST', '/api/updateNotificationSettings', {
      smtp: { host: '127.0.0.1', port: 1, security: 'none', from: 'panel@example.test' },
      telegram: {
        bot_token: '123456789:AAE-test_token_never_real_0123456789',
        api_base: 'http://127.0.0.1:1',
      },
    });
    const c = await seedConfiguration(get().database);
    const node = await get()
      .database.db.selectFrom('nodes')
      .select('name')
      .where('id', '=', c.nodeId)
      .executeTakeFirstOrThrow();
    const s = (
      await api('POST', '/api/addSubscriber', {
        name: 'carol',
        email: 'carol@example.test',
        telegram_chat_id: '4242',
        traffic_limit: '5GiB',
        peers: [{ configuration: c.name, name: 'carol phone' }],
      })
    ).data as { id: number; token: string; peers: { id: string }[] };
    await api('POST', '/api/restrictSubscriber', { id: s.id });
    const got = await waitFor('subscriber_restricted delivered', () =>
      rx.requests.find((r) => r.body.includes('"subscriber_restricted"')),
    );
    expect(signatureVerifies(got, SECRET)).toBe(true);
    const body = JSON.parse(got.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      action: 'subscriber_restricted',
      webhook_id: hook,
      reason: 'manual',
      configurations: [c.name],
      nodes: [node.name],
      peers: [s.peers[0]!.id],
      subscriber: {
        id: s.id,
        name: 'carol',
        email: 'carol@example.test',
        status: 'restricted',
        restriction_reason: 'manual',
        traffic_limit: 5 * 1024 ** 3,
        usage: { total: 0 },
        peers: [
          { id: s.peers[0]!.id, name: 'carol phone', configuration: c.name, node: node.name },
        ],
      },
    });
    expect(got.body).not.toContain(s.token);
    expect(got.body).not.toMatch(/private_key|preshared/i);
    const rows = await get()
      .database.db.selectFrom('notification_deliveries')
      .select(['event_id', 'action', 'channel', 'target', 'payload'])
      .where('event_id', '=', body.event_id as string)
      .orderBy('channel')
      .execute();
    expect(rows.map((r) => [r.channel, r.target])).toEqual([
      ['email', 'email:carol@example.test'],
      ['telegram', 'telegram:4242'],
      ['webhook', `webhook:${hook}`],
    ]);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({
      to: 'carol@example.test',
      subject: 'Your VPN access was cut off',
    });
    // Its peer was cut with it: the webhook hears of the peer, the subscriber only once.
    const peerRows = await get()
      .database.db.selectFrom('notification_deliveries')
      .select(['channel'])
      .where('action', '=', 'peer_restricted')
      .where('target', 'in', ['email:carol@example.test', 'telegram:4242', `webhook:${hook}`])
      .execute();
    expect(peerRows.map((r) => r.channel)).toEqual(['webhook']);

    const store = createUsageStore(get().database);
    const before = await get()
      .database.db.selectFrom('notification_deliveries')
      .select('id')
      .execute();
    await expect(
      store.transaction(async (uow) => {
        await uow.insertSubscriberEvents([
          {
            type: 'restored',
            subscriber: { id: s.id, name: 'carol' },
            values: { previous_reason: 'manual', by: 'api' },
            message: 'Subscriber carol restored (never committed)',
            at: new Date(),
          },
        ]);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    const after = await get()
      .database.db.selectFrom('notification_deliveries')
      .select('id')
      .execute();
    expect(after.length).toBe(before.length);
    const events = await get()
      .database.db.selectFrom('subscriber_events')
      .select('id')
      .where('message', '=', 'Subscriber carol restored (never committed)')
      .execute();
    expect(events).toEqual([]);
    await api('POST', '/api/updateNotificationSettings', {
      smtp: { host: '' },
      telegram: { bot_token: null },
    });
  });

  it('delivery_retention_days deletes finished deliveries and their attempts; pending ones and recent reminders stay', async () => {
    await api('POST', '/api/updateNotificationSettings', { delivery_retention_days: 2 });
    const db = get().database.db;
    const day = 24 * 3600_000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const row = (id: string, eventId: string, status: number, finished: Date | null) => ({
      id,
      event_id: eventId,
      action: 'peer_expiring_soon',
      channel: 'email' as const,
      target: `email:${id}@example.test`,
      webhook_id: null,
      payload: '{}',
      status,
      attempts: 1,
      // Pending: due in an hour, so the deliverer leaves it alone during the test.
      next_attempt_at: new Date(Date.now() + 3600_000),
      created_at: finished ?? ago(3),
      finished_at: finished,
    });
    await db
      .insertInto('notification_deliveries')
      .values([
        row('old-delivered', 'ev-old-1', 0, ago(3)),
        row('old-failed', 'ev-old-2', 1, ago(5)),
        row('new-delivered', 'ev-new', 0, ago(1)),
        row('old-pending', 'ev-pending', -1, null),
        row('old-reminder', 'reminder:subscriber:1:0:3', 0, ago(30)),
      ])
      .execute();
    await db
      .insertInto('notification_attempts')
      .values([
        { delivery_id: 'old-delivered', at: ago(3), status: 0, message: 'delivered' },
        { delivery_id: 'new-delivered', at: ago(1), status: 0, message: 'delivered' },
      ])
      .execute();
    await get().panel.notifications.runScheduled();
    const left = await db
      .selectFrom('notification_deliveries')
      .select('id')
      .where('id', 'in', [
        'old-delivered',
        'old-failed',
        'new-delivered',
        'old-pending',
        'old-reminder',
      ])
      .orderBy('id')
      .execute();
    expect(left.map((r) => r.id)).toEqual(['new-delivered', 'old-pending', 'old-reminder']);
    const attempts = await db
      .selectFrom('notification_attempts')
      .select('delivery_id')
      .where('delivery_id', 'in', ['old-delivered', 'new-delivered'])
      .execute();
    expect(attempts.map((r) => r.delivery_id)).toEqual(['new-delivered']);
    await db.deleteFrom('notification_deliveries').where('id', '=', 'old-pending').execute();
    const bad = await get().panel.app.inject({
      method: 'POST',
      url: '/api/updateNotificationSettings',
      headers: get().headers,
      payload: { delivery_retention_days: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ subject: 'delivery_retention_days' });
  });

  it('refuses bad webhooks naming the field, and forgets a deleted one with its deliveries', async () => {
    const bad = async (fields: Record<string, unknown>, subject: string) => {
      const t = (await api('GET', '/api/webHooks/createWebHook')).data as { WebHookID: string };
      const res = await get().panel.app.inject({
        method: 'POST',
        url: '/api/webHooks/updateWebHook',
        headers: get().headers,
        payload: { ...t, ...fields },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ status: false, subject });
    };
    await bad({ PayloadURL: '' }, 'PayloadURL');
    await bad({ PayloadURL: 'ftp://x' }, 'PayloadURL');
    await bad({ PayloadURL: 'http://x', ContentType: 'text/plain' }, 'ContentType');
    await bad(
      { PayloadURL: 'http://x', SubscribedActions: ['peer_exploded'] },
      'SubscribedActions.0',
    );
    await bad(
      { PayloadURL: 'http://x', Headers: { '1': { key: 'bad header', value: 'v' } } },
      'Headers.1.key',
    );
    await bad({ PayloadURL: 'http://x', Secret: 'short' }, 'Secret');

    const id = await webhook({ PayloadURL: 'http://127.0.0.1:1/nothing', SubscribedActions: [] });
    await api('POST', '/api/webHooks/testWebHook', { WebHookID: id });
    await api('POST', '/api/webHooks/deleteWebHook', { WebHookID: id });
    const left = await get()
      .database.db.selectFrom('notification_deliveries')
      .select('id')
      .where('webhook_id', '=', id)
      .execute();
    expect(left).toEqual([]);
    const gone = await get().panel.app.inject({
      url: `/api/webHooks/getWebHookSessions?WebHookID=${id}`,
      headers: get().headers,
    });
    expect(gone.statusCode).toBe(404);
    const missing = await get().panel.app.inject({
      url: '/api/webHooks/getWebHookSessions',
      headers: get().headers,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ message: 'WebHookID: Please provide WebHookID' });
  });
});
