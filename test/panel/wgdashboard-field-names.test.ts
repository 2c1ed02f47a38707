import { describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

describe('WGDashboard 4.3 field names and clients', () => {
  const get = usePanel(sqlite);
  const post = (url: string, payload: unknown) =>
    get().panel.app.inject({
      method: 'POST',
      url,
      headers: { ...get().headers, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });

  it('newDashboardAPIKey takes NeverExpire (WGDashboard 4.3) as well as neverExpire', async () => {
    const never = await post('/api/newDashboardAPIKey', { NeverExpire: true });
    expect(never.statusCode).toBe(200);
    expect(never.json().data.ExpiredAt).toBeNull();
    // WGDashboard's own body when an expiry is chosen (newDashboardAPIKey.vue).
    const dated = await post('/api/newDashboardAPIKey', {
      ExpiredAt: '2999-01-02 03:04:05',
      NeverExpire: false,
    });
    expect(dated.statusCode).toBe(200);
    expect(dated.json().data.ExpiredAt).toBe('2999-01-02T03:04:05.000Z');
    expect((await post('/api/newDashboardAPIKey', { neverExpire: true })).statusCode).toBe(200);

    const keys = (await fetch('/api/getDashboardAPIKeys')).json().data.length;
    const neither = await post('/api/newDashboardAPIKey', {});
    expect(neither.statusCode).toBe(400);
    expect(neither.json()).toMatchObject({ subject: 'NeverExpire' });
    const disagree = await post('/api/newDashboardAPIKey', {
      NeverExpire: true,
      neverExpire: false,
    });
    expect(disagree.statusCode).toBe(400);
    expect((await fetch('/api/getDashboardAPIKeys')).json().data.length).toBe(keys);
  });

  it('reads a public key whose `+` arrived as a space in a query string as `+`', async () => {
    const c = await seedConfiguration(get().database);
    let key = '';
    for (let i = 0; i < 500 && !key.includes('+'); i++) key = generateWgKeyPair().publicKey;
    expect(key).toContain('+');
    const added = await post(`/api/addPeers/${c.name}`, { public_key: key });
    expect(added.statusCode).toBe(200);
    // Sent without URL-encoding: the query parser reads each `+` as a space.
    const raw = key.replace(/=/g, '%3D');
    const spaced = encodeURIComponent(key.replace(/\+/g, ' '));
    for (const id of [raw, spaced]) {
      const download = await fetch(`/api/downloadPeer/${c.name}?id=${id}`);
      // The panel holds no private key of a supplied public key: 409 names that, not the key.
      expect(download.statusCode).toBe(409);
      expect((await fetch(`/api/downloadPeerQRCode/${c.name}?id=${id}`)).statusCode).toBe(409);
      const traffic = await fetch(`/api/getPeerTraffics?configurationName=${c.name}&id=${id}`);
      expect(traffic.statusCode).toBe(200);
      const events = await fetch(`/api/getPeerEvents?configurationName=${c.name}&id=${id}`);
      expect(events.statusCode).toBe(200);
    }
    // A key that is not there is still unknown, and a malformed one still refused.
    expect(
      (await fetch(`/api/getPeerTraffics?configurationName=${c.name}&id=a b`)).statusCode,
    ).toBe(404);
  });
});
