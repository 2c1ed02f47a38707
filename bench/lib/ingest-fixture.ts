import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '../../src/panel/adapters/db/index.js';
import type { ObservedConfiguration } from '../../src/panel/app/sync/ports.js';
import type { DumpPeer } from '../../src/shared/wire/agent-api.js';

/**
 * One simulated node's configuration as the cycles need it: its peers' public keys, 32 bytes each
 * in one buffer (a dump's key strings are made afresh per poll, as a parsed agent answer's are).
 */
export interface DumpSource {
  readonly nodeId: number;
  readonly configurationId: number;
  readonly keys: Buffer;
}

/** A fixture configuration: its dump source and its peers' ids, in key order (for the floor). */
export interface FixtureConfiguration extends DumpSource {
  readonly peerIds: readonly number[];
}

/** Peer `i`'s public key (base64, as `wg show dump` prints it). */
export function publicKeyOf(keys: Buffer, i: number): string {
  return keys.toString('base64', i * 32, i * 32 + 32);
}

/**
 * Fills a migrated database with `nodes` nodes of one configuration each, `peers` peers per
 * configuration; every peer has a traffic limit far above what the benchmark sends (so the policy
 * evaluates all of them and acts on none) and a last raw of 0 (counted from the first dump).
 */
export async function createIngestFixture(
  handle: DatabaseHandle,
  nodes: number,
  peers: number,
): Promise<FixtureConfiguration[]> {
  const out: FixtureConfiguration[] = [];
  for (let n = 0; n < nodes; n++) {
    const nodeId = await handle.insertReturningId('nodes', {
      name: `bench-node-${n}`,
      url: `https://192.0.2.${n + 1}:8787`,
      token: 'bench',
      fingerprint: 'AA',
    });
    const configurationId = await handle.insertReturningId('configurations', {
      node_id: nodeId,
      name: `bench-wg-${n}`,
      interface_name: 'wg0',
      address: '10.0.0.1/16',
      listen_port: 51820,
      public_key: randomBytes(32).toString('base64'),
    });
    const keyBytes = randomBytes(32 * peers);
    const keys = Array.from({ length: peers }, (_, i) => publicKeyOf(keyBytes, i));
    for (let i = 0; i < peers; i += 500) {
      await handle.db
        .insertInto('peers')
        .values(
          keys.slice(i, i + 500).map((public_key, j) => ({
            configuration_id: configurationId,
            public_key,
            name: `peer ${i + j}`,
            allowed_ip: `10.${100 + Math.floor((i + j) / 256)}.${(i + j) % 256}.2/32`,
            traffic_limit: 1n << 50n,
            last_raw_rx: 0n,
            last_raw_tx: 0n,
          })),
        )
        .execute();
    }
    const rows = await handle.db
      .selectFrom('peers')
      .select(['id', 'public_key'])
      .where('configuration_id', '=', configurationId)
      .execute();
    const idOf = new Map(rows.map((r) => [r.public_key, r.id]));
    out.push({
      nodeId,
      configurationId,
      keys: keyBytes,
      peerIds: keys.map((k) => idOf.get(k) as number),
    });
  }
  return out;
}

/**
 * The dump of a configuration at round `round`: every counter has moved since the last one.
 * `totals`: as from an agent with its own ledger (totals in one epoch, above the raw counters as
 * after earlier interface resets).
 */
export function syntheticDump(
  c: DumpSource,
  round: number,
  at: Date,
  totals = false,
): ObservedConfiguration {
  const handshake = Math.floor(at.getTime() / 1000) - 5;
  const peers: DumpPeer[] = Array.from({ length: c.keys.length / 32 }, (_, i) => ({
    public_key: publicKeyOf(c.keys, i),
    endpoint: `198.51.100.${i % 250}:${40000 + (i % 20000)}`,
    allowed_ips: [],
    latest_handshake: handshake,
    transfer_rx: (round + 1) * 1000 + i,
    transfer_tx: (round + 1) * 3000 + i,
    persistent_keepalive: null,
    ...(totals && {
      total_rx: 1_000_000_000 + (round + 1) * 1000 + i,
      total_tx: 2_000_000_000 + (round + 1) * 3000 + i,
    }),
  }));
  return {
    nodeId: c.nodeId,
    configurationId: c.configurationId,
    observedAt: at,
    dump: {
      interface: {
        name: 'wg0',
        public_key: null,
        listen_port: 51820,
        fwmark: null,
        ...(totals && { epoch: 'bench-epoch0' }),
      },
      peers,
    },
  };
}
