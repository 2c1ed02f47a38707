import { sql, type Kysely } from 'kysely';
import type {
  PeerListing,
  PeerListingColumns,
  PeerListQuery,
  PeerRef,
  PeerSortKey,
} from '../../../app/peers/ports.js';
import { ROW_VIEW_HINT } from '../dialects/sqlite-row-view.js';
import type { Database } from '../schema/database.js';

/** The columns the peer JSON reads (never `private_key` / `preshared_key` themselves). */
export const LISTING_COLUMNS = [
  'id',
  'public_key',
  'name',
  'allowed_ip',
  'status',
  'restriction_reason',
  'restricted_at',
  'dns',
  'mtu',
  'keepalive',
  'endpoint_allowed_ip',
  'endpoint',
  'latest_handshake_at',
  'traffic_limit',
  'expiry_date',
  'traffic_warn_threshold',
  'reset_schedule',
  'reset_anchor',
  'download_bps',
  'upload_bps',
  'on_limit',
  'throttle_download_bps',
  'throttle_upload_bps',
  'throttled_at',
  'download_limit',
  'upload_limit',
  'daily_limit',
  'day_rx',
  'day_tx',
  'day_started_at',
  'period_started_at',
  'period_rx',
  'period_tx',
  'lifetime_rx',
  'lifetime_tx',
  'subscriber_id',
  'restricted_by_subscriber',
  'created_at',
] as const satisfies readonly (keyof PeerListingColumns)[];

/** `%text%` for LIKE with `!` as the escape character (the same on every dialect). */
function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Name, public key or addresses contain `search`, case-insensitively. */
export const matchesSearch = (search: string) =>
  sql<boolean>`(lower(name) like ${likePattern(search)} escape '!' or lower(public_key) like ${likePattern(search)} escape '!' or lower(allowed_ip) like ${likePattern(search)} escape '!')`;

const SORT_EXPR: Record<PeerSortKey, ReturnType<typeof sql>> = {
  // Natural order (`user 2` before `user 10`), case-insensitive: see domain/name-sort-key.ts.
  name: sql`name_sort_key`,
  allowed_ip: sql`allowed_ip`,
  usage: sql`period_rx + period_tx`,
  created_at: sql`created_at`,
  latest_handshake: sql`latest_handshake_at`,
};

/** A flag computed by the database: boolean, 0/1 or 0n/1n depending on the dialect. */
const flag = (v: unknown) => v === true || v === 1 || v === 1n || v === '1';

type RawListing = PeerListingColumns & { has_private_key: unknown; has_preshared_key: unknown };

/** Turns the database's flags into booleans, in place (no copy of big lists; views too). */
function toListings(rows: RawListing[]): PeerListing[] {
  for (const r of rows) {
    r.has_private_key = flag(r.has_private_key);
    r.has_preshared_key = flag(r.has_preshared_key);
  }
  return rows as PeerListing[];
}

/** Reads of peer lists: pages of listings, their refs, listings by id. */
export function peerListing(db: Kysely<Database>) {
  const flags = [
    sql<unknown>`private_key is not null`.as('has_private_key'),
    sql<unknown>`preshared_key is not null`.as('has_preshared_key'),
  ] as const;

  const filtered = (q: PeerListQuery) => {
    const dir = q.order === 'desc' ? sql`desc` : sql`asc`;
    let r = db.selectFrom('peers').where('configuration_id', '=', q.configurationId);
    if (q.status) r = r.where('status', '=', q.status);
    if (q.search) r = r.where(matchesSearch(q.search));
    if (q.subscriberId != null) r = r.where('subscriber_id', '=', q.subscriberId);
    return r
      .orderBy(sql`${SORT_EXPR[q.sort]} ${dir}`)
      .orderBy('id', q.order)
      .limit(q.limit)
      .offset(q.offset);
  };

  return {
    async listPeers(q: PeerListQuery): Promise<PeerListing[]> {
      const rows = await filtered(q)
        .select([...LISTING_COLUMNS, ...flags])
        .execute();
      return toListings(rows);
    },

    async listPeerRefs(q: PeerListQuery): Promise<PeerRef[]> {
      const rows = await filtered(q).select(['id', 'public_key', 'status']).execute();
      return rows.map((r) => ({ id: r.id, publicKey: r.public_key, status: r.status }));
    },

    async peersByIds(configurationId: number, ids: readonly number[]): Promise<PeerListing[]> {
      if (ids.length === 0) return [];
      // By primary key alone: with `configuration_id = ?` too, SQLite walks the configuration's
      // index (every peer of it) for each batch instead of looking the ids up. The configuration
      // is checked here instead. Rows read once, field by field (the streamed listing): views on
      // SQLite (see ROW_VIEW_HINT).
      const rows = await db
        .selectFrom('peers')
        .select([...LISTING_COLUMNS, 'configuration_id', ...flags])
        .where('id', 'in', ids)
        .modifyEnd(sql.raw(ROW_VIEW_HINT))
        .execute();
      return toListings(rows.filter((r) => r.configuration_id === configurationId));
    },
  };
}
