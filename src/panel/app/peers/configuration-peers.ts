import { findConfiguration } from './find-configuration.js';
import type {
  PeerConfiguration,
  PeerListing,
  PeerListQuery,
  PeerSortKey,
  PeerStore,
  PeerTotals,
} from './ports.js';

/** A peer counts as connected while its last handshake is younger than this (WireGuard's 180 s). */
export const CONNECTED_WINDOW_MS = 180_000;

/**
 * Peers read per query when a list is read in batches (an `IN` list this long binds on every
 * dialect), and the largest page read at once.
 */
export const PEER_READ_SIZE = 500;

/**
 * Peers per batch handed on while reading in batches. Small, so each batch's JSON objects and text
 * (~100 kB) die young: handing on 500 at a time, they outlived scavenges and filled the old
 * generation (panel RSS +25–70 MB over 20 answers of 10,000 peers; flat with 100). Reading only
 * 100 per query costs ~30 % more time in queries, hence the two sizes.
 */
export const PEER_BATCH_SIZE = 100;

export interface ConfigurationPeersQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly search: string | null;
  readonly sort: PeerSortKey;
  readonly order: 'asc' | 'desc';
  readonly status: 'active' | 'restricted' | 'all';
}

/**
 * One list of peers: read at once (`rows`, for a page of at most PEER_READ_SIZE) or, for a bigger
 * page, as `batches()` of at most PEER_BATCH_SIZE rows in the list's order (`rows` null).
 */
export interface PeerList {
  readonly rows: PeerListing[] | null;
  batches(): AsyncGenerator<PeerListing[]>;
}

export interface ConfigurationPeers {
  readonly configuration: PeerConfiguration;
  readonly totals: PeerTotals;
  readonly matched: { active: number; restricted: number };
  readonly active: PeerList;
  readonly restricted: PeerList;
}

const EMPTY: PeerList = { rows: [], batches: async function* () {} };

/**
 * Reads a big page as its ids first (one consistent order, one short query), then its rows by id,
 * PEER_READ_SIZE per query, handed on PEER_BATCH_SIZE at a time. Each query is short, so the
 * connection is free between batches however slowly the client reads.
 */
async function batchedList(store: PeerStore, q: PeerListQuery): Promise<PeerList> {
  const ids = await store.listPeerIds(q);
  return {
    rows: null,
    async *batches() {
      for (let i = 0; i < ids.length; i += PEER_READ_SIZE) {
        const slice = ids.slice(i, i + PEER_READ_SIZE);
        const byId = new Map<number, PeerListing>();
        for (const row of await store.peersByIds(q.configurationId, slice)) byId.set(row.id, row);
        let batch: PeerListing[] = [];
        for (const id of slice) {
          const row = byId.get(id);
          // Peers deleted since the ids were read are left out.
          if (!row) continue;
          byId.delete(id);
          batch.push(row);
          if (batch.length === PEER_BATCH_SIZE) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      }
    },
  };
}

/**
 * One page of a configuration's active and restricted peers (each list paged on its own), with
 * totals. A constant number of queries for a page up to PEER_READ_SIZE (lookup, totals,
 * (matches), two pages); a bigger page reads its ids up front and its rows batch by batch, so
 * memory stays flat whatever the size.
 */
export async function configurationPeers(
  deps: { store: PeerStore; now: () => Date },
  configName: string,
  q: ConfigurationPeersQuery,
): Promise<ConfigurationPeers> {
  const configuration = await findConfiguration(deps.store, configName);
  const since = new Date(deps.now().getTime() - CONNECTED_WINDOW_MS);
  const list = async (status: 'active' | 'restricted'): Promise<PeerList> => {
    if (q.status !== 'all' && q.status !== status) return EMPTY;
    const query: PeerListQuery = {
      configurationId: configuration.id,
      status,
      search: q.search,
      sort: q.sort,
      order: q.order,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    };
    if (q.pageSize > PEER_READ_SIZE) return batchedList(deps.store, query);
    const rows = await deps.store.listPeers(query);
    return {
      rows,
      batches: async function* () {
        yield rows;
      },
    };
  };
  const [totals, matched, active, restricted] = await Promise.all([
    deps.store.totals(configuration.id, since),
    q.search ? deps.store.countMatching(configuration.id, q.search) : null,
    list('active'),
    list('restricted'),
  ]);
  return {
    configuration,
    totals,
    matched: matched ?? { active: totals.active, restricted: totals.restricted },
    active,
    restricted,
  };
}
