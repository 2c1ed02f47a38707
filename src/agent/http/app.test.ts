import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { generateWgKeyPair } from '../../shared/keys.js';
import { decodeDumpTsv, DUMP_TSV_TYPE } from '../../shared/wire/dump-tsv.js';
import { Dump } from '../../shared/wire/agent-api.js';
import { SystemStatus } from '../../shared/wire/agent-system.js';
import { KeyedLock } from '../app/keyed-lock.js';
import { FakeWg } from '../testing/fake-wg.js';
import { createConfStore } from '../wg/conf-store.js';
import { buildAgentApp } from './app.js';
import { AgentMetrics } from './metrics.js';

const TOKEN = 'test-token-'.padEnd(43, 'x');
const auth = { authorization: `Bearer ${TOKEN}` };

describe('agent HTTP API (fake wg)', () => {
  let dir: string;
  let wg: FakeWg;
  let app: Awaited<ReturnType<typeof buildAgentApp>>;
  const server = generateWgKeyPair();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-agent-test-'));
    wg = new FakeWg();
    wg.addInterface('wg0', server.privateKey);
    app = await buildAgentApp({
      deps: {
        wg,
        links: wg,
        confs: createConfStore(dir),
        lock: new KeyedLock(),
        onlyInterfaces: null,
        allowHooks: false,
        ledger: null,
      },
      token: TOKEN,
      version: '9.9.9',
      metrics: new AgentMetrics(),
      logger: pino({ level: 'silent' }),
    });
  });
  afterEach(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers GET /v1/system (this host) only with the token', async () => {
    expect((await app.inject({ url: '/v1/system' })).statusCode).toBe(401);
    const r = await app.inject({ url: '/v1/system', headers: auth });
    expect(r.statusCode).toBe(200);
    expect(Value.Check(SystemStatus, r.json())).toBe(true);
  });

  it('answers health without auth and everything else only with the token', async () => {
    expect((await app.inject({ url: '/v1/health' })).json()).toEqual({
      status: 'ok',
      version: '9.9.9',
    });
    expect((await app.inject({ url: '/v1/wg' })).statusCode).toBe(401);
    const wrong = await app.inject({ url: '/v1/wg', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({
      error: 'unauthorized',
      message: 'missing or wrong bearer token',
    });
    expect((await app.inject({ url: '/v1/wg', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/nope', headers: auth })).statusCode).toBe(404);
  });

  it('adds a peer idempotently, keeps its preshared key secret and writes the conf file', async () => {
    const peer = generateWgKeyPair().publicKey;
    const psk = generateWgKeyPair().privateKey;
    const url = `/v1/wg/wg0/peers/${encodeURIComponent(peer)}`;
    const body = { allowed_ips: ['10.0.0.2/32'], preshared_key: psk, persistent_keepalive: 25 };
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ method: 'PUT', url, headers: auth, payload: body });
      expect(res.statusCode).toBe(200);
    }
    const dump = await app.inject({ url: '/v1/wg/wg0/dump', headers: auth });
    expect(dump.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Value.Check(Dump, dump.json())).toBe(true);
    expect(dump.json().interface.instance).toBe('1'); // the interface's incarnation
    expect(dump.json().peers).toHaveLength(1);
    expect(dump.body).not.toContain(psk);
    expect(dump.body).not.toContain(server.privateKey);
    // The compact form the panel asks for: the same dump, fewer bytes, no secret either.
    const tsv = await app.inject({
      url: '/v1/wg/wg0/dump',
      headers: { ...auth, accept: `${DUMP_TSV_TYPE}, application/json;q=0.5` },
    });
    expect(tsv.headers['content-type']).toBe(`${DUMP_TSV_TYPE}; charset=utf-8`);
    expect(decodeDumpTsv(tsv.body, (v) => v as never)).toStrictEqual(dump.json());
    expect(tsv.body).not.toContain(psk);
    expect(tsv.body.length).toBeLessThan(dump.body.length);
    const conf = await readFile(join(dir, 'wg0.conf'), 'utf8');
    expect(conf).toContain(`PublicKey = ${peer}`);
    expect(conf).toContain(`PresharedKey = ${psk}`);

    const url64 = `/v1/wg/wg0/peers/${peer.replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, '')}`;
    expect((await app.inject({ method: 'DELETE', url: url64, headers: auth })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ method: 'DELETE', url: url64, headers: auth })).statusCode).toBe(
      200,
    );
    expect(await readFile(join(dir, 'wg0.conf'), 'utf8')).not.toContain(peer);
  });

  it('without a node ledger, answers as agents before it: raw counters only', async () => {
    const peer = generateWgKeyPair().publicKey;
    const url = `/v1/wg/wg0/peers/${encodeURIComponent(peer)}`;
    await app.inject({ method: 'PUT', url, headers: auth, payload: { allowed_ips: [] } });
    const dump = (await app.inject({ url: '/v1/wg/wg0/dump', headers: auth })).json();
    expect(dump.interface.epoch).toBeUndefined();
    expect(dump.enforcements).toBeUndefined();
    expect(Object.keys(dump.peers[0])).not.toContain('total_rx');
    const tsv = await app.inject({
      url: '/v1/wg/wg0/dump',
      headers: { ...auth, accept: DUMP_TSV_TYPE },
    });
    expect(decodeDumpTsv(tsv.body, (v) => v as never)).toStrictEqual(dump);
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/wg/wg0/allowances',
      headers: auth,
      payload: { grace_seconds: 30, peers: [] },
    });
    expect(put.statusCode).toBe(404);
  });

  it('refuses bad input with 400 naming the field, before any wg call', async () => {
    const peer = encodeURIComponent(generateWgKeyPair().publicKey);
    const cases: [string, string, unknown, RegExp][] = [
      ['PUT', '/v1/wg/wg0/peers/not-a-key', { allowed_ips: [] }, /public_key/],
      [
        'PUT',
        `/v1/wg/${encodeURIComponent('wg0;reboot')}/peers/${peer}`,
        { allowed_ips: [] },
        /interface/,
      ],
      ['GET', `/v1/wg/${encodeURIComponent('$(id)')}/dump`, undefined, /interface/],
      ['PUT', `/v1/wg/wg0/peers/${peer}`, { allowed_ips: ['10.0.0.300/32'] }, /allowed_ips\[0\]/],
      ['PUT', `/v1/wg/wg0/peers/${peer}`, { allowed_ips: [], endpoint: 'x;y:1' }, /endpoint/],
      [
        'PUT',
        `/v1/wg/wg0/peers/${peer}`,
        { allowed_ips: [], preshared_key: 'short' },
        /preshared_key/,
      ],
      ['PUT', `/v1/wg/wg0/peers/${peer}`, { allowed_ips: [], nope: 1 }, /nope/],
      ['PUT', `/v1/wg/wg0/peers/${peer}`, {}, /allowed_ips/],
      [
        'PUT',
        `/v1/wg/wg0/peers/${peer}`,
        { allowed_ips: [], rate_limit: { download_bps: 100, upload_bps: null } },
        /rate_limit\.download_bps/,
      ],
      [
        'PUT',
        `/v1/wg/wg0/peers/${peer}`,
        { allowed_ips: [], rate_limit: { download_bps: 1.5e6 } },
        /rate_limit\.upload_bps: is required/,
      ],
      // This agent was built without a shaper: a limit it cannot keep is refused, not ignored.
      [
        'PUT',
        `/v1/wg/wg0/peers/${peer}`,
        { allowed_ips: [], rate_limit: { download_bps: 1e6, upload_bps: null } },
        /rate_limit: this agent does not shape traffic/,
      ],
      ['POST', '/v1/wg', { name: 'wg1', address: 'nope', listen_port: 1 }, /address/],
    ];
    for (const [method, url, payload, message] of cases) {
      const res = await app.inject({
        method: method as 'PUT',
        url,
        headers: auth,
        payload: payload as object,
      });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json().message).toMatch(message);
    }
    const big = await app.inject({
      method: 'PUT',
      url: `/v1/wg/wg0/peers/${peer}`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ allowed_ips: ['10.0.0.2/32'], pad: 'x'.repeat(70_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(wg.calls).toBe(0);
  });

  it('maps a missing interface to 404 and a wg failure to 502 without key material', async () => {
    expect((await app.inject({ url: '/v1/wg/wg9/dump', headers: auth })).statusCode).toBe(404);
    wg.failNext = `Unable to modify interface: ${server.privateKey} Operation not permitted`;
    const res = await app.inject({ url: '/v1/wg/wg0/dump', headers: auth });
    expect(res.statusCode).toBe(502);
    expect(res.body).not.toContain(server.privateKey);
    expect(res.json().error).toBe('wg_failed');
  });

  it('creates an interface with a key made on the node, refusing hooks unless allowed', async () => {
    const hook = await app.inject({
      method: 'POST',
      url: '/v1/wg',
      headers: auth,
      payload: { name: 'wg1', address: '10.1.0.1/24', listen_port: 51821, post_up: 'true' },
    });
    expect(hook.statusCode).toBe(403);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/wg',
      headers: auth,
      payload: { name: 'wg1', address: '10.1.0.1/24', listen_port: 51821 },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'wg1', listen_port: 51821, up: true });
    expect(res.body).not.toMatch(/PrivateKey/i);
    const again = await app.inject({
      method: 'POST',
      url: '/v1/wg',
      headers: auth,
      payload: { name: 'wg1', address: '10.1.0.1/24', listen_port: 51821 },
    });
    expect(again.statusCode).toBe(409);
    const samePort = await app.inject({
      method: 'POST',
      url: '/v1/wg',
      headers: auth,
      payload: { name: 'wg2', address: '10.2.0.1/24', listen_port: 51821 },
    });
    expect(samePort.statusCode).toBe(409);
    expect(samePort.json().message).toMatch(/listen_port/);
    expect(
      (await app.inject({ method: 'POST', url: '/v1/wg/wg1/down', headers: auth })).statusCode,
    ).toBe(200);
    const list = (await app.inject({ url: '/v1/wg', headers: auth })).json();
    expect(list.interfaces.find((i: { name: string }) => i.name === 'wg1')).toMatchObject({
      up: false,
      listen_port: 51821,
    });
    expect(
      (await app.inject({ method: 'DELETE', url: '/v1/wg/wg1', headers: auth })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: 'DELETE', url: '/v1/wg/wg1', headers: auth })).statusCode,
    ).toBe(404);
  });

  it('answers a path part too long for the router with its own error shape (414)', async () => {
    const res = await app.inject({
      method: 'DELETE',
      url: `/v1/wg/wg0/peers/${'A'.repeat(300)}`,
      headers: auth,
    });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual({ error: 'uri_too_long', message: 'path: a part is too long' });
  });

  it('serves Prometheus metrics and an OpenAPI document', async () => {
    const key = generateWgKeyPair().publicKey;
    await app.inject({
      method: 'PUT',
      url: `/v1/wg/wg0/peers/${encodeURIComponent(key)}`,
      headers: auth,
      payload: { allowed_ips: ['10.0.0.2/32', 'fd00::2/128'] },
    });
    // A name as prometheus_wireguard_exporter reads it: a comment in the peer's section.
    const conf = join(dir, 'wg0.conf');
    const text = await readFile(conf, 'utf8');
    await writeFile(
      conf,
      text.replace(`PublicKey = ${key}`, `# friendly_name = alice\nPublicKey = ${key}`),
    );
    const metrics = await app.inject({ url: '/v1/metrics', headers: auth });
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.body).toContain(
      `wireguard_received_bytes_total{interface="wg0",public_key="${key}",allowed_ips="10.0.0.2/32,fd00::2/128",friendly_name="alice"} 0`,
    );
    expect(metrics.body).toMatch(
      /^wgfleet_agent_build_info\{version="[^"]+",node_version="[\d.]+"\} 1$/m,
    );
    expect(metrics.body).toContain('wireguard_interface_peers{interface="wg0"} 1');
    expect(metrics.body).toContain('wgfleet_agent_http_requests_total');
    // Public, as the README says (like health): it describes the API, it holds no secret.
    const doc = (await app.inject({ url: '/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/health',
        '/v1/wg',
        '/v1/wg/{interface}/dump',
        '/v1/wg/{interface}/peers/{public_key}',
      ]),
    );
  });
});
