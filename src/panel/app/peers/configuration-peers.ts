import type { PeerRow } from '../../adapters/db/index.js';
import { findConfiguration } from './find-configuration.js';
import type { PeerConfiguration, PeerSortKey, PeerStore, PeerTotals } from './ports.js';

/** A peer counts as connected while its last handshake is younger than this (WireGuard's 180 s). */
export const CONNECTED_WINDOW_MS = 180_000;

export interface ConfigurationPeersQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly search: string | null;
  readonly sort: PeerSortKey;
  readonly order: 'asc' | 'desc';
  readonly status: 'active' | 'restricted' | 'all';
}

export interface ConfigurationPeers {
  readonly configuration: PeerConfiguration;
  readonly totals: PeerTotals;
  readonly matched: { active: number; restricted: number };
  readonly active: PeerRow[];
  readonly restricted: PeerRow[];
}

/**
 * One page of a configuration's active and restricted peers (each list paged on its own), with
 * totals. A constant number of queries whatever the size: lookup, totals, (matches), two pages.
 */
export async function configurationPeers(
  deps: { store: PeerStore; now: () => Date },
  configName: string,
  q: ConfigurationPeersQuery,
): Promise<ConfigurationPeers> {
  const configuration = await findConfiguration(deps.store, configName);
  const since = new Date(deps.now().getTime() - CONNECTED_WINDOW_MS);
  const page = (status: 'active' | 'restricted') =>
    q.status === 'all' || q.status === status
      ? deps.store.listPeers({
          configurationId: configuration.id,
          status,
          search: q.search,
          sort: q.sort,
          order: q.order,
          limit: q.pageSize,
          offset: (q.page - 1) * q.pageSize,
        })
      : Promise.resolve([]);
  const [totals, matched, active, restricted] = await Promise.all([
    deps.store.totals(configuration.id, since),
    q.search ? deps.store.countMatching(configuration.id, q.search) : null,
    page('active'),
    page('restricted'),
  ]);
  return {
    configuration,
    totals,
    matched: matched ?? { active: totals.active, restricted: totals.restricted },
    active,
    restricted,
  };
}
