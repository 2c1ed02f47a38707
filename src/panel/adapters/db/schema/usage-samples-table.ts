import type { Insertable, Selectable } from 'kysely';

/**
 * One bucket of a peer's traffic: the bytes moved during [bucket_start, bucket_start + width).
 * Shared shape of `peer_usage_minute`, `peer_usage_hour` and `peer_usage_day`.
 *
 * Primary key (peer_id, bucket_start), so there is no ever-growing id; indexed by bucket_start for
 * retention deletes. Buckets are aligned in UTC. Rows cascade away with their peer.
 */
export interface UsageSamplesTable {
  /** → peers.id, ON DELETE CASCADE. */
  peer_id: number;
  bucket_start: Date;
  rx: bigint;
  tx: bigint;
}

/** The names of the three usage sample tables, finest first. */
export const USAGE_SAMPLE_TABLES = [
  'peer_usage_minute',
  'peer_usage_hour',
  'peer_usage_day',
] as const;
/** The name of one usage sample table. */
export type UsageSampleTableName = (typeof USAGE_SAMPLE_TABLES)[number];

/** A usage sample as read. */
export type UsageSampleRow = Selectable<UsageSamplesTable>;
/** A usage sample to insert. */
export type UsageSampleInsert = Insertable<UsageSamplesTable>;
