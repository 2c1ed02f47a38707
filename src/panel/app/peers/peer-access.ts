import type { Logger } from 'pino';
import type { PeerRecord } from './peer-record.js';
import { isExpired, isOverLimit } from '../../domain/policy/evaluate.js';
import { conflict, invalidInput, PanelError } from '../errors.js';
import { findConfiguration } from './find-configuration.js';
import type { PeerWrites } from './peer-writes.js';
import type { PeerConfiguration, PeerReader, PeerWriter } from './ports.js';
import { peerKey } from './update-peer.js';

import { MAX_PEERS_PER_REQUEST } from '../../../shared/wire/panel/common.js';

export interface PeerAccessDeps {
  readonly store: PeerReader;
  /** Writes that converge the node (the only way to write peers). */
  readonly writes: PeerWrites;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** How a peer is named in messages and log lines: the seed's `Name (abc123...)`. */
export const peerLabel = (p: Pick<PeerRecord, 'name' | 'public_key'>) =>
  `${p.name || 'Peer'} (${p.public_key.slice(0, 6)}...)`;

/** Parses the `peers` list: keys, no duplicates, at least one. */
function keysOf(peers: readonly string[]): string[] {
  if (peers.length === 0) throw invalidInput('peers', 'name at least one peer');
  if (peers.length > MAX_PEERS_PER_REQUEST)
    throw invalidInput('peers', `at most ${MAX_PEERS_PER_REQUEST} peers per request`);
  return [...new Set(peers.map((p, i) => peerKey(`peers.${i}`, p)))];
}

/** Locks and loads the named peers; a 404 naming every unknown one. */
async function loadAll(w: PeerWriter, configuration: PeerConfiguration, keys: string[]) {
  await w.lockConfiguration(configuration.id);
  const rows = await w.peersByKeys(configuration.id, keys);
  if (rows.length !== keys.length) {
    const found = new Set(rows.map((r) => r.public_key));
    const missing = keys.filter((k) => !found.has(k));
    throw new PanelError(
      'not_found',
      `peer${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(', ')} not found in configuration "${configuration.name}"; nothing changed`,
      missing.join(','),
    );
  }
  return rows;
}

/**
 * Restricts peers by hand (reason `manual`, which policy never lifts): kept in the database with
 * their address and usage, removed from WireGuard by the convergence. All or nothing.
 */
export async function restrictPeers(deps: PeerAccessDeps, configName: string, peers: string[]) {
  const configuration = await findConfiguration(deps.store, configName);
  const keys = keysOf(peers);
  const now = deps.now();
  const { value: changed, message } = await deps.writes.write(configuration, async (w) => {
    const rows = await loadAll(w, configuration, keys);
    const out: PeerRecord[] = [];
    for (const row of rows) {
      if (row.status === 'restricted' && row.restriction_reason === 'manual') continue;
      await w.updatePeer(row.id, {
        status: 'restricted',
        restriction_reason: 'manual',
        restricted_at: row.status === 'restricted' ? row.restricted_at : now,
        updated_at: now,
      });
      await w.addEvent({
        type: 'restricted',
        peer: row,
        configuration,
        message: `Peer ${peerLabel(row)} restricted by hand`,
        data: { reason: 'manual', previous_reason: row.restriction_reason },
        at: now,
      });
      out.push(row);
    }
    return { value: out, nodeSees: out.length > 0 };
  });
  for (const row of changed)
    deps.logger.info(
      { event: 'restricted', configuration: configuration.name, peer: row.public_key },
      `Peer ${peerLabel(row)} restricted by hand`,
    );
  return { count: changed.length, message };
}

/**
 * Gives access back (status active): refused, for the whole request, while a peer is still over
 * its traffic limit or expired. The node re-adds it with counters at zero, so `last_raw_*`
 * start at zero too (usage goes on from where it was).
 */
export async function allowPeers(deps: PeerAccessDeps, configName: string, peers: string[]) {
  const configuration = await findConfiguration(deps.store, configName);
  const keys = keysOf(peers);
  const now = deps.now();
  const { value: changed, message } = await deps.writes.write(configuration, async (w) => {
    const rows = await loadAll(w, configuration, keys);
    for (const row of rows) {
      if (row.status !== 'restricted') continue;
      const usage = row.period_rx + row.period_tx;
      if (isOverLimit(usage, row.traffic_limit))
        throw conflict(
          `Peer ${peerLabel(row)} is still over its traffic limit (${usage} / ${row.traffic_limit} bytes): raise or clear the limit, or reset its usage, first; nothing changed`,
          row.public_key,
        );
      if (isExpired(row.expiry_date, now))
        throw conflict(
          `Peer ${peerLabel(row)} expired at ${row.expiry_date?.toISOString()}: extend or clear its expiry date first; nothing changed`,
          row.public_key,
        );
    }
    const out: PeerRecord[] = [];
    for (const row of rows) {
      if (row.status !== 'restricted') continue;
      await w.updatePeer(row.id, {
        status: 'active',
        restriction_reason: null,
        restricted_at: null,
        last_raw_rx: 0n,
        last_raw_tx: 0n,
        updated_at: now,
      });
      await w.addEvent({
        type: 'restored',
        peer: row,
        configuration,
        message: `Peer ${peerLabel(row)} allowed access by hand`,
        data: { previous_reason: row.restriction_reason, by: 'manual' },
        at: now,
      });
      out.push(row);
    }
    return { value: out, nodeSees: out.length > 0 };
  });
  for (const row of changed)
    deps.logger.info(
      { event: 'restored', configuration: configuration.name, peer: row.public_key },
      `Peer ${peerLabel(row)} allowed access by hand`,
    );
  return { count: changed.length, message };
}

/** Deletes peers (rows and their usage history) and removes them from the node. All or nothing. */
export async function deletePeers(deps: PeerAccessDeps, configName: string, peers: string[]) {
  const configuration = await findConfiguration(deps.store, configName);
  const keys = keysOf(peers);
  const { value: rows, message } = await deps.writes.write(configuration, async (w) => {
    const found = await loadAll(w, configuration, keys);
    // Before the rows go: the events carry the peers as they were.
    const at = deps.now();
    await w.addEvents(
      found.map((row) => ({
        type: 'deleted' as const,
        peer: row,
        configuration,
        message: `Peer ${peerLabel(row)} deleted`,
        data: {},
        at,
      })),
    );
    await w.deletePeers(found.map((r) => r.id));
    return { value: found, nodeSees: true, remove: keys };
  });
  for (const row of rows)
    deps.logger.info(
      { event: 'deleted', configuration: configuration.name, peer: row.public_key },
      `Peer ${peerLabel(row)} deleted`,
    );
  return { count: rows.length, message };
}
