import { describe, expect, it } from 'vitest';
import { isSecretField, SECRET_FIELD_NAMES } from '../../src/panel/app/audit/redact.js';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import type { AuditEntryJson, AuditLogJson } from '../../src/shared/wire/panel-api.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { ADMIN, usePanel } from './support/panel-under-test.js';

type Peers = Record<string, Record<string, unknown>>;

describe.each(DIALECTS_UNDER_TEST)('the audit log on $name', (dialect) => {
  const get = usePanel(dialect);

  const call = (method: 'GET' | 'POST', url: string, payload?: object, headers = get().headers) =>
    get().panel.app.inject({ method, url, headers, ...(payload && { payload }) });
  const ok = async (method: 'GET' | 'POST', url: string, payload?: object, headers?: object) => {
    const res = await call(method, url, payload, headers as Record<string, string> | undefined);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return (res.json() as { data: unknown }).data;
  };
  const auditLog = async (query: string) =>
    (await ok('GET', `/api/getAuditLog?${query}`)) as AuditLogJson;
  const latest = async (action: string) => {
    const { entries } = await auditLog(`action=${action}&pageSize=1`);
    expect(entries, action).toHaveLength(1);
    return entries[0]!;
  };
  const keyName = () => get().apiKey.slice(0, 12);
  const signIn = async () => {
    const res = await call('POST', '/api/authenticate', ADMIN, {});
    const cookie = res.cookies.find((c) => c.name === 'wgfleet_session')!.value;
    // A same-site browser request: the CSRF check wants its Origin.
    return {
      cookie: `wgfleet_session=${cookie}`,
      origin: 'http://localhost:80',
      host: 'localhost:80',
    };
  };

  it('a peer edit: who, from where, the peer, and only the fields that changed, before and after', async () => {
    const c = await seedConfiguration(get().database);
    const [peer] = (await ok('POST', `/api/addPeers/${c.name}`, { name: 'before' })) as {
      id: string;
    }[];
    const added = await latest('addPeers');
    expect(added).toMatchObject({
      // A key acts as its owner: the entry names both.
      api_key_name: keyName(),
      username: ADMIN.username,
      address: '127.0.0.1',
      outcome: 'success',
      status_code: 200,
      target_kind: 'peer',
      target: { configuration: c.name, peers: [peer!.id] },
      before: null,
    });
    expect((added.after as Peers)[peer!.id]).toMatchObject({
      name: 'before',
      has_private_key: true,
    });

    // By a signed-in user this time.
    await ok(
      'POST',
      `/api/updatePeerSettings/${c.name}`,
      { id: peer!.id, name: 'after', DNS: '9.9.9.9' },
      await signIn(),
    );
    const edit = await latest('updatePeerSettings');
    expect(edit).toMatchObject({
      username: ADMIN.username,
      api_key_name: null,
      outcome: 'success',
    });
    expect(edit.target).toMatchObject({ configuration: c.name, peers: [peer!.id] });
    expect(edit.before).toEqual({ [peer!.id]: { name: 'before', dns: '1.1.1.1' } });
    expect(edit.after).toEqual({ [peer!.id]: { name: 'after', dns: '9.9.9.9' } });

    // Refused: recorded as a failure with the message, and no fields.
    const bad = await call('POST', `/api/updatePeerSettings/${c.name}`, {
      id: peer!.id,
      mtu: 70000,
    });
    expect(bad.statusCode).toBe(400);
    const refused = await latest('updatePeerSettings');
    expect(refused).toMatchObject({
      outcome: 'failure',
      status_code: 400,
      before: null,
      after: null,
    });
    expect(refused.message).toBe((bad.json() as { message: string }).message);
  });

  it('a deletion keeps the whole peer as it was, and no after', async () => {
    const c = await seedConfiguration(get().database);
    const [peer] = (await ok('POST', `/api/addPeers/${c.name}`, { name: 'going' })) as {
      id: string;
    }[];
    await ok('POST', `/api/deletePeers/${c.name}`, { peers: [peer!.id] });
    const gone = await latest('deletePeers');
    expect(gone.target).toMatchObject({ configuration: c.name, peers: [peer!.id], count: 1 });
    expect((gone.before as Peers)[peer!.id]).toMatchObject({ name: 'going', status: 'active' });
    expect(gone.after).toBeNull();
  });

  it('a limit change records the limit before and after', async () => {
    const c = await seedConfiguration(get().database);
    const [peer] = (await ok('POST', `/api/addPeers/${c.name}`, { name: 'quota' })) as {
      id: string;
    }[];
    await ok('POST', `/api/updatePeerTrafficLimit/${c.name}`, {
      id: peer!.id,
      traffic_limit: '5GiB',
    });
    const first = await latest('updatePeerTrafficLimit');
    expect(first.before).toEqual({ [peer!.id]: { traffic_limit: null } });
    expect(first.after).toEqual({ [peer!.id]: { traffic_limit: 5 * 1024 ** 3 } });
    await ok('POST', `/api/updatePeerTrafficLimit/${c.name}`, { id: peer!.id, traffic_limit: 0 });
    const cut = await latest('updatePeerTrafficLimit');
    expect(cut.before).toEqual({
      [peer!.id]: { traffic_limit: 5 * 1024 ** 3, status: 'active', restriction_reason: null },
    });
    // Zero bytes restricts the peer at once: the status change is in the same entry.
    expect(cut.after).toEqual({
      [peer!.id]: { traffic_limit: 0, status: 'restricted', restriction_reason: 'traffic_limit' },
    });
  });

  it('a reseller reads only the entries it made, whatever it filters by', async () => {
    const reseller = { username: `reseller-${dialect.name}`, password: 'a-long-Pa55word-for-it' };
    await ok('POST', '/api/addUser', { ...reseller, role: 'reseller', limits: {} });
    const res = await call('POST', '/api/authenticate', reseller, {});
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'wgfleet_session')!.value;
    const asReseller = { cookie: `wgfleet_session=${cookie}` };
    // The admin's own entries exist (its addUser); the reseller asks for them by name.
    expect((await auditLog(`user=${ADMIN.username}`)).total).toBeGreaterThan(0);
    for (const query of ['', `user=${ADMIN.username}`, 'action=addUser']) {
      const r = await call('GET', `/api/getAuditLog?${query}`, undefined, asReseller);
      expect(r.statusCode, r.body).toBe(200);
      const { entries } = (r.json() as { data: AuditLogJson }).data;
      expect(
        entries.every((e) => e.username === reseller.username),
        `${query}: ${JSON.stringify(entries.map((e) => [e.username, e.action]))}`,
      ).toBe(true);
    }
    const mine = await call('GET', '/api/getAuditLog', undefined, asReseller);
    expect((mine.json() as { data: AuditLogJson }).data.entries.map((e) => e.action)).toContain(
      'authenticate',
    );
    const csv = await call(
      'GET',
      `/api/exportAuditCsv?user=${ADMIN.username}`,
      undefined,
      asReseller,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('addUser');
  });

  it('a sign-in failure is recorded with the name tried, never the password; a success too', async () => {
    const wrong = `wrong-${dialect.name}-Pa55word`;
    const res = await call(
      'POST',
      '/api/authenticate',
      { username: ADMIN.username, password: wrong },
      {},
    );
    expect(res.statusCode).toBe(401);
    const failed = await latest('authenticate');
    expect(failed).toMatchObject({
      username: ADMIN.username,
      api_key_name: null,
      address: '127.0.0.1',
      outcome: 'failure',
      status_code: 401,
      target_kind: 'account',
      target: { username: ADMIN.username },
      before: null,
      after: null,
    });
    const unknown = await call(
      'POST',
      '/api/authenticate',
      { username: 'mallory', password: wrong },
      {},
    );
    expect(unknown.statusCode).toBe(401);
    expect(await latest('authenticate')).toMatchObject({ username: 'mallory', outcome: 'failure' });
    await signIn();
    expect(await latest('authenticate')).toMatchObject({
      username: ADMIN.username,
      outcome: 'success',
      status_code: 200,
    });
    const raw = await get().database.db.selectFrom('audit_log').selectAll().execute();
    expect(
      JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    ).not.toContain(wrong);
  });

  it('records no secret: no secret field name at any depth, no secret value in any column', async () => {
    const c = await seedConfiguration(get().database);
    const pair = generateWgKeyPair();
    const psk = generateWgKeyPair().privateKey;
    const [peer] = (await ok('POST', `/api/addPeers/${c.name}`, {
      name: 'keys',
      private_key: pair.privateKey,
      public_key: pair.publicKey,
      preshared_key: psk,
    })) as { id: string }[];
    const psk2 = generateWgKeyPair().privateKey;
    await ok('POST', `/api/updatePeerSettings/${c.name}`, { id: peer!.id, preshared_key: psk2 });
    const key = (await ok('POST', '/api/newDashboardAPIKey', { neverExpire: true })) as {
      Key: string;
      id: number;
    };
    await ok('POST', '/api/deleteDashboardAPIKey', { id: key.id });
    const smtpPassword = `smtp-${dialect.name}-s3cret`;
    const botToken = `123456:AAbot_${dialect.name}_token_value_xyz`;
    await ok('POST', '/api/updateNotificationSettings', {
      smtp: {
        host: '127.0.0.1',
        port: 2525,
        security: 'none',
        username: 'u',
        password: smtpPassword,
        from: 'p@example.test',
      },
      telegram: { bot_token: botToken },
    });
    const webhookSecret = `whsec-${dialect.name}-value`;
    const headerValue = `Bearer header-${dialect.name}-value`;
    const template = (await ok('GET', '/api/webHooks/createWebHook')) as Record<string, unknown>;
    await ok('POST', '/api/webHooks/updateWebHook', {
      ...template,
      PayloadURL: 'http://127.0.0.1:9/hook',
      Secret: webhookSecret,
      Headers: { '1': { key: 'Authorization', value: headerValue } },
    });
    const sub = (await ok('POST', '/api/addSubscriber', {
      name: 'Secretive',
      peers: [{ configuration: c.name }],
    })) as {
      id: number;
    };
    await ok('POST', '/api/rotateSubscriberToken', { id: sub.id });
    const tokens = (
      await get().database.db.selectFrom('subscribers').select(['token', 'token_hash']).execute()
    ).flatMap((r) => [r.token, r.token_hash]);

    const secrets = [
      pair.privateKey,
      psk,
      psk2,
      key.Key,
      smtpPassword,
      botToken,
      webhookSecret,
      headerValue,
      get().apiKey,
      ADMIN.password,
      ...tokens,
    ];
    const rows = await get().database.db.selectFrom('audit_log').selectAll().execute();
    expect(rows.length).toBeGreaterThan(8);
    for (const row of rows) {
      const text = JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
      for (const s of secrets) expect(text, `${row.action} holds a secret`).not.toContain(s);
      for (const column of [row.target, row.before_state, row.after_state]) {
        if (column === null) continue;
        const names: string[] = [];
        JSON.parse(column, function (k: string, v: unknown) {
          if (k !== '' && !Array.isArray(this)) names.push(k);
          return v;
        });
        expect(names.filter(isSecretField), row.action).toEqual([]);
        const exact = names.filter((n) =>
          (SECRET_FIELD_NAMES as readonly string[]).includes(n.toLowerCase()),
        );
        expect(exact, row.action).toEqual([]);
      }
    }
    // What is recorded instead: whether there is one.
    const settings = await latest('updateNotificationSettings');
    expect(settings.after).toMatchObject({ has_smtp_password: true, has_telegram_bot_token: true });
    const hook = await latest('webHooks/updateWebHook');
    expect(hook.after).toMatchObject({ has_secret: true, payload_url: 'http://127.0.0.1:9/hook' });
  });

  it('filters by user, action and time, pages, and exports the same as CSV (escaped, no formulas)', async () => {
    const c = await seedConfiguration(get().database);
    get().clock.set('2030-01-01T00:00:00Z');
    const [peer] = (await ok('POST', `/api/addPeers/${c.name}`, {
      name: '=HYPERLINK("http://x","a, b")',
    })) as {
      id: string;
    }[];
    get().clock.set('2030-01-02T00:00:00Z');
    await ok('POST', `/api/restrictPeers/${c.name}`, { peers: [peer!.id] });
    await ok('POST', `/api/allowAccessPeers/${c.name}`, { peers: [peer!.id] }, await signIn());

    const range = 'from=2030-01-01T00:00:00Z&to=2030-01-03T00:00:00Z';
    const inRange = await auditLog(range);
    expect(inRange.entries.map((e) => e.action)).toEqual([
      'allowAccessPeers',
      'authenticate',
      'restrictPeers',
      'addPeers',
    ]);
    expect(inRange.total).toBe(4);
    const day2 = await auditLog('from=2030-01-02T00:00:00Z&to=2030-01-03T00:00:00Z');
    expect(day2.total).toBe(3);
    const byKey = await auditLog(`${range}&user=${keyName()}`);
    expect(byKey.entries.map((e) => e.action)).toEqual(['restrictPeers', 'addPeers']);
    const byUser = await auditLog(`${range}&user=${ADMIN.username}&action=allowAccessPeers`);
    expect(byUser.entries.map((e: AuditEntryJson) => e.action)).toEqual(['allowAccessPeers']);
    const page2 = await auditLog(`${range}&page=2&pageSize=3`);
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.entries.map((e) => e.action)).toEqual(['addPeers']);

    const bad = await call('GET', '/api/getAuditLog?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: false, subject: 'from' });

    const csv = await call('GET', `/api/exportAuditCsv?${range}&user=${keyName()}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,username,api_key_name,address,action,target_kind,target,before,after,outcome,status_code,message',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',restrictPeers,peer,');
    // The name is inside JSON, quoted as a field; the JSON quotes are doubled.
    expect(lines[2]).toContain('""name"":""=HYPERLINK(\\""http://x\\"",\\""a, b\\"")""');
    // A field that starts with = (a user name tried at sign-in) is defused.
    const formula = '=1+2,"x"';
    await call('POST', '/api/authenticate', { username: formula, password: 'x' }, {});
    const named = await call('GET', `/api/exportAuditCsv?user=${encodeURIComponent(formula)}`);
    const row = named.body.trimEnd().split('\r\n')[1]!;
    expect(row).toContain(`,"'=1+2,""x""",,127.0.0.1,authenticate,account,`);
  });
});
