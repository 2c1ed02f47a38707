// A subscriber's message language through the API on every dialect: stored, shown, cleared, a
// bad value refused naming `language` with nothing written, and its messages written to the
// outbox in it while the panel's stay in the panel's language.
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_LANGUAGES } from '../../src/panel/domain/vocabulary.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

interface Answer {
  status: boolean;
  message: string | null;
  subject?: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe.each(DIALECTS_UNDER_TEST)('a subscriber’s language on $name', (dialect) => {
  const get = usePanel(dialect);
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await get().panel.app.inject({ method, url, payload, headers: get().headers });
    return { code: res.statusCode, body: res.json() as Answer };
  };
  const ok = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const r = await call(method, url, payload);
    expect(r.code, JSON.stringify(r.body).slice(0, 400)).toBe(200);
    return r.body.data;
  };
  const stored = async (id: number) =>
    await get()
      .database.db.selectFrom('subscribers')
      .select(['name', 'language'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const count = async () =>
    (await get().database.db.selectFrom('subscribers').select('id').execute()).length;

  it('is stored, shown, changed and cleared; the panel’s when null', async () => {
    const s = await ok('POST', '/api/addSubscriber', { name: 'olga', language: 'ru' });
    expect(s.language).toBe('ru');
    expect((await ok('GET', `/api/getSubscriber?id=${s.id}`)).language).toBe('ru');
    const list = await ok('GET', '/api/getSubscribers?search=olga');
    expect(list.subscribers[0].language).toBe('ru');
    // Written as the templates spell it, whatever the case sent.
    await ok('POST', '/api/updateSubscriber', { id: s.id, language: 'zh-cn' });
    expect((await stored(s.id)).language).toBe('zh-CN');
    await ok('POST', '/api/updateSubscriber', { id: s.id, note: 'kept' });
    expect((await stored(s.id)).language).toBe('zh-CN');
    await ok('POST', '/api/updateSubscriber', { id: s.id, language: '' });
    expect((await stored(s.id)).language).toBeNull();
    await ok('POST', '/api/updateSubscriber', { id: s.id, language: 'de' });
    await ok('POST', '/api/updateSubscriber', { id: s.id, language: null });
    expect((await ok('GET', `/api/getSubscriber?id=${s.id}`)).language).toBeNull();
    const plain = await ok('POST', '/api/addSubscriber', { name: 'pavel' });
    expect(plain.language).toBeNull();
    for (const language of NOTIFICATION_LANGUAGES) {
      await ok('POST', '/api/updateSubscriber', { id: plain.id, language });
      expect((await stored(plain.id)).language).toBe(language);
    }
  });

  it('a language the templates do not have: 400 naming `language`, nothing written', async () => {
    const before = await count();
    const bad = await call('POST', '/api/addSubscriber', { name: 'quentin', language: 'fr' });
    expect([bad.code, bad.body.subject]).toEqual([400, 'language']);
    expect(bad.body.message).toContain('en, zh-CN, ru');
    const wrongType = await call('POST', '/api/addSubscriber', { name: 'quentin', language: 7 });
    expect([wrongType.code, wrongType.body.subject]).toEqual([400, 'language']);
    expect(await count()).toBe(before);

    const s = await ok('POST', '/api/addSubscriber', { name: 'rosa', language: 'en' });
    const change = await call('POST', '/api/updateSubscriber', {
      id: s.id,
      name: 'rosa renamed',
      language: 'klingon',
    });
    expect([change.code, change.body.subject]).toEqual([400, 'language']);
    expect(await stored(s.id)).toEqual({ name: 'rosa', language: 'en' });
  });

  it('its messages are written in its language; the operators’ in the panel’s', async () => {
    await ok('POST', '/api/updateNotificationSettings', {
      // Nothing listens there: the deliverer is not started, the outbox is what is checked.
      smtp: { host: '127.0.0.1', port: 2, security: 'none', from: 'panel@example.test' },
      operator_email: 'ops@example.test',
      operator_actions: ['subscriber_restricted'],
      language: 'en',
    });
    const ru = await ok('POST', '/api/addSubscriber', {
      name: 'sveta',
      email: 'sveta@example.test',
      language: 'ru',
    });
    const panel = await ok('POST', '/api/addSubscriber', {
      name: 'tom',
      email: 'tom@example.test',
    });
    await ok('POST', '/api/restrictSubscriber', { id: ru.id });
    await ok('POST', '/api/restrictSubscriber', { id: panel.id });
    const rows = await get()
      .database.db.selectFrom('notification_deliveries')
      .select(['target', 'payload'])
      .where('action', '=', 'subscriber_restricted')
      .execute();
    const subjects = Object.fromEntries(
      rows.map((r) => [r.target, (JSON.parse(r.payload) as { subject: string }).subject]),
    );
    expect(subjects).toEqual({
      'email:sveta@example.test': 'Ваш VPN-доступ отключён',
      'email:tom@example.test': 'Your VPN access was cut off',
      'email:ops@example.test': expect.any(String),
    });
    // The operators' copies (one per event, same target) are in the panel's language.
    const ops = rows.filter((r) => r.target === 'email:ops@example.test');
    expect(ops).toHaveLength(2);
    for (const r of ops) expect(r.payload).not.toMatch(/[а-яё]/i);
  });
});
