import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyedLock } from '../../../agent/app/keyed-lock.js';
import { createCredentials } from '../../../agent/credentials/create-credentials.js';
import type { Credentials } from '../../../agent/credentials/credentials.js';
import { buildAgentApp } from '../../../agent/http/app.js';
import { AgentMetrics } from '../../../agent/http/metrics.js';
import { FakeWg } from '../../../agent/testing/fake-wg.js';
import { createConfStore } from '../../../agent/wg/conf-store.js';
import { generateWgKeyPair } from '../../../shared/keys.js';
import {
  AgentAnswerError,
  AgentClient,
  AgentRequestError,
  AgentUnavailableError,
} from './agent-client.js';

describe('AgentClient over real TLS (agent with an in-memory wg)', () => {
  let creds: Credentials;
  let url: string;
  let dir: string;
  let app: Awaited<ReturnType<typeof buildAgentApp>>;

  beforeAll(async () => {
    creds = await createCredentials(['127.0.0.1']);
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-client-test-'));
    const wg = new FakeWg();
    wg.addInterface('wg0', generateWgKeyPair().privateKey);
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
      token: creds.token,
      version: '1.2.3',
      metrics: new AgentMetrics(),
      logger: pino({ level: 'silent' }),
      https: { key: creds.keyPem, cert: creds.certPem },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    url = `https://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('talks to the agent whose certificate it pinned', async () => {
    const client = new AgentClient({ url, token: creds.token, fingerprint: creds.fingerprint });
    try {
      expect(await client.health()).toEqual({ status: 'ok', version: '1.2.3' });
      const peer = generateWgKeyPair().publicKey;
      await client.putPeer('wg0', peer, { allowed_ips: ['10.0.0.2/32'] });
      const dump = await client.dump('wg0');
      expect(dump.peers.map((p) => p.public_key)).toEqual([peer]);
      await client.deletePeer('wg0', peer);
      expect((await client.dump('wg0')).peers).toEqual([]);
      expect(await client.metrics()).toContain('wireguard_interface_peers');
    } finally {
      await client.close();
    }
  });

  it('refuses an agent presenting another certificate', async () => {
    const client = new AgentClient({ url, token: creds.token, fingerprint: 'ab'.repeat(32) });
    try {
      await expect(client.health()).rejects.toThrow(AgentUnavailableError);
      await expect(client.health()).rejects.toThrow(/fingerprint/);
    } finally {
      await client.close();
    }
  });

  it('reports agent errors with their status and code', async () => {
    const client = new AgentClient({ url, token: 'wrong', fingerprint: creds.fingerprint });
    try {
      const err = await client.interfaces().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AgentRequestError);
      expect(err).toMatchObject({ status: 401, agentCode: 'unauthorized' });
    } finally {
      await client.close();
    }
  });

  it('reports an agent that does not answer as unavailable', async () => {
    const client = new AgentClient({
      url: 'https://127.0.0.1:1',
      token: 't',
      fingerprint: creds.fingerprint,
    });
    try {
      await expect(client.health()).rejects.toThrow(AgentUnavailableError);
    } finally {
      await client.close();
    }
  });

  it('puts allowances and acknowledges cuts on a real agent', async () => {
    const client = new AgentClient({ url, token: creds.token, fingerprint: creds.fingerprint });
    try {
      // This agent runs without a ledger: the calls reach it and its refusal is typed.
      const err = await client
        .putAllowances('wg0', { grace_seconds: 3, peers: [] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AgentRequestError);
    } finally {
      await client.close();
    }
  });

  it('turns a malformed answer into a typed error naming the field, over real TLS', async () => {
    const answers: Record<string, unknown> = {
      '/v1/wg/wg0/dump': {
        interface: { name: 'wg0', public_key: null, listen_port: 1, fwmark: null },
        peers: [0, 1, 2, 3].map((i) => ({
          public_key: `${'A'.repeat(43)}=`,
          endpoint: null,
          allowed_ips: [],
          latest_handshake: null,
          transfer_rx: i === 3 ? 'many' : i,
          transfer_tx: 0,
          persistent_keepalive: null,
        })),
      },
      '/v1/health': { status: 'fine', version: '1' },
    };
    const server = createServer({ key: creds.keyPem, cert: creds.certPem }, (req, res) => {
      const body = req.url === '/v1/wg' ? 'not json' : JSON.stringify(answers[req.url ?? '']);
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const client = new AgentClient({
      url: `https://127.0.0.1:${port}`,
      token: creds.token,
      fingerprint: creds.fingerprint,
    });
    try {
      const dumpErr = await client.dump('wg0').catch((e: unknown) => e);
      expect(dumpErr).toBeInstanceOf(AgentAnswerError);
      expect(dumpErr).toMatchObject({ field: 'peers[3].transfer_rx' });
      expect(await client.health().catch((e: unknown) => e)).toMatchObject({ field: 'status' });
      const list = await client.interfaces().catch((e: unknown) => e);
      expect(list).toMatchObject({ field: '(answer)' });
      expect((list as Error).message).not.toContain(creds.token);
    } finally {
      await client.close();
      await new Promise((r) => server.close(r));
    }
  });
});
