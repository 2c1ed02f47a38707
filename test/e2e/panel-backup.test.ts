// Backup and restore of a SQLite panel: `wgfleet panel backup` copies the database of a panel
// process while it runs (polling every second, so writing), `wgfleet panel restore` puts the copy
// in a new data folder, and a panel started on it has the same users, nodes, peers, usage and
// events. Usage is real: a WireGuard client sends through the node before the backup.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  PanelProcess,
  PanelSession,
  connectionOf,
  runCli,
  startNodeAgent,
  waitFor,
  type NodeAgent,
} from '../lab/index.js';
import type { ExecError } from '../lab/exec.js';

const PASSWORD = `backup-${process.pid}-password`;

/** A panel process from source on `dataDir`, signed in as the admin. */
async function startPanel(dataDir: string) {
  const proc = await PanelProcess.start({
    args: ['--data-dir', dataDir],
    env: { WGFLEET_ADMIN_PASSWORD: PASSWORD, WGFLEET_PANEL_POLL_INTERVAL: '1' },
  });
  const session = await PanelSession.signIn(proc.base, PASSWORD);
  return { proc, api: session.api.bind(session), stop: () => proc.stop() };
}

describe('wgfleet panel backup / restore (SQLite)', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let dir = '';
  const panels: Awaited<ReturnType<typeof startPanel>>[] = [];

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-backup-'));
  });
  afterAll(async () => {
    for (const p of panels) await p.stop();
    await lab?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('restores a backup taken while the panel runs, with the same nodes, peers, usage and events', async () => {
    const original = await startPanel(join(dir, 'a'));
    panels.push(original);
    const node = lab.node(1);
    const added = await original.api('POST', '/api/addNode', {
      name: 'n1',
      join: agent.join.raw,
      public_host: node.underlayIp,
    });
    const config = added.adopted[0].ConfigurationName as string;
    const client = lab.client(1);
    const keys = await client.keys();
    const [peer] = await original.api('POST', `/api/addPeers/${config}`, {
      name: 'backed up',
      public_key: keys.publicKey,
      private_key: keys.privateKey,
    });
    await waitFor(
      'the peer on the node',
      async () =>
        (await agent.client.dump(added.adopted[0].interface)).body.peers.some(
          (p) => p.public_key === keys.publicKey,
        ) || undefined,
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const download = await original.api(
      'GET',
      `/api/downloadPeer/${config}?id=${encodeURIComponent(peer.id)}`,
    );
    const { target, options } = connectionOf(download.file as string, node.tunnelSubnet);
    await client.connect(target, options);
    await client.sendUdp(node.tunnelIp(1), 9, 200_000);
    await client.disconnect();
    const info = async (api: typeof original.api) => {
      const data = await api(
        'GET',
        `/api/getWireguardConfigurationInfo?configurationName=${config}`,
      );
      return [...data.configurationPeers, ...data.configurationRestrictedPeers];
    };
    await waitFor(
      'the traffic counted',
      async () => ((await info(original.api))[0]?.cumu_receive > 0 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // A manual restriction: an event, and the peer off the node (its counters stop moving).
    await original.api('POST', `/api/restrictPeers/${config}`, { peers: [peer.id] });

    const snapshot = async (api: typeof original.api) => ({
      nodes: ((await api('GET', '/api/getNodes')) as { id: number; name: string }[]).map((n) => [
        n.id,
        n.name,
      ]),
      peers: (await info(api)).map((p) => [
        p.id,
        p.name,
        p.status,
        p.allowed_ip,
        p.cumu_receive,
        p.cumu_sent,
        p.total_data,
      ]),
      // The restored panel finds the node down (its agent is stopped) and records that itself:
      // what was restored is every other event.
      events: ((await api('GET', '/api/getPeerEvents')).events as { type: string }[]).filter(
        (e) => e.type !== 'node_down' && e.type !== 'node_up',
      ),
    });
    const before = await snapshot(original.api);
    expect(before.peers[0]?.[2]).toBe('restricted');
    expect(JSON.stringify(before.events)).toContain('restricted');

    // The backup while the panel runs; its file is 0600 (node tokens, peer keys), and the secret
    // key that seals them is copied beside it, 0600 too.
    const backup = join(dir, 'backup.db');
    const out = await runCli(null, [
      'panel',
      'backup',
      '--data-dir',
      join(dir, 'a'),
      '--out',
      backup,
    ]);
    expect(out).toContain('Backed up');
    expect(out).toContain(`to ${backup}.key (0600): without it`);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(statSync(`${backup}.key`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${backup}.key`)).toEqual(readFileSync(join(dir, 'a', 'secret.key')));
    // The backup holds the peer's private key and the node's token sealed, not in clear.
    const rawBackup = readFileSync(backup);
    expect(rawBackup.includes(keys.privateKey)).toBe(false);
    expect(rawBackup.includes(agent.join.token)).toBe(false);
    expect(rawBackup.includes('enc:v1:')).toBe(true);
    // Without the key: left out on request, and such a backup alone is refused by restore.
    const keyless = join(dir, 'keyless.db');
    const leftOut = await runCli(null, [
      'panel',
      'backup',
      '--data-dir',
      join(dir, 'a'),
      '--out',
      keyless,
      '--without-key',
    ]);
    expect(leftOut).toMatch(/secret key was left out/);
    expect(existsSync(`${keyless}.key`)).toBe(false);
    expect(original.proc.running).toBe(true);
    const after = await snapshot(original.api);
    await original.stop();
    // The node down: the restored panel cannot change what it restored.
    await agent.process.stop();

    const refused = await runCli(null, [
      'panel',
      'restore',
      '--from',
      keyless,
      '--data-dir',
      join(dir, 'keyless-restored'),
    ]).catch((e: ExecError) => e.stderr);
    expect(refused).toContain(
      'sealed with a secret key, and no key was given: give it with --key FILE',
    );
    expect(refused).toContain(join(dir, 'keyless-restored', 'secret.key'));
    expect(existsSync(join(dir, 'keyless-restored'))).toBe(false);
    const wrongKey = join(dir, 'wrong.key');
    writeFileSync(wrongKey, randomBytes(32), { mode: 0o600 });
    const wrong = await runCli(null, [
      'panel',
      'restore',
      '--from',
      keyless,
      '--key',
      wrongKey,
      '--data-dir',
      join(dir, 'keyless-restored'),
    ]).catch((e: ExecError) => e.stderr);
    expect(wrong).toMatch(/is not the key of .*keyless\.db/);
    expect(existsSync(join(dir, 'keyless-restored'))).toBe(false);

    const restored = join(dir, 'restored');
    const put = await runCli(null, ['panel', 'restore', '--from', backup, '--data-dir', restored]);
    expect(put).toContain(`Put the secret key ${backup}.key at ${join(restored, 'secret.key')}`);
    expect(statSync(restored).mode & 0o777).toBe(0o700);
    expect(statSync(join(restored, 'secret.key')).mode & 0o777).toBe(0o600);
    const again = await runCli(null, [
      'panel',
      'restore',
      '--from',
      backup,
      '--data-dir',
      restored,
    ]).catch((e: ExecError) => e.stderr);
    expect(again).toMatch(/exists: restore into a new data folder/);

    // Another key stops the panel at start, saying so, before it changes anything.
    const wrongStart = await runCli(null, [
      'panel',
      '--data-dir',
      restored,
      '--secret-key-file',
      wrongKey,
      '--listen',
      '127.0.0.1:1',
    ]).catch((e: ExecError) => e.stderr);
    expect(wrongStart).toMatch(/the secret key does not open this database's secrets/);
    expect(wrongStart).not.toContain(readFileSync(wrongKey).toString('base64'));

    const second = await startPanel(restored);
    panels.push(second);
    expect(await snapshot(second.api)).toEqual(after);
    expect(after).toEqual(before);
    // The restored panel opens the sealed keys: the same client config, private key included.
    const again2 = await second.api(
      'GET',
      `/api/downloadPeer/${config}?id=${encodeURIComponent(peer.id)}`,
    );
    expect(again2.file).toBe(download.file);
    expect(again2.file).toContain(`PrivateKey = ${keys.privateKey}`);
  }, 180_000); // nine CLI runs and two panel starts, from source: slow on a busy machine

  it('refuses a file that is not a wgfleet database, and a server database', async () => {
    const bogus = join(dir, 'bogus.db');
    await runCli(null, [
      'agent',
      'init',
      '--state-dir',
      join(dir, 'st'),
      '--listen',
      '127.0.0.1:1',
    ]);
    const notDb = await runCli(null, [
      'panel',
      'restore',
      '--from',
      join(dir, 'st', 'token'),
      '--data-dir',
      join(dir, 'x'),
    ]).catch((e: ExecError) => e.stderr);
    expect(notDb).toMatch(/not a SQLite database|cannot open as SQLite/);
    const missing = await runCli(null, [
      'panel',
      'backup',
      '--data-dir',
      join(dir, 'nothing'),
      '--out',
      bogus,
    ]).catch((e: ExecError) => e.stderr);
    expect(missing).toMatch(/no database at/);
    const server = await runCli(null, [
      'panel',
      'backup',
      '--database',
      'postgres://u@127.0.0.1/db',
      '--out',
      bogus,
    ]).catch((e: ExecError) => e.stderr);
    expect(server).toMatch(/pg_dump/);
    expect(server).toMatch(/copy the secret key file \/\S+\/secret\.key with it/);
  });
});
