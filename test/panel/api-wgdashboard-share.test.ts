import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

const WGD_DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** `YYYY-MM-DD HH:mm:ss`, as 4.3's web UI formats its dates (dayjs). */
const wgd = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * WGDashboard 4.3's share links, replayed with the bodies its web UI sends
 * (peerShareLinkModal.vue: create with a date 7 days on; update with the whole link object; the
 * share page's sharePeer/get), on every database.
 */
describe.each(DIALECTS_UNDER_TEST)('WGDashboard 4.3 share links ($name)', (dialect) => {
  const get = usePanel(dialect);
  const post = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
  const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });
  /** Without sign-in, from its own address (the lookups are limited per address). */
  const open = (url: string, remoteAddress = '203.0.113.7') =>
    get().panel.app.inject({ url, remoteAddress });
  const peerJson = async (c: string, id: string) => {
    const info = (await fetch(`/api/getWireguardConfigurationInfo?configurationName=${c}`)).json()
      .data;
    return [...info.configurationPeers, ...info.configurationRestrictedPeers].find(
      (p: { id: string }) => p.id === id,
    );
  };

  it('create, get without sign-in, update, stop: 4.3’s answers and shapes', async () => {
    const { clock, database } = get();
    const c = await seedConfiguration(database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, { name: 'shared phone' })).json().data;
    expect((await peerJson(c.name, peer.id)).ShareLink).toEqual([]);
    const week = new Date(clock.now().getTime() + 7 * 86_400_000);
    const created = await post('/api/sharePeer/create', {
      Configuration: c.name,
      Peer: peer.id,
      ExpireDate: wgd(week),
    });
    expect(created.statusCode, created.body).toBe(200);
    const body = created.json();
    expect(body).toMatchObject({ status: true, message: null });
    expect(body.data).toHaveLength(1);
    const link = body.data[0];
    expect(Object.keys(link).sort()).toEqual([
      'Configuration',
      'ExpireDate',
      'Peer',
      'ShareID',
      'SharedDate',
    ]);
    expect(link).toMatchObject({ Configuration: c.name, Peer: peer.id, ExpireDate: wgd(week) });
    expect(link.ShareID).toMatch(UUID4);
    expect(link.SharedDate).toMatch(WGD_DATE);
    expect((await peerJson(c.name, peer.id)).ShareLink).toEqual([link]);
    // A page (read at once, not streamed) carries it too.
    const paged = (
      await fetch(`/api/getWireguardConfigurationInfo?configurationName=${c.name}&pageSize=10`)
    ).json().data.configurationPeers;
    expect(paged.find((p: { id: string }) => p.id === peer.id).ShareLink).toEqual([link]);

    // Already sharing: 4.3 answers the link itself (one object) and says so.
    const again = await post('/api/sharePeer/create', {
      Configuration: c.name,
      Peer: peer.id,
      ExpireDate: wgd(week),
    });
    expect(again.json()).toEqual({
      status: true,
      message: 'This peer is already sharing. Please view data for shared link.',
      data: link,
    });

    // The page's call: no sign-in, the config as downloadPeer answers it.
    const shared = await open(`/api/sharePeer/get?ShareID=${link.ShareID}`);
    expect(shared.statusCode, shared.body).toBe(200);
    const download = await fetch(`/api/downloadPeer/${c.name}?id=${encodeURIComponent(peer.id)}`);
    expect(shared.json()).toEqual(download.json());
    expect(Object.keys(shared.json().data).sort()).toEqual(['file', 'fileName']);

    // Update as 4.3's UI sends it: the whole link, a new date.
    const later = new Date(week.getTime() + 86_400_000);
    const updated = await post('/api/sharePeer/update', { ...link, ExpireDate: wgd(later) });
    expect(updated.json()).toEqual({
      status: true,
      message: null,
      data: [{ ...link, ExpireDate: wgd(later) }],
    });
    // Stop sharing (4.3's UI: ExpireDate = now): the answer is empty, the link refused.
    const stopped = await post('/api/sharePeer/update', { ...link, ExpireDate: wgd(clock.now()) });
    expect(stopped.json()).toEqual({ status: true, message: null, data: [] });
    const gone = await open(`/api/sharePeer/get?ShareID=${link.ShareID}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({
      status: false,
      message: 'This link is either expired to invalid',
      data: null,
      subject: 'ShareID',
    });
    expect((await peerJson(c.name, peer.id)).ShareLink).toEqual([]);
    const revive = await post('/api/sharePeer/update', { ...link, ExpireDate: wgd(later) });
    expect(revive.statusCode).toBe(404);
    expect(revive.json().message).toBe('ShareID does not exist');

    // A new link after the old one ended; without a date it never expires (4.3 shows 2199).
    const forever = (
      await post('/api/sharePeer/create', { Configuration: c.name, Peer: peer.id })
    ).json().data[0];
    expect(forever.ShareID).not.toBe(link.ShareID);
    expect(forever.ExpireDate).toBe('2199-12-31 00:00:00');
  });

  it('two creates at once make one link (the store locks the peer)', async () => {
    const c = await seedConfiguration(get().database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, {})).json().data;
    const body = { Configuration: c.name, Peer: peer.id };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post('/api/sharePeer/create', body)),
    );
    const ids = answers.map((a) => {
      const d = a.json().data;
      return (Array.isArray(d) ? d[0] : d).ShareID as string;
    });
    expect(new Set(ids).size).toBe(1);
    expect(answers.filter((a) => a.json().message === null)).toHaveLength(1);
    const rows = await get()
      .database.db.selectFrom('peer_share_links')
      .innerJoin('peers', 'peers.id', 'peer_share_links.peer_id')
      .select('share_id')
      .where('peers.public_key', '=', peer.id)
      .execute();
    expect(rows.map((r) => r.share_id)).toEqual([ids[0]]);
  });

  it('a link ends at its date on the panel clock; deleting the peer ends it too', async () => {
    const { clock, database } = get();
    const c = await seedConfiguration(database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, {})).json().data;
    const at = new Date(clock.now().getTime() + 3_600_000);
    const link = (
      await post('/api/sharePeer/create', {
        Configuration: c.name,
        Peer: peer.id,
        ExpireDate: wgd(at),
      })
    ).json().data[0];
    expect((await open(`/api/sharePeer/get?ShareID=${link.ShareID}`)).statusCode).toBe(200);
    clock.set(at);
    expect((await open(`/api/sharePeer/get?ShareID=${link.ShareID}`)).statusCode).toBe(404);
    clock.set(new Date(at.getTime() - 60_000));
    expect((await open(`/api/sharePeer/get?ShareID=${link.ShareID}`)).statusCode).toBe(200);
    await post(`/api/deletePeers/${c.name}`, { peers: [peer.id] });
    expect((await open(`/api/sharePeer/get?ShareID=${link.ShareID}`)).statusCode).toBe(404);
    const rows = await database.db
      .selectFrom('peer_share_links')
      .select('share_id')
      .where('share_id', '=', link.ShareID)
      .execute();
    expect(rows).toEqual([]);
  });

  it('refuses bad input naming the field; create and update need sign-in', async () => {
    const { clock, database } = get();
    const c = await seedConfiguration(database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, {})).json().data;
    const refuse = async (url: string, body: object, status: number, subject?: string) => {
      const r = await post(url, body);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json()).toMatchObject({ status: false, ...(subject && { subject }) });
    };
    await refuse(
      '/api/sharePeer/create',
      { Configuration: c.name, Peer: peer.id, ExpireDate: 'soon' },
      400,
      'ExpireDate',
    );
    await refuse(
      '/api/sharePeer/create',
      { Configuration: c.name, Peer: peer.id, ExpireDate: wgd(clock.now()) },
      400,
      'ExpireDate',
    );
    await refuse('/api/sharePeer/create', { Configuration: c.name, Peer: 'nope' }, 400, 'Peer');
    await refuse('/api/sharePeer/create', { Configuration: 'nope', Peer: peer.id }, 404);
    await refuse('/api/sharePeer/create', { Configuration: c.name }, 400);
    await refuse('/api/sharePeer/update', { ShareID: 'not-a-share-id' }, 404, 'ShareID');
    const written = await database.db
      .selectFrom('peer_share_links')
      .innerJoin('peers', 'peers.id', 'peer_share_links.peer_id')
      .select('share_id')
      .where('peers.public_key', '=', peer.id)
      .execute();
    expect(written).toEqual([]);
    const missing = await open('/api/sharePeer/get');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ message: 'Please provide ShareID', subject: 'ShareID' });
    const anonymous = await get().panel.app.inject({
      method: 'POST',
      url: '/api/sharePeer/create',
      payload: { Configuration: c.name, Peer: peer.id },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('the share page: the config and its QR code, no cache, no referrer; a dead link says so', async () => {
    const { database } = get();
    const c = await seedConfiguration(database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, { name: 'laptop' })).json().data;
    const link = (
      await post('/api/sharePeer/create', { Configuration: c.name, Peer: peer.id })
    ).json().data[0];
    const page = await open(`/share?ShareID=${link.ShareID}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain(`href="/share/config?ShareID=${link.ShareID}"`);
    expect(page.body).toContain(`src="/share/qr.png?ShareID=${link.ShareID}"`);
    expect(page.body).not.toContain('<script');
    const file = await open(`/share/config?ShareID=${link.ShareID}`);
    const download = (
      await fetch(`/api/downloadPeer/${c.name}?id=${encodeURIComponent(peer.id)}`)
    ).json().data;
    expect(file.body).toBe(download.file);
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="${download.fileName}.conf"`,
    );
    const qr = await open(`/share/qr.png?ShareID=${link.ShareID}`);
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const ru = await open(`/share?ShareID=${link.ShareID}&lang=ru`);
    expect(ru.body).toContain('Скачать конфигурацию');
    const dead = await open('/share?ShareID=00000000-0000-4000-8000-000000000000');
    expect(dead.statusCode).toBe(404);
    expect(dead.body).toContain('This link has expired or is not valid');
  });

  it('lookups by share id are limited per address (429 with Retry-After)', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    let last = await open(`/api/sharePeer/get?ShareID=${id}`, '198.51.100.9');
    for (let i = 0; i < 60 && last.statusCode !== 429; i++)
      last = await open(`/share?ShareID=${id}`, '198.51.100.9');
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect((await open(`/api/sharePeer/get?ShareID=${id}`, '198.51.100.10')).statusCode).toBe(404);
  });
});

describe('share ids (and subscriber page tokens) never reach the log', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const get = usePanel(DIALECTS_UNDER_TEST[0]!, { logger: pino({ level: 'debug' }, sink) });

  it('not in request lines of the API, the page, its file or its QR code', async () => {
    const { database, headers, panel } = get();
    const c = await seedConfiguration(database);
    const inject = (method: 'GET' | 'POST', url: string, payload?: object) =>
      panel.app.inject({ method, url, headers, ...(payload && { payload }) });
    const [peer] = (await inject('POST', `/api/addPeers/${c.name}`, {})).json().data;
    const link = (
      await inject('POST', '/api/sharePeer/create', { Configuration: c.name, Peer: peer.id })
    ).json().data[0];
    lines.length = 0;
    for (const url of [
      `/api/sharePeer/get?ShareID=${link.ShareID}`,
      `/share?ShareID=${link.ShareID}`,
      `/share/config?ShareID=${link.ShareID}`,
      `/share/qr.png?ShareID=${link.ShareID}`,
    ])
      expect((await panel.app.inject({ url })).statusCode).toBe(200);
    await inject('POST', '/api/sharePeer/update', { ...link, ExpireDate: null });
    await inject('GET', `/api/getWireguardConfigurationInfo?configurationName=${c.name}`);
    // The subscriber page's token likewise.
    const sub = (
      await inject('POST', '/api/addSubscriber', {
        name: 'Log',
        peers: [{ configuration: c.name }],
      })
    ).json().data;
    expect((await panel.app.inject({ url: `/sub/${sub.token}` })).statusCode).toBe(200);
    expect(lines.filter((l) => l.includes(sub.token))).toEqual([]);
    // The log is on: other requests are logged.
    expect(lines.some((l) => l.includes('getWireguardConfigurationInfo'))).toBe(true);
    expect(lines.filter((l) => l.includes(link.ShareID))).toEqual([]);
  });
});
