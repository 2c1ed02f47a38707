import { findConfiguration } from './find-configuration.js';
import type {
  PeerConfiguration,
  PeerListing,
  PeerListQuery,
  PeerRef,
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
  /** Only this subscriber's peers; null: every peer. */
  readonly subscriberId: number | null;
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
  /** The page's active peers, in the page's order. */
  readonly active: PeerList;
  /** The page's restricted peers, in the page's order. */
  readonly restricted: PeerList;
  /** Public keys of the page's peers (both lists), in the sort order. */
  readonly order: string[];
}

const readList = (rows: PeerListing[]): PeerList => ({
  rows,
  batches: async function* () {
    yield rows;
  },
});

/**
 * Reads a big page's rows by id, PEER_READ_SIZE per query, handed on PEER_BATCH_SIZE at a time in
 * the order of `ids`. Each query is short, so the connection is free between batches however
 * slowly the client reads.
 */
function batchedList(store: PeerStore, configurationId: number, ids: readonly number[]): PeerList {
  return {
    rows: null,
    async *batches() {
      for (let i = 0; i < ids.length; i += PEER_READ_SIZE) {
        const slice = ids.slice(i, i + PEER_READ_SIZE);
        const byId = new Map<number, PeerListing>();
        for (const row of await store.peersByIds(configurationId, slice)) byId.set(row.id, row);
        let batch: PeerListing[] = [];
        for (const id of slice) {
          const row = byId.get(id);
          // Peers deleted since the refs were read are left out.
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
 * One page of peers of every status asked for, sorted together, then split by status. A page up
 * to PEER_READ_SIZE is read at once; a bigger one reads its refs first (one consistent order, one
 * short query), then its rows batch by batch, so memory stays flat whatever the size.
 */
async function readPage(
  store: PeerStore,
  query: PeerListQuery,
): Promise<Pick<ConfigurationPeers, 'active' | 'restricted' | 'order'>> {
  if (query.limit > PEER_READ_SIZE) {
    const refs = await store.listPeerRefs(query);
    const ids = (status: PeerRef['status']) =>
      refs.filter((r) => r.status === status).map((r) => r.id);
    return {
      active: batchedList(store, query.configurationId, ids('active')),
      restricted: batchedList(store, query.configurationId, ids('restricted')),
      order: refs.map((r) => r.publicKey),
    };
  }
  const rows = await store.listPeers(query);
  return {
    active: readList(rows.filter((r) => r.status === 'active')),
    restricted: readList(rows.filter((r) => r.status === 'restricted')),
    order: rows.map((r) => r.public_key),
  };
}

/**
 * One page of a configuration's peers, with totals. A page holds at most `pageSize` peers of
 * every status asked for together, in one sort order; the answer splits them into active and
 * restricted lists (WGDashboard's shape) and keeps their order in `order`. A constant number of
 * queries (lookup, totals, (matches), the page or its refs).
 */
export async function configurationPeers(
  deps: { store: PeerStore; now: () => Date },
  configName: string,
  q: ConfigurationPeersQuery,
): Promise<ConfigurationPeers> {
  const configuration = await findConfiguration(deps.store, configName);
  const since = new Date(deps.now().getTime() - CONNECTED_WINDOW_MS);
  const [totals, matched, page] = await Promise.all([
    deps.store.totals(configuration.id, since),
    q.search || q.subscriberId !== null
      ? deps.store.countMatching(configuration.id, {
          search: q.search,
          subscriberId: q.subscriberId,
        })
      : null,
    readPage(deps.store, {
      configurationId: configuration.id,
      status: q.status === 'all' ? null : q.status,
      search: q.search,
      subscriberId: q.subscriberId,
      sort: q.sort,
      order: q.order,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    }),
  ]);
  return {
    configuration,
    // A stopped interface has no peer connected, however recent a handshake.
    totals: configuration.enabled ? totals : { ...totals, connected: 0 },
    matched: matched ?? { active: totals.active, restricted: totals.restricted },
    ...page,
  };
}
