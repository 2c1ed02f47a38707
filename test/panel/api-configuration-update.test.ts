import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

interface Cfg {
  Name: string;
  DNS: string | null;
  EndpointAllowedIp: string | null;
  Keepalive: number | null;
  ListenPort: string;
  Address: string;
}

// updateConfigurationPeerDefaults (issue 20 item 3): the defaults new peers get, on every database;
// the listen port and address only as they are (the agent cannot change a live interface).
describe.each(DIALECTS_UNDER_TEST)('updateConfigurationPeerDefaults on $name', (dialect) => {
  const get = usePanel(dialect);
  const post = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });

  it('sets the defaults new peers get; the peers already made keep theirs', async () => {
    const c = await seedConfiguration(get().database);
    const before = await post(`/api/addPeers/${c.name}`, { name: 'before' });
    expect(before.statusCode, before.body).toBe(200);
    const res = await post('/api/updateConfigurationPeerDefaults', {
      Name: c.name,
      DNS: '9.9.9.9, 149.112.112.112',
      EndpointAllowedIp: '10.8.0.0/24',
      Keepalive: 25,
      // Sent back as they are, as a WGDashboard client posts the whole configuration: fine.
      ListenPort: '51820',
      Address: '10.8.0.1/24',
      PrivateKey: 'ignored',
    });
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data as Cfg;
    expect([data.DNS, data.EndpointAllowedIp, data.Keepalive]).toEqual([
      '9.9.9.9, 149.112.112.112',
      '10.8.0.0/24',
      25,
    ]);
    const after = await post(`/api/addPeers/${c.name}`, { name: 'after' });
    const peer = after.json().data[0] as {
      DNS: string;
      endpoint_allowed_ip: string;
      keepalive: number;
    };
    expect([peer.DNS, peer.endpoint_allowed_ip, peer.keepalive]).toEqual([
      '9.9.9.9, 149.112.112.112',
      '10.8.0.0/24',
      25,
    ]);
    const old = before.json().data[0] as { DNS: string | null; keepalive: number | null };
    const oldNow = await get()
      .database.db.selectFrom('peers')
      .select(['dns', 'keepalive'])
      .where('name', '=', 'before')
      .executeTakeFirstOrThrow();
    expect([oldNow.dns, oldNow.keepalive]).toEqual([old.DNS, old.keepalive]);
    // Cleared: null DNS and AllowedIPs, keepalive 0 = off.
    const cleared = await post('/api/updateConfigurationPeerDefaults', {
      Name: c.name,
      DNS: '',
      EndpointAllowedIp: null,
      Keepalive: 0,
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    const d = cleared.json().data as Cfg;
    expect([d.DNS, d.EndpointAllowedIp, d.Keepalive]).toEqual([null, null, null]);
  });

  it('refuses bad values and a changed port or address, naming the field, changing nothing', async () => {
    const c = await seedConfiguration(get().database);
    await post('/api/updateConfigurationPeerDefaults', { Name: c.name, DNS: '1.1.1.1' });
    for (const [payload, field, status] of [
      [{ DNS: 'not a dns!' }, 'DNS', 400],
      [{ EndpointAllowedIp: '10.0.0.0/99' }, 'EndpointAllowedIp', 400],
      [{ Keepalive: -1 }, 'Keepalive', 400],
      [{ ListenPort: 51999 }, 'ListenPort', 400],
      [{ Address: '10.99.0.1/24' }, 'Address', 400],
    ] as const) {
      const res = await post('/api/updateConfigurationPeerDefaults', {
        Name: c.name,
        Keepalive: 10,
        ...payload,
      });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().subject, res.body).toBe(field);
    }
    const unknown = await post('/api/updateConfigurationPeerDefaults', { Name: 'nope', DNS: '' });
    expect(unknown.statusCode).toBe(404);
    const row = await get()
      .database.db.selectFrom('configurations')
      .select(['dns', 'listen_port', 'address'])
      .where('name', '=', c.name)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ dns: '1.1.1.1', listen_port: 51820, address: '10.8.0.1/24' });
    // Keepalive: 10 came with every refused request: never stored.
    const keepalive = await get()
      .database.db.selectFrom('configurations')
      .select('keepalive')
      .where('name', '=', c.name)
      .executeTakeFirstOrThrow();
    expect(keepalive.keepalive).not.toBe(10);
  });
});
