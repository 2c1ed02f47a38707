import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Dump } from '../../../shared/wire/agent-api.js';
import type { FleetAgent } from '../nodes/fleet-agent.js';
import { ConfigurationSync } from './configuration-sync.js';
import type { DumpSink } from './ports.js';
import type { DesiredPeer } from './reconcile-plan.js';
import type { SyncStore } from './sync-store.js';
import { dumpPeer } from './testing/dump-peer.js';
import { config, K, node, notUsed } from './testing/sync-fixtures.js';

/** A node's interface in memory, and a store whose desired peers the test edits. */
function world(desired: DesiredPeer[]) {
  const onNode = new Map<string, string[]>();
  const reads = { desired: 0 };
  const agent = {
    dump: async (): Promise<Dump> => ({
      interface: { name: 'wg0', public_key: K('s'), listen_port: 51820, fwmark: null },
      peers: [...onNode].map(([key, allowed]) => dumpPeer(key, allowed)),
    }),
    putPeer: async (_i: string, key: string, p: { allowed_ips: string[] }) =>
      void onNode.set(key, p.allowed_ips),
    deletePeer: async (_i: string, key: string) => void onNode.delete(key),
    health: notUsed('health'),
    interfaces: notUsed('interfaces'),
    createInterface: notUsed('createInterface'),
    up: notUsed('up'),
    down: notUsed('down'),
    deleteInterface: notUsed('deleteInterface'),
    putAllowances: notUsed('putAllowances'),
    ackEnforcements: notUsed('ackEnforcements'),
  } satisfies FleetAgent;
  const store = {
    configuration: async () => config,
    node: async () => node,
    allowanceInputs: async () => [],
    desiredPeers: async () => {
      reads.desired++;
      return desired.map((d) => ({ ...d }));
    },
    markCountersRestarted: async () => {},
    pendingRemovals: async () => [],
    setPendingRemovals: async () => {},
    nodeIds: notUsed('nodeIds'),
    enabledConfigurationsOfNode: notUsed('enabledConfigurationsOfNode'),
    markNodeOnline: notUsed('markNodeOnline'),
    markNodeOffline: notUsed('markNodeOffline'),
    deletePendingRemovals: notUsed('deletePendingRemovals'),
    setInterfaceStatus: notUsed('setInterfaceStatus'),
  } satisfies SyncStore;
  const sinks: DumpSink[] = [];
  const sync = new ConfigurationSync({
    store,
    agentOf: () => agent,
    consumers: sinks,
    logger: pino({ level: 'silent' }),
    now: () => new Date(),
    pollIntervalMs: () => 1000,
    recheckEvery: 2,
  });
  return { sync, agent, onNode, reads };
}

const peer = (key: string, allowedIp: string, status: DesiredPeer['status'] = 'active') => ({
  publicKey: key,
  allowedIp,
  presharedKey: null,
  status,
  downloadBps: null,
  uploadBps: null,
});

describe('ConfigurationSync on idle polls', () => {
  it('skips reading the desired peers while nothing changed, and compares in full every third poll', async () => {
    const { sync, agent, onNode, reads } = world([peer(K('a'), '10.0.0.2/32')]);
    const poll = () => sync.poll(config, agent);
    await poll(); // puts the peer
    await poll(); // finds it there: settled
    expect([...onNode.keys()]).toEqual([K('a')]);
    expect(reads.desired).toBe(2);
    await poll();
    await poll();
    expect(reads.desired).toBe(2); // two skipped
    await poll();
    expect(reads.desired).toBe(3); // the recheck
  });

  it('compares in full once a change asks to converge, and when the node shows other peers', async () => {
    const desired = [peer(K('a'), '10.0.0.2/32')];
    const { sync, agent, onNode, reads } = world(desired);
    await sync.poll(config, agent);
    await sync.poll(config, agent);
    desired.push(peer(K('b'), '10.0.0.3/32'));
    expect(await sync.converge(config.id)).toEqual({ applied: true });
    expect(onNode.has(K('b'))).toBe(true);
    const before = reads.desired;
    onNode.set(K('c'), ['10.0.0.9/32']); // a peer added by hand: drift, seen at once
    await sync.poll(config, agent);
    expect(reads.desired).toBe(before + 1);
  });

  it('finds a change made behind its back (another process) at the recheck at the latest', async () => {
    const desired = [peer(K('a'), '10.0.0.2/32')];
    const { sync, agent, onNode } = world(desired);
    await sync.poll(config, agent);
    await sync.poll(config, agent);
    desired[0] = peer(K('a'), '10.0.0.2/32', 'restricted');
    await sync.poll(config, agent);
    await sync.poll(config, agent);
    expect(onNode.has(K('a'))).toBe(true); // skipped twice
    await sync.poll(config, agent);
    expect(onNode.has(K('a'))).toBe(false);
  });
});
