import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AllowancesPut, Dump, Enforcement } from '../../../shared/wire/agent-api.js';
import type { AllowanceInput } from '../../domain/allowances.js';
import type { FleetAgent } from '../nodes/fleet-agent.js';
import { ConfigurationSync } from './configuration-sync.js';
import type { AgentCutSink, ObservedCuts } from './ports.js';
import type { DesiredPeer } from './reconcile-plan.js';
import type { SyncStore } from './sync-store.js';
import { dumpPeer } from './testing/dump-peer.js';
import { config, K, node, notUsed } from './testing/sync-fixtures.js';

const cutOf = (key: string, id: string): Enforcement => ({
  id,
  public_key: key,
  at: '2026-01-01T00:00:00.000Z',
  reason: 'traffic_limit',
  total_rx: 10,
  total_tx: 10,
  epoch: 'ep',
  used_bytes: 20,
  remaining_bytes: 5,
  expires_at: null,
});
const limited = (key: string): AllowanceInput => ({
  public_key: key,
  status: 'active',
  traffic_limit: 1000n,
  period_rx: 100n,
  period_tx: 0n,
  expiry_date: null,
  last_total_rx: 100n,
  last_total_tx: 0n,
  totals_epoch: 'ep',
});

/** A node with a ledger (epoch, enforcements), and a database the cut sink edits. */
function world() {
  const desired = new Map<string, DesiredPeer>();
  const onNode = new Map<string, string[]>();
  const cuts: Enforcement[] = [];
  const calls: string[] = [];
  const puts: AllowancesPut[] = [];
  const failAck = { times: 0 };
  const inputs: AllowanceInput[] = [];
  let epoch = 'ep';
  const agent = {
    dump: async (): Promise<Dump> => {
      calls.push('dump');
      return {
        interface: { name: 'wg0', public_key: K('s'), listen_port: 51820, fwmark: null, epoch },
        peers: [...onNode].map(([key, allowed]) => dumpPeer(key, allowed)),
        enforcements: [...cuts],
      };
    },
    putPeer: async (_i: string, key: string, p: { allowed_ips: string[] }) => {
      calls.push(`put ${key.slice(0, 1)}`);
      onNode.set(key, p.allowed_ips);
    },
    deletePeer: async (_i: string, key: string) => {
      calls.push(`delete ${key.slice(0, 1)}`);
      onNode.delete(key);
    },
    putAllowances: async (_i: string, body: AllowancesPut) => {
      calls.push('allowances');
      puts.push(body);
    },
    ackEnforcements: async (_i: string, ids: readonly string[]) => {
      calls.push(`ack ${ids.join(',')}`);
      if (failAck.times > 0) {
        failAck.times--;
        // As the agent client reports an error status (see agentFailure).
        throw Object.assign(new Error('disk full'), {
          code: 'AGENT_REQUEST_FAILED',
          status: 500,
          agentCode: 'internal',
        });
      }
      for (const id of ids) {
        const i = cuts.findIndex((c) => c.id === id);
        if (i >= 0) cuts.splice(i, 1);
      }
    },
    health: notUsed('health'),
    interfaces: notUsed('interfaces'),
    createInterface: notUsed('createInterface'),
    up: notUsed('up'),
    down: notUsed('down'),
    deleteInterface: notUsed('deleteInterface'),
  } satisfies FleetAgent;
  const store = {
    configuration: async () => config,
    node: async () => node,
    desiredPeers: async () => [...desired.values()].map((d) => ({ ...d })),
    allowanceInputs: async () =>
      inputs.filter((i) => desired.get(i.public_key)?.status === 'active'),
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
  const recorded = new Set<string>();
  const sinkLog: string[] = [];
  const sink: AgentCutSink = {
    async record(o: ObservedCuts) {
      let changed = false;
      for (const c of o.cuts) {
        if (recorded.has(c.id)) continue;
        recorded.add(c.id);
        sinkLog.push(`record ${c.id}`);
        const d = desired.get(c.public_key);
        if (d) desired.set(c.public_key, { ...d, status: 'restricted' });
        changed = true;
      }
      return { changed };
    },
    async acknowledged() {
      sinkLog.push('acknowledged');
      recorded.clear();
    },
  };
  const sync = new ConfigurationSync({
    store,
    agentOf: () => agent,
    consumers: [],
    cuts: [sink],
    logger: pino({ level: 'silent' }),
    now: () => new Date(),
    pollIntervalMs: () => 2000,
    recheckEvery: 2,
  });
  const add = (key: string, ip: string) =>
    desired.set(key, {
      publicKey: key,
      allowedIp: ip,
      presharedKey: null,
      status: 'active',
      downloadBps: null,
      uploadBps: null,
    });
  return {
    sync,
    agent,
    onNode,
    cuts,
    calls,
    puts,
    failAck,
    inputs,
    sinkLog,
    recorded,
    add,
    setEpoch: (e: string) => (epoch = e),
  };
}

describe('ConfigurationSync and the node ledger', () => {
  it('records the cuts before the reconcile (the cut peer is not put back), then acknowledges them', async () => {
    const w = world();
    w.add(K('a'), '10.0.0.2/32');
    await w.sync.poll(config, w.agent); // puts the peer; drops ids kept from before a start
    expect(w.onNode.has(K('a'))).toBe(true);
    w.sinkLog.length = 0;
    // The node cut it while the panel was away.
    w.onNode.delete(K('a'));
    w.cuts.push(cutOf(K('a'), 'c1'));
    w.calls.length = 0;
    await w.sync.poll(config, w.agent);
    expect(w.onNode.has(K('a'))).toBe(false);
    expect(w.calls.filter((c) => !c.startsWith('allowances'))).toEqual(['dump', 'ack c1']);
    expect(w.sinkLog).toEqual(['record c1', 'acknowledged']);
    expect(w.cuts).toEqual([]);
  });

  it('a lost acknowledgement: the record comes again, is acknowledged again, recorded once', async () => {
    const w = world();
    w.add(K('a'), '10.0.0.2/32');
    w.cuts.push(cutOf(K('a'), 'c1'));
    w.failAck.times = 1;
    await w.sync.poll(config, w.agent); // recorded, the ack fails: the poll goes on
    expect(w.cuts).toHaveLength(1);
    await w.sync.poll(config, w.agent);
    expect(w.sinkLog).toEqual(['record c1', 'acknowledged']);
    expect(w.calls.filter((c) => c.startsWith('ack'))).toEqual(['ack c1', 'ack c1']);
    expect(w.onNode.has(K('a'))).toBe(false);
  });

  it('a dump without cuts drops the ids recorded earlier, once (after a start or a failed ack)', async () => {
    const w = world();
    await w.sync.poll(config, w.agent);
    await w.sync.poll(config, w.agent);
    expect(w.sinkLog).toEqual(['acknowledged']);
  });

  it('hands allowances after the reconcile, again only when touched, the epoch moved, or at the recheck', async () => {
    const w = world();
    w.add(K('a'), '10.0.0.2/32');
    w.inputs.push(limited(K('a')));
    await w.sync.poll(config, w.agent);
    expect(w.calls).toEqual(['dump', 'put a', 'allowances']);
    expect(w.puts[0]).toEqual({
      grace_seconds: 6,
      epoch: 'ep',
      peers: [{ public_key: K('a'), remaining_bytes: 900, base_total: 100, expires_at: null }],
    });
    await w.sync.poll(config, w.agent);
    await w.sync.poll(config, w.agent);
    expect(w.puts).toHaveLength(1); // two skipped
    await w.sync.poll(config, w.agent);
    expect(w.puts).toHaveLength(2); // the recheck
    await w.sync.converge(config.id); // a change: handed at once
    expect(w.puts).toHaveLength(3);
    w.setEpoch('ep2'); // the node's totals restarted: handed at once, without base_total
    await w.sync.poll(config, w.agent);
    expect(w.puts).toHaveLength(4);
    expect(w.puts[3]).toMatchObject({ epoch: 'ep2', peers: [{ remaining_bytes: 900 }] });
    expect(w.puts[3]!.peers[0]).not.toHaveProperty('base_total');
  });

  it('a peer the node cut leaves the allowances handed in the same poll', async () => {
    const w = world();
    w.add(K('a'), '10.0.0.2/32');
    w.inputs.push(limited(K('a')));
    await w.sync.poll(config, w.agent);
    w.onNode.delete(K('a'));
    w.cuts.push(cutOf(K('a'), 'c1'));
    await w.sync.poll(config, w.agent);
    expect(w.puts.at(-1)?.peers).toEqual([]);
  });
});
