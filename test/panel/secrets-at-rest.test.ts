// Secrets at rest through the whole panel, on every dialect: a node joined and peers added with
// their private and preshared keys through the API are stored sealed (a raw read of every table
// finds none of them, nor the node's token), and the panel still works with them: the agent is
// called with the right token (the real agent app refuses any other), it receives the right
// preshared keys, and downloadPeer answers the right private key. The API key, session and password
// are stored as hashes only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair, wgPublicKey } from '../../src/shared/keys.js';
import { randomBytes } from 'node:crypto';
import { DIALECTS_UNDER_TEST, type TestNamespace } from '../db/support/dialects-under-test.js';
import { clearSecretsIn, everyStoredValue } from '../db/support/raw-text.js';
import { waitFor } from '../support/wait-for.js';
import { FakeAgent } from './support/fleet-fake-agent.js';
import { ADMIN, usePanel } from './support/panel-under-test.js';

describe.each(DIALECTS_UNDER_TEST)('secrets at rest through the panel on $name', (dialect) => {
  const get = usePanel(dialect);
  let agent: FakeAgent;
  beforeAll(async () => {
    agent = await FakeAgent.start();
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
  });
  afterAll(() => agent?.destroy());

  const post = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
  const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });

  it('stores the node token and the peer keys sealed, and uses them clear', async () => {
    const joined = await post('/api/addNode', { name: 'sealed', join: agent.join });
    expect(joined.statusCode, joined.body).toBe(200);
    const config = joined.json().data.adopted[0].ConfigurationName as string;

    const given = generateWgKeyPair();
    const givenPsk = randomBytes(32).toString('base64');
    const one = await post(`/api/addPeers/${config}`, {
      name: 'given keys',
      private_key: given.privateKey,
      preshared_key: givenPsk,
    });
    expect(one.statusCode, one.body).toBe(200);
    const bulk = await post(`/api/addPeers/${config}`, {
      bulkAdd: true,
      bulkAddAmount: 3,
      preshared_key_bulkAdd: true,
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    const ids = [given.publicKey, ...bulk.json().data.map((p: { id: string }) => p.id)];

    // The agent (token checked on every call) got every peer, with its preshared key.
    const onNode = await waitFor('the peers on the node', () => {
      const peers = agent.wg.ifaces.get('wg0')?.peers;
      return ids.every((id) => peers?.has(id)) ? peers : undefined;
    });
    expect(onNode.get(given.publicKey)?.presharedKey).toBe(givenPsk);
    const node = (await fetch('/api/getNodes')).json().data[0];
    expect(node).toMatchObject({ name: 'sealed', status: 'online' });

    // Each download answers the private key of its peer; the node's copy has the same PSK.
    const secrets = [agent.creds.token];
    for (const id of ids) {
      const res = await fetch(`/api/downloadPeer/${config}?id=${encodeURIComponent(id)}`);
      expect(res.statusCode, res.body).toBe(200);
      const file = res.json().data.file as string;
      const privateKey = /^PrivateKey = (\S+)$/m.exec(file)?.[1] ?? '';
      const psk = /^PresharedKey = (\S+)$/m.exec(file)?.[1] ?? '';
      expect(wgPublicKey(privateKey)).toBe(id);
      expect(psk).toBe(onNode.get(id)?.presharedKey);
      if (id === given.publicKey) expect([privateKey, psk]).toEqual([given.privateKey, givenPsk]);
      secrets.push(privateKey, psk);
    }
    expect(new Set(secrets).size).toBe(1 + 2 * ids.length);

    const namespace: TestNamespace = {
      url: get().ctx.config.databaseUrl,
      schema: new URL(get().ctx.config.databaseUrl).searchParams.get('schema') ?? undefined,
      drop: () => Promise.resolve(),
    };
    const raw = await everyStoredValue(get().database, namespace);
    expect(raw.some((v) => v.table === 'peers' && v.column === 'private_key')).toBe(true);
    expect(clearSecretsIn(raw, secrets)).toEqual([]);
    // What the panel never needs back is only hashed: the API key, a session, the password.
    const signIn = await get().panel.app.inject({
      method: 'POST',
      url: '/api/authenticate',
      payload: ADMIN,
    });
    const session = signIn.cookies.find((c) => c.name === 'wgfleet_session')?.value ?? '';
    expect(session.length).toBeGreaterThan(20);
    const hashedOnly = [get().apiKey, session, ADMIN.password];
    expect(clearSecretsIn(await everyStoredValue(get().database, namespace), hashedOnly)).toEqual(
      [],
    );

    // Listings say a key is there without reading it; a poll still reaches the node.
    const info = await fetch(`/api/getWireguardConfigurationInfo?configurationName=${config}`);
    const listed = info.json().data.configurationPeers as { has_private_key: boolean }[];
    expect(listed.map((p) => p.has_private_key)).toEqual([true, true, true, true]);
    for (const s of secrets) expect(info.body).not.toContain(s);
  });
});
