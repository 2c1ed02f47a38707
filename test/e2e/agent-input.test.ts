// Hostile and broken input: no token, bad keys, names with shell metacharacters, oversized or
// malformed bodies. The agent runs with logging wrappers as `wg`/`wg-quick`, which prove that
// nothing bad reached a process; and no answer ever carries a private or preshared key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentClient,
  Lab,
  createWgWrappers,
  generateKeyPair,
  generatePresharedKey,
  seg,
  startNodeAgent,
  type AgentResponse,
  type NodeAgent,
  type WgInterface,
  type WgWrappers,
} from '../lab/index.js';
import { expectError } from './agent-fixture.js';

describe('agent input validation and secrets', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let wrappers: WgWrappers;
  let iface: WgInterface;
  let peerKey = '';
  let psk = '';
  const answers: AgentResponse[] = [];

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 0 });
    iface = await lab.node(1).createWgInterface();
    wrappers = await createWgWrappers(lab.dir);
    agent = await startNodeAgent(lab, lab.node(1), {
      wgBin: wrappers.wg,
      wgQuickBin: wrappers.wgQuick,
    });
    peerKey = (await generateKeyPair()).publicKey;
    psk = await generatePresharedKey();
  });
  afterAll(() => lab?.destroy());

  /** Runs `requests` and asserts that the wrappers logged no new `wg`/`wg-quick` call. */
  async function withoutWg(requests: () => Promise<void>) {
    const before = await wrappers.calls();
    await requests();
    expect(await wrappers.calls()).toEqual(before);
  }
  const keep = <T extends AgentResponse>(r: T) => (answers.push(r), r);

  it('uses the wrappers (the log sees real calls)', async () => {
    const res = await agent.client.dump(iface.name);
    expect(res.status, res.text).toBe(200);
    expect((await wrappers.calls()).some((l) => l.startsWith(`wg show ${iface.name}`))).toBe(true);
  });

  it('answers 401 to a missing or wrong token, on every route but health', async () => {
    const routes: [string, string][] = [
      ['GET', '/v1/wg'],
      ['GET', `/v1/wg/${iface.name}/dump`],
      ['PUT', `/v1/wg/${iface.name}/peers/${seg(peerKey)}`],
      ['DELETE', `/v1/wg/${iface.name}/peers/${seg(peerKey)}`],
      ['POST', '/v1/wg'],
      ['POST', `/v1/wg/${iface.name}/down`],
      ['DELETE', `/v1/wg/${iface.name}`],
      ['GET', '/v1/metrics'],
    ];
    const wrong = `${agent.join.token.slice(0, -2)}xx`;
    await withoutWg(async () => {
      for (const token of [null, wrong, ''])
        for (const [method, path] of routes) {
          const body = method === 'PUT' ? { allowed_ips: ['10.0.0.9/32'] } : undefined;
          const res = keep(await agent.client.withToken(token).request(method, path, { body }));
          expectError(res, 401);
          expect(res.text).not.toContain(agent.join.token);
        }
      const basic = await agent.client.request('GET', '/v1/wg', {
        headers: { authorization: `Basic ${agent.join.token}` },
      });
      expectError(basic, 401);
    });
  });

  it('serves the OpenAPI document without the token, as it serves health', async () => {
    const res = await agent.client.withToken(null).openapi();
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths ?? {})).toContain('/v1/wg/{interface}/dump');
  });

  it('rejects malformed keys with 400 naming the field, spawning nothing', async () => {
    const bad = [
      'not-a-key',
      `${peerKey.slice(0, 42)}B=`,
      '$(id)',
      `${peerKey};reboot`,
      'A'.repeat(44),
    ];
    await withoutWg(async () => {
      for (const key of bad) {
        const put = await agent.client.putPeer(iface.name, key, { allowed_ips: ['10.0.0.9/32'] });
        expectError(keep(put), 400, 'public_key');
        expectError(keep(await agent.client.deletePeer(iface.name, key)), 400, 'public_key');
      }
      const res = await agent.client.putPeer(iface.name, peerKey, {
        allowed_ips: ['10.0.0.9/32'],
        preshared_key: `${psk.slice(0, 20)}!`,
      });
      expectError(keep(res), 400, 'preshared_key');
    });
  });

  it('rejects interface names with shell metacharacters with 400, spawning nothing', async () => {
    const bad = ['wg0;reboot', '$(id)', '`id`', 'a|b', 'x'.repeat(16), '../../etc/passwd', 'wg 0'];
    await withoutWg(async () => {
      for (const name of bad) {
        expectError(keep(await agent.client.dump(name)), 400, 'interface');
        const put = await agent.client.putPeer(name, peerKey, { allowed_ips: ['10.0.0.9/32'] });
        expectError(keep(put), 400, 'interface');
        expectError(keep(await agent.client.up(name)), 400, 'interface');
        const create = await agent.client.createInterface({
          name,
          address: '10.9.0.1/24',
          listen_port: 51830,
        });
        expectError(keep(create), 400, 'name');
      }
    });
  });

  it('rejects bad bodies with 400 naming the field, spawning nothing', async () => {
    const path = `/v1/wg/${iface.name}/peers/${seg(peerKey)}`;
    const put = (body: unknown) => agent.client.request('PUT', path, { body });
    await withoutWg(async () => {
      expectError(keep(await put({})), 400, 'allowed_ips');
      expectError(keep(await put({ allowed_ips: ['10.0.0.300/32'] })), 400, 'allowed_ips');
      expectError(keep(await put({ allowed_ips: ['10.0.0.9/32;reboot'] })), 400, 'allowed_ips');
      expectError(keep(await put({ allowed_ips: [], extra: 1 })), 400, 'extra');
      const ka = { allowed_ips: ['10.0.0.9/32'], persistent_keepalive: -1, preshared_key: psk };
      expectError(keep(await put(ka)), 400, 'persistent_keepalive');
      const ep = { allowed_ips: ['10.0.0.9/32'], endpoint: '$(reboot):1', preshared_key: psk };
      expectError(keep(await put(ep)), 400, 'endpoint');
      expectError(
        keep(await agent.client.request('PUT', path, { rawBody: '{"allowed_ips": [' })),
        400,
      );
      const create = { name: lab.node(1).ifName('q'), address: 'not-a-cidr', listen_port: 51830 };
      expectError(
        keep(await agent.client.request('POST', '/v1/wg', { body: create })),
        400,
        'address',
      );
      const hook = { ...create, address: '10.9.0.1/24', post_up: 'true\nreboot' };
      expectError(keep(await agent.client.request('POST', '/v1/wg', { body: hook })), [400, 403]);
    });
  });

  it('rejects an oversized body (> 64 KiB) with 413 or 400, spawning nothing', async () => {
    const huge = { allowed_ips: ['10.0.0.9/32'], endpoint: `${'a'.repeat(70 * 1024)}:1` };
    await withoutWg(async () => {
      const path = `/v1/wg/${iface.name}/peers/${seg(peerKey)}`;
      expectError(keep(await agent.client.request('PUT', path, { body: huge })), [413, 400]);
    });
  });

  it('answers 404 for an unknown interface with a valid name', async () => {
    expectError(keep(await agent.client.dump(lab.node(1).ifName('zz'))), 404);
  });

  it('answers 502 when wg fails, without repeating what it printed', async () => {
    await wrappers.failWith('wg', `fopen: ${iface.keys.privateKey} ${psk}: Permission denied`);
    try {
      expectError(keep(await agent.client.dump(iface.name)), 502);
      expectError(keep(await agent.client.interfaces()), 502);
    } finally {
      await wrappers.failWith('wg', null);
    }
  });

  it('never puts a private or preshared key in any answer', async () => {
    const put = await agent.client.putPeer(iface.name, peerKey, {
      allowed_ips: ['10.200.1.50/32'],
      preshared_key: psk,
    });
    expect(put.status, put.text).toBe(200);
    answers.push(put, await agent.client.dump(iface.name), await agent.client.interfaces());
    answers.push(await agent.client.metrics(), await agent.client.openapi());
    expect(answers.length).toBeGreaterThan(50);
    for (const r of answers) {
      expect(r.text).not.toContain(iface.keys.privateKey);
      expect(r.text).not.toContain(psk);
      expect(r.text).not.toContain(psk.slice(0, 20));
    }
  });

  it('refuses a client that pins another certificate', async () => {
    const pinsOther = new AgentClient(agent.join.baseUrl, agent.join.token, '0'.repeat(64));
    await expect(pinsOther.interfaces()).rejects.toThrow(/fingerprint/);
  });
});
