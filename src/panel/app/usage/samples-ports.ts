import type { UsageSampleTableName } from '../../adapters/db/schema/usage-samples-table.js';

/** One bucket of one peer. */
export interface SampleRow {
  readonly peerId: number;
  readonly bucketStart: Date;
  readonly rx: bigint;
  readonly tx: bigint;
}

/** Which peers a read covers: one peer, or every peer of a configuration. */
export type SampleScope = { readonly peerId: number } | { readonly configurationId: number };

/** Storage of the usage time series (peer_usage_minute / _hour / _day). */
export interface SamplesStore {
  /** Rows of `table` with bucket_start in [from, to), by peer then time. */
  read(table: UsageSampleTableName, scope: SampleScope, from: Date, to: Date): Promise<SampleRow[]>;
  /** Per-peer sums of `table` over [from, to). */
  sums(table: UsageSampleTableName, from: Date, to: Date): Promise<SampleRow[]>;
  /** Adds rows into `table` (upsert-add) and stores the watermark `key` = `done`, atomically. */
  addRollup(
    table: UsageSampleTableName,
    rows: readonly SampleRow[],
    key: string,
    done: Date,
  ): Promise<void>;
  /** The earliest bucket in `table`, or null when empty. */
  earliest(table: UsageSampleTableName): Promise<Date | null>;
  /** A stored watermark (ISO text in `settings`), or null. */
  watermark(key: string): Promise<Date | null>;
  /** Deletes rows with bucket_start < before; returns how many. */
  deleteBefore(table: UsageSampleTableName, before: Date): Promise<number>;
}

/** Minute samples not yet written (the current minute: see MinuteBuffer). */
export interface PendingSamples {
  /** Changes whenever rows move between memory and the database. */
  readonly epoch: number;
  /** True while rows are being written (they may already be visible in the database). */
  readonly busy: boolean;
  /** Rows of a scope with bucket_start in [from, to). */
  read(scope: SampleScope, from: Date, to: Date): SampleRow[];
}
