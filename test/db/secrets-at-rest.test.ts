// Secrets at rest on every dialect: node tokens and peer keys written through the repositories
// are stored sealed (no table, no column holds one in clear), read back clear; the start-up pass
// seals clear rows (an older release's) once; another key, or no key file for a sealed database,
// stops the start with nothing written; a sealed value moved to another row does not open.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectDatabase,
  createAesGcmCipher,
  isSealed,
  openDatabase,
  SecretKeyFileError,
  SecretUnreadableError,
  WrongSecretKeyError,
  type DatabaseHandle,
} from '../../src/panel/adapters/db/index.js';
import { createFleetNodesRepo } from '../../src/panel/adapters/db/repos/fleet-nodes-repo.js';
import { createFleetSyncRepo } from '../../src/panel/adapters/db/repos/fleet-sync-repo.js';
import { createPeerStore } from '../../src/panel/adapters/db/repos/peers-store.js';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { DIALECTS_UNDER_TEST, type TestNamespace } from './support/dialects-under-test.js';
import { createConfiguration, createNode, createPeer, uniqueLabel } from './support/fixtures.js';
import { clearSecretsIn, everyStoredValue, type RawValue } from './support/raw-text.js';

const listQuery = {
  status: null,
  search: null,
  sort: 'name',
  order: 'asc',
  limit: 10,
  offset: 0,
} as const;
const token = () => randomBytes(32).toString('base64url');
const generatePresharedKey = () => randomBytes(32).toString('base64');

describe.each(DIALECTS_UNDER_TEST)('secrets at rest on $name', (target) => {
  let namespace: TestNamespace;
  let dir: string;
  let keyFile: string;
  const open: DatabaseHandle[] = [];
  const connect = async (file = keyFile) => {
    const handle = await connectDatabase(namespace.url, { secretKeyFile: file });
    open.push(handle);
    return handle;
  };
  const secrets: string[] = [];

  beforeAll(async () => {
    namespace = await target.createNamespace();
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-secrets-'));
    keyFile = join(dir, 'secret.key');
  });
  afterAll(async () => {
    for (const h of open) await h.close();
    await namespace?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let nodeId = 0;
  let configurationId = 0;
  const peerKeys: { publicKey: string; privateKey: string; psk: string }[] = [];
  const nodeToken = token();

  it('makes the key file at the first start and stores what the repositories write sealed', async () => {
    const handle = await connect();
    expect(handle.secretKey).toMatchObject({ keyFile, created: true, firstSeal: true });
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(keyFile)).length).toBe(32);

    const nodes = createFleetNodesRepo(handle);
    const adopted = await nodes.insertWithInterfaces(
      {
        name: uniqueLabel('node'),
        url: 'https://192.0.2.1:8787',
        token: nodeToken,
        fingerprint: 'ab'.repeat(32),
        publicHost: null,
        agentVersion: 'test',
        rttMs: 1,
        seenAt: new Date(),
      },
      [
        {
          interfaceName: 'wg0',
          address: '10.9.0.1/24',
          listenPort: 51820,
          publicKey: generateWgKeyPair().publicKey,
          mtu: null,
          enabled: true,
          peers: [],
        },
      ],
    );
    nodeId = adopted.id;
    configurationId = adopted.configurations[0]?.id ?? 0;
    const store = createPeerStore(handle);
    for (let i = 0; i < 3; i++) {
      const pair = generateWgKeyPair();
      peerKeys.push({ ...pair, psk: generatePresharedKey() });
    }
    await store.transaction((w) =>
      w.insertPeers(
        peerKeys.map((k, i) => ({
          configuration_id: configurationId,
          public_key: k.publicKey,
          private_key: k.privateKey,
          preshared_key: k.psk,
          allowed_ip: `10.9.0.${i + 2}/32`,
        })),
      ),
    );
    secrets.push(nodeToken, ...peerKeys.flatMap((k) => [k.privateKey, k.psk]));

    const raw = await everyStoredValue(handle, namespace);
    expect(raw.length).toBeGreaterThan(20);
    expect(clearSecretsIn(raw, secrets)).toEqual([]);
    const stored = await handle.db
      .selectFrom('peers')
      .select(['private_key', 'preshared_key'])
      .execute();
    for (const r of stored) {
      expect(r.private_key).toMatch(/^enc:v1:/);
      expect(r.preshared_key).toMatch(/^enc:v1:/);
    }
    const t = await handle.db
      .selectFrom('nodes')
      .select('token')
      .where('id', '=', nodeId)
      .executeTakeFirstOrThrow();
    expect(t.token).toMatch(/^enc:v1:/);

    // Read back clear, through every read that returns them.
    expect((await nodes.credentials(nodeId))?.token).toBe(nodeToken);
    expect((await createFleetSyncRepo(handle, () => new Date()).node(nodeId))?.token).toBe(
      nodeToken,
    );
    for (const k of peerKeys) {
      const peer = await store.peerByKey(configurationId, k.publicKey);
      expect(peer).toMatchObject({ private_key: k.privateKey, preshared_key: k.psk });
    }
    const all = await store.allPeers(configurationId);
    expect(all.map((p) => p.private_key).sort()).toEqual(peerKeys.map((k) => k.privateKey).sort());
    const desired = await createFleetSyncRepo(handle, () => new Date()).desiredPeers(
      configurationId,
    );
    expect(new Map(desired.map((d) => [d.publicKey, d.presharedKey]))).toEqual(
      new Map(peerKeys.map((k) => [k.publicKey, k.psk])),
    );
    // Listings say whether a key is there, from the sealed column, without opening it.
    const listing = await store.listPeers({ ...listQuery, configurationId });
    expect(listing.map((l) => [l.has_private_key, l.has_preshared_key])).toEqual(
      peerKeys.map(() => [true, true]),
    );

    // Counted: listings open nothing; a peer's own read opens its two keys.
    const real = createAesGcmCipher(await readFile(keyFile));
    let opened = 0;
    const counting = openDatabase(namespace.url, {
      secrets: {
        seal: (clear, binding) => real.seal(clear, binding),
        open: (sealed, binding) => (opened++, real.open(sealed, binding)),
      },
    });
    open.push(counting);
    const counted = createPeerStore(counting);
    const query = { ...listQuery, configurationId };
    const refs = await counted.listPeerRefs(query);
    await counted.listPeers(query);
    await counted.peersByIds(
      configurationId,
      refs.map((r) => r.id),
    );
    await counted.totals(configurationId, new Date(0));
    expect(opened).toBe(0);
    await counted.peerByKey(configurationId, peerKeys[0]?.publicKey ?? '');
    expect(opened).toBe(2);
  });

  it('seals a changed key or token, and no longer holds the old one', async () => {
    const handle = await connect();
    expect(handle.secretKey).toMatchObject({ created: false, firstSeal: false });
    const store = createPeerStore(handle);
    const first = peerKeys[0];
    if (!first) throw new Error('no peer');
    const psk = generatePresharedKey();
    const peer = await store.peerByKey(configurationId, first.publicKey);
    await store.transaction((w) => w.updatePeer(peer?.id ?? 0, { preshared_key: psk }));
    const newToken = token();
    await createFleetNodesRepo(handle).update(nodeId, { token: newToken });
    expect((await store.peerByKey(configurationId, first.publicKey))?.preshared_key).toBe(psk);
    expect((await createFleetNodesRepo(handle).credentials(nodeId))?.token).toBe(newToken);
    secrets.push(psk, newToken);
    expect(clearSecretsIn(await everyStoredValue(handle, namespace), secrets)).toEqual([]);
    first.psk = psk;
    // The update restored what the test changed in the fixture: keep the old token for later.
    await createFleetNodesRepo(handle).update(nodeId, { token: nodeToken });
  });

  it('refuses a sealed value moved to another row or column', async () => {
    const handle = await connect();
    const [a, b] = peerKeys;
    if (!a || !b) throw new Error('no peers');
    const rows = await handle.db
      .selectFrom('peers')
      .select(['id', 'public_key', 'private_key', 'preshared_key'])
      .where('configuration_id', '=', configurationId)
      .execute();
    const rowA = rows.find((r) => r.public_key === a.publicKey);
    const rowB = rows.find((r) => r.public_key === b.publicKey);
    const store = createPeerStore(handle);
    try {
      await handle.db
        .updateTable('peers')
        .set({ private_key: rowA?.private_key ?? null })
        .where('id', '=', rowB?.id ?? 0)
        .execute();
      await expect(store.peerByKey(configurationId, b.publicKey)).rejects.toThrow(
        SecretUnreadableError,
      );
      await handle.db
        .updateTable('peers')
        .set({ private_key: rowB?.preshared_key ?? null })
        .where('id', '=', rowB?.id ?? 0)
        .execute();
      const err = await store.peerByKey(configurationId, b.publicKey).catch((e: Error) => e);
      expect(String(err)).toMatch(/peers\.private_key\|\d+\|.* cannot be opened/);
      for (const s of secrets) expect(String(err)).not.toContain(s);
    } finally {
      await handle.db
        .updateTable('peers')
        .set({ private_key: rowB?.private_key ?? null })
        .where('id', '=', rowB?.id ?? 0)
        .execute();
    }
    expect((await store.peerByKey(configurationId, b.publicKey))?.private_key).toBe(b.privateKey);
  });

  it('seals clear rows (an older release wrote them) at start, once', async () => {
    const handle = open[0];
    if (!handle) throw new Error('no handle');
    // Clear rows, as a release without sealing stored them (straight SQL, past the repositories).
    const oldToken = token();
    const oldNode = await createNode(handle, { token: oldToken });
    const oldConfiguration = await createConfiguration(handle, { node_id: oldNode });
    const old = generateWgKeyPair();
    const oldPsk = generatePresharedKey();
    await createPeer(handle, oldConfiguration, {
      public_key: old.publicKey,
      private_key: old.privateKey,
      preshared_key: oldPsk,
    });
    const onlyPsk = generatePresharedKey();
    await createPeer(handle, oldConfiguration, { preshared_key: onlyPsk });
    secrets.push(oldToken, old.privateKey, oldPsk, onlyPsk);
    expect(clearSecretsIn(await everyStoredValue(handle, namespace), secrets).sort()).toEqual(
      ['nodes.token', 'peers.preshared_key', 'peers.preshared_key', 'peers.private_key'].sort(),
    );

    const restarted = await connect();
    expect(restarted.secretKey?.sealed).toEqual({
      peerPrivateKeys: 1,
      peerPresharedKeys: 2,
      nodeTokens: 1,
    });
    const after = await everyStoredValue(restarted, namespace);
    expect(clearSecretsIn(after, secrets)).toEqual([]);
    expect((await createFleetNodesRepo(restarted).credentials(oldNode))?.token).toBe(oldToken);
    expect(
      await createPeerStore(restarted).peerByKey(oldConfiguration, old.publicKey),
    ).toMatchObject({ private_key: old.privateKey, preshared_key: oldPsk });

    // Again: nothing left to seal, nothing rewritten.
    const again = await connect();
    expect(again.secretKey?.sealed).toEqual({
      peerPrivateKeys: 0,
      peerPresharedKeys: 0,
      nodeTokens: 0,
    });
    expect(sealedOf(await everyStoredValue(again, namespace))).toEqual(sealedOf(after));
  });

  it('refuses another key, and a missing key file for a sealed database, changing nothing', async () => {
    const handle = open[0];
    if (!handle) throw new Error('no handle');
    // A clear row waiting to be sealed: a wrong key must not seal it with itself.
    const waiting = token();
    await createNode(handle, { token: waiting });
    secrets.push(waiting);
    const before = await everyStoredValue(handle, namespace);

    const other = join(dir, 'other.key');
    await writeFile(other, randomBytes(32), { mode: 0o600 });
    await expect(connect(other)).rejects.toThrow(WrongSecretKeyError);
    await expect(connect(other)).rejects.toThrow(
      /does not open this database's secrets.*nothing was changed/,
    );

    // Without the key check (deleted), a sealed value still tells the wrong key.
    await handle.db.deleteFrom('settings').where('key', '=', 'secrets.key_check').execute();
    await expect(connect(other)).rejects.toThrow(WrongSecretKeyError);

    const missing = join(dir, 'missing.key');
    const err = await connect(missing).catch((e: Error) => e);
    expect(err).toBeInstanceOf(SecretKeyFileError);
    expect(String(err)).toMatch(/does not exist, but this database holds .* sealed/);
    await expect(stat(missing)).rejects.toMatchObject({ code: 'ENOENT' });

    const after = await everyStoredValue(handle, namespace);
    expect(after.filter((v) => v.table !== 'settings')).toEqual(
      before.filter((v) => v.table !== 'settings'),
    );
    expect(clearSecretsIn(after, [waiting])).toEqual(['nodes.token']);

    // The right key puts the key check back and seals the waiting row.
    const right = await connect();
    expect(right.secretKey).toMatchObject({ firstSeal: true, sealed: { nodeTokens: 1 } });
    expect(clearSecretsIn(await everyStoredValue(right, namespace), secrets)).toEqual([]);
  });

  it('stops on a key file of the wrong length or mode', async () => {
    const short = join(dir, 'short.key');
    await writeFile(short, randomBytes(16), { mode: 0o600 });
    await expect(connect(short)).rejects.toThrow(/holds 16 bytes, a secret key is exactly 32/);
    const readable = join(dir, 'readable.key');
    await writeFile(readable, await readFile(keyFile), { mode: 0o644 });
    await expect(connect(readable)).rejects.toThrow(/mode 0644/);
  });

  it('lets several panels start at once on the same key', async () => {
    const handle = open[0];
    if (!handle) throw new Error('no handle');
    await handle.db.deleteFrom('settings').where('key', '=', 'secrets.key_check').execute();
    await createNode(handle, { token: token() });
    const started = await Promise.all([connect(), connect(), connect()]);
    expect(started.filter((h) => h.secretKey?.firstSeal)).not.toHaveLength(0);
    const sealedNodes = started.map((h) => h.secretKey?.sealed.nodeTokens ?? 0);
    expect(sealedNodes.reduce((a, b) => a + b, 0)).toBe(1);
    const tokens = await handle.db.selectFrom('nodes').select('token').execute();
    expect(tokens.every((r) => isSealed(r.token))).toBe(true);
  });
});

/** The sealed values, where they are. */
function sealedOf(values: readonly RawValue[]) {
  return values.filter((v) => isSealed(v.text)).map((v) => `${v.table}.${v.column}=${v.text}`);
}
