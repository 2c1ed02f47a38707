import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { waitFor } from '../support/wait-for.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;
const BOT_TOKEN = '123456789:AAE-test_token_never_real_0123456789';
const SMTP_PASSWORD = 'smtp-password-never-logged';

/** A real SMTP server on loopback (smtp-server), every message parsed (mailparser). */
async function startSmtp() {
  const mails: ParsedMail[] = [];
  const auths: { username: string; password: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, cb) {
      auths.push({ username: auth.username ?? '', password: auth.password ?? '' });
      cb(null, { user: auth.username });
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          mails.push(m);
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { mails, auths, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A loopback server speaking the Bot API's sendMessage; the first "is down" message gets a 429. */
async function startTelegram() {
  const calls: { path: string; body: { chat_id: string; text: string } }[] = [];
  let refusedOnce = false;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = {
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString()) as never,
      };
      calls.push(call);
      const busy = !refusedOnce && (call.body as { text: string }).text.includes(' is down');
      if (busy) refusedOnce = true;
      const ok = req.url === `/bot${BOT_TOKEN}/sendMessage` && !busy;
      res.writeHead(ok ? 200 : busy ? 429 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          ok
            ? { ok: true, result: { message_id: calls.length, chat: { id: -100123 } } }
            : { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1' },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    calls,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('e-mail and Telegram notifications (real SMTP server, loopback Bot API)', () => {
  const get = usePanel(sqlite, { realClock: true, start: true });
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let telegram: Awaited<ReturnType<typeof startTelegram>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    telegram = await startTelegram();
  });
  afterAll(async () => {
    await smtp?.close();
    await telegram?.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the data they asked for
  const api = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<any> => {
    const res = await get().panel.app.inject({
      method,
      url,
      headers: get().headers,
      ...(payload && { payload }),
    });
    if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return (res.json() as { data: unknown }).data;
  };

  it('stores SMTP and Telegram settings with write-only secrets', async () => {
    const s = await api('POST', '/api/updateNotificationSettings', {
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        username: 'panel',
        password: SMTP_PASSWORD,
        from: 'VPN panel <panel@example.test>',
      },
      telegram: { bot_token: BOT_TOKEN, api_base: telegram.base },
      operator_email: 'ops@example.test',
      operator_telegram_chat_id: '-100123',
      daily_digest: false,
    });
    expect(s).toMatchObject({
      email_ready: true,
      telegram_ready: true,
      smtp: { has_password: true, host: '127.0.0.1' },
      telegram: { has_bot_token: true, api_base: telegram.base },
      expiry_warning_days: [3, 1],
    });
    const read = JSON.stringify(await api('GET', '/api/getNotificationSettings'));
    expect(read).not.toContain(SMTP_PASSWORD);
    expect(read).not.toContain(BOT_TOKEN);
    expect(await api('GET', '/api/email/ready')).toBe(true);
    const rows = await get()
      .database.db.selectFrom('settings')
      .select(['key', 'value'])
      .where('key', 'like', 'notifications%')
      .execute();
    expect(rows.map((r) => r.key).sort()).toEqual([
      'notifications',
      'notifications.smtp_password',
      'notifications.telegram_bot_token',
    ]);
    for (const r of rows) {
      expect(r.value).not.toContain(SMTP_PASSWORD);
      expect(r.value).not.toContain(BOT_TOKEN);
    }

    const bad = await get().panel.app.inject({
      method: 'POST',
      url: '/api/updateNotificationSettings',
      headers: get().headers,
      payload: { operator_email: 'not an address', expiry_warning_days: [3] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ subject: 'operator_email' });
    expect((await api('GET', '/api/getNotificationSettings')).expiry_warning_days).toEqual([3, 1]);
  });

  it('the subscriber of a peer whose expiry is within the window gets "N days left" by e-mail', async () => {
    const c = await seedConfiguration(get().database);
    const expiry = new Date(Date.now() + 2.5 * 24 * 3600_000);
    await api('POST', '/api/addSubscriber', {
      name: 'alice',
      email: 'alice@example.test',
      peers: [{ configuration: c.name, name: 'alice phone', expiry_date: expiry.toISOString() }],
    });
    await get().panel.notifications.runScheduled();
    const mail = await waitFor('the reminder e-mail', () =>
      smtp.mails.find(
        (m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === 'alice@example.test',
      ),
    );
    expect(mail.subject).toBe('3 days left on your VPN access');
    expect(mail.from?.value[0]).toMatchObject({ name: 'VPN panel', address: 'panel@example.test' });
    expect(mail.text).toContain('Your VPN access "alice phone" ends in 3 days, on');
    expect(mail.text).toContain(`${expiry.toISOString().slice(0, 16).replace('T', ' ')} (UTC)`);
    expect(mail.html).toContain('<p>Your VPN access &#34;alice phone&#34; ends in 3 days');
    expect(smtp.auths.at(-1)).toEqual({ username: 'panel', password: SMTP_PASSWORD });
    // Once per day count: running again writes nothing new.
    const before = smtp.mails.length;
    await get().panel.notifications.runScheduled();
    const rows = await get()
      .database.db.selectFrom('notification_deliveries')
      .select('event_id')
      .where('target', '=', 'email:alice@example.test')
      .execute();
    expect(rows).toHaveLength(1);
    expect(smtp.mails.length).toBe(before);
    const sessions = JSON.stringify(
      await api('GET', '/api/getNotificationDeliveries?channel=email'),
    );
    expect(sessions).not.toContain(SMTP_PASSWORD);
  });

  it('a subscriber whose own expiry is near gets "N days left" by e-mail and Telegram, dated in the panel\'s time zone', async () => {
    await api('POST', '/api/updatePanelSettings', { timezone: 'Asia/Tokyo' });
    try {
      const expiry = new Date(Date.now() + 1.5 * 24 * 3600_000);
      const s = await api('POST', '/api/addSubscriber', {
        name: 'erin',
        email: 'erin@example.test',
        telegram_chat_id: '777',
        expiry_date: expiry.toISOString(),
      });
      await get().panel.notifications.runScheduled();
      const mail = await waitFor('the reminder e-mail', () =>
        smtp.mails.find((m) => !Array.isArray(m.to) && m.to?.text === 'erin@example.test'),
      );
      const left = s.days_until_expiry as number;
      expect(mail.subject).toBe(`${left} days left on your VPN access`);
      // Tokyo is UTC+9 all year.
      const tokyo = new Date(expiry.getTime() + 9 * 3600_000).toISOString();
      const when = `${tokyo.slice(0, 16).replace('T', ' ')} (Asia/Tokyo)`;
      expect(mail.text).toContain(`Your VPN access "erin" ends in ${left} days, on ${when}.`);
      expect(mail.text).toContain('ask your provider to extend it');
      const message = await waitFor('the reminder on Telegram', () =>
        telegram.calls.find((m) => m.body.chat_id === '777'),
      );
      expect(message.body.text).toContain(`${left} days left on your VPN access`);
      expect(message.body.text).toContain(when);
      await get().panel.notifications.runScheduled();
      const rows = await get()
        .database.db.selectFrom('notification_deliveries')
        .select(['action', 'target'])
        .where('event_id', 'like', `reminder:subscriber:${s.id as number}:%`)
        .orderBy('target')
        .execute();
      expect(rows).toEqual([
        { action: 'subscriber_expiring_soon', target: 'email:erin@example.test' },
        { action: 'subscriber_expiring_soon', target: 'telegram:777' },
      ]);
    } finally {
      await api('POST', '/api/updatePanelSettings', { timezone: 'UTC' });
    }
  });

  it('a subscriber cut off by hand is told why and what to do, restored in its language', async () => {
    const c = await seedConfiguration(get().database);
    const bob = await api('POST', '/api/addSubscriber', {
      name: 'bob',
      email: 'bob@example.test',
      telegram_chat_id: '-4001',
      peers: [{ configuration: c.name, name: 'bob laptop' }],
    });
    // The peer alone, by hand: its subscriber hears of its peer.
    await api('POST', `/api/restrictPeers/${c.name}`, { peers: [bob.peers[0].id] });
    const mail = await waitFor('the restriction e-mail', () =>
      smtp.mails.find((m) => !Array.isArray(m.to) && m.to?.text === 'bob@example.test'),
    );
    expect(mail.subject).toBe('Your VPN access was cut off');
    expect(mail.text).toContain('Your VPN access "bob laptop" was cut off');
    expect(mail.text).toContain('because an administrator paused it');
    expect(mail.text).toContain('Ask your provider why');
    await api('POST', `/api/allowAccessPeers/${c.name}`, { peers: [bob.peers[0].id] });

    // The subscriber, by hand: one message for it, none per peer.
    await api('POST', '/api/restrictSubscriber', { id: bob.id });
    const cut = await waitFor('the subscriber cut off on Telegram', () =>
      telegram.calls.find(
        (m) => m.body.chat_id === '-4001' && m.body.text.includes('"bob" was cut off'),
      ),
    );
    expect(cut.body.text).toContain(
      'Your VPN access "bob" was cut off because an administrator paused it.',
    );
    await api('POST', '/api/updateNotificationSettings', { language: 'ru' });
    try {
      await api('POST', '/api/allowSubscriber', { id: bob.id });
      const back = await waitFor('the restoration in Russian', () =>
        smtp.mails.find(
          (m) =>
            !Array.isArray(m.to) &&
            m.to?.text === 'bob@example.test' &&
            m.subject === 'Ваш VPN-доступ снова работает',
        ),
      );
      expect(back.text).toContain('Ваш VPN-доступ «bob» снова работает.');
    } finally {
      await api('POST', '/api/updateNotificationSettings', { language: 'en' });
    }
    const rows = await get()
      .database.db.selectFrom('notification_deliveries')
      .select(['action'])
      .where('target', '=', 'email:bob@example.test')
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => r.action).sort()).toEqual([
      'peer_restored',
      'peer_restricted',
      'subscriber_restored',
      'subscriber_restricted',
    ]);
  });

  it("a subscriber whose language is ru gets its messages in Russian while the panel's is en", async () => {
    expect((await api('GET', '/api/getNotificationSettings')).language).toBe('en');
    const expiry = new Date(Date.now() + 2.5 * 24 * 3600_000);
    const vera = await api('POST', '/api/addSubscriber', {
      name: 'vera',
      email: 'vera@example.test',
      language: 'ru',
      expiry_date: expiry.toISOString(),
    });
    expect(vera.language).toBe('ru');
    const mailTo = (to: string, subject: string) =>
      smtp.mails.find((m) => !Array.isArray(m.to) && m.to?.text === to && m.subject === subject);
    await get().panel.notifications.runScheduled();
    const left = vera.days_until_expiry as number;
    const reminder = await waitFor('the reminder in Russian', () =>
      smtp.mails.find((m) => !Array.isArray(m.to) && m.to?.text === 'vera@example.test'),
    );
    expect(reminder.subject).toMatch(/^До окончания VPN-доступа осталось \d+ (день|дня|дней)$/);
    expect(reminder.subject).toContain(String(left));
    await api('POST', '/api/restrictSubscriber', { id: vera.id });
    const cut = await waitFor('the cut-off in Russian', () =>
      mailTo('vera@example.test', 'Ваш VPN-доступ отключён'),
    );
    expect(cut.text).toContain('«vera»');
    expect(cut.html).toContain('«vera»');
    // Back to the panel's language when its own is cleared.
    await api('POST', '/api/updateSubscriber', { id: vera.id, language: null });
    await api('POST', '/api/allowSubscriber', { id: vera.id });
    const back = await waitFor('the restoration in English', () =>
      mailTo('vera@example.test', 'Your VPN access works again'),
    );
    expect(back.text).toContain('"vera"');
    expect(
      smtp.mails.filter((m) => !Array.isArray(m.to) && m.to?.text === 'vera@example.test'),
    ).toHaveLength(3);
  });

  it('operators hear of a node going down by e-mail and Telegram (retried after a 429)', async () => {
    const c = await seedConfiguration(get().database);
    // Seen online once: the next failed poll (nothing listens on its port) is a transition.
    await get()
      .database.db.updateTable('nodes')
      .set({ status: 'online', last_seen_at: new Date() })
      .where('id', '=', c.nodeId)
      .execute();
    const node = await get()
      .database.db.selectFrom('nodes')
      .select('name')
      .where('id', '=', c.nodeId)
      .executeTakeFirstOrThrow();
    const mail = await waitFor(
      'the node-down e-mail',
      () => smtp.mails.find((m) => m.subject === `Node ${node.name} is down`),
      { timeoutMs: 30_000 },
    );
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('ops@example.test');
    const message = await waitFor(
      'the node-down Telegram message',
      () => telegram.calls.filter((m) => m.body.text.startsWith(`Node ${node.name} is down`))[1],
      { timeoutMs: 30_000 },
    );
    expect(message.body.chat_id).toBe('-100123');
    expect(message.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    const sessions = await waitFor('the Telegram session delivered', async () => {
      const s = (await api('GET', '/api/getNotificationDeliveries?channel=telegram')) as {
        Status: number;
        Action: string;
        Logs: { Logs: { Message: string }[] };
      }[];
      const d = s.find((x) => x.Action === 'node_down' && x.Status === 0);
      return d;
    });
    expect(sessions.Logs.Logs[0]!.Message).toContain(
      'Telegram answered HTTP 429: Too Many Requests',
    );
    expect(sessions.Logs.Logs.at(-1)!.Message).toMatch(/delivered\. Telegram: message \d+ sent/);
    expect(JSON.stringify(sessions)).not.toContain(BOT_TOKEN);
  });

  it('sends test messages at once, and the daily digest once', async () => {
    const t = await api('POST', '/api/sendTestNotification', {
      channel: 'email',
      to: 'check@example.test',
    });
    expect(t.detail).toMatch(/^SMTP: 250/);
    expect(smtp.mails.some((m) => m.subject === 'Test notification from your VPN panel')).toBe(
      true,
    );
    const tg = await api('POST', '/api/sendTestNotification', {
      channel: 'telegram',
      to: '-100123',
    });
    expect(tg.detail).toMatch(/^Telegram: message \d+ sent/);

    await api('POST', '/api/updateNotificationSettings', { daily_digest: true, digest_hour: 0 });
    await get().panel.notifications.runScheduled();
    await get().panel.notifications.runScheduled();
    const digest = await waitFor('the digest', () =>
      smtp.mails.find((m) => m.subject?.startsWith('VPN fleet digest for ')),
    );
    expect(digest.text).toMatch(/Nodes: \d+ of \d+ online/);
    const digests = await get()
      .database.db.selectFrom('notification_deliveries')
      .select('id')
      .where('action', '=', 'daily_digest')
      .execute();
    expect(digests).toHaveLength(2); // one e-mail, one Telegram message
  });

  it("4.3's email/preview and email/send fill a peer's fields in", async () => {
    const c = await seedConfiguration(get().database);
    const [p] = (await api('POST', `/api/addPeers/${c.name}`, { name: 'dora' })) as {
      id: string;
    }[];
    const body = {
      ConfigurationName: c.name,
      Peer: p!.id,
      Subject: 'Config for {{ peer.name }}',
      Body: 'Hello {{ peer.name }}, your address is {{ peer.allowed_ip }}.',
    };
    const preview = await api('POST', '/api/email/preview', body);
    expect(preview.Subject).toBe('Config for dora');
    expect(preview.Body).toMatch(/^Hello dora, your address is 10\.8\.0\.\d+\/32\.$/);
    await api('POST', '/api/email/send', {
      ...body,
      Receiver: 'dora@example.test',
      IncludeAttachment: true,
    });
    const mail = await waitFor('the config e-mail', () =>
      smtp.mails.find((m) => m.subject === 'Config for dora'),
    );
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.content.toString()).toContain('[Interface]');
  });
});
