import type { TrafficInterval } from '../../domain/vocabulary.js';

/** One bucket of one peer. */
export interface SampleRow {
  readonly peerId: number;
  readonly bucketStart: Date;
  readonly rx: bigint;
  readonly tx: bigint;
}

/** Which peers a read covers: one peer, or every peer of a configuration. */
export type SampleScope = { readonly peerId: number } | { readonly configurationId: number };

/** Storage of the usage time series: one series per resolution (minute, hour, day). */
export interface SamplesStore {
  /** Rows of the `resolution` series with bucket_start in [from, to), by peer then time. */
  read(resolution: TrafficInterval, scope: SampleScope, from: Date, to: Date): Promise<SampleRow[]>;
  /** Per-peer sums of the `resolution` series over [from, to). */
  sums(resolution: TrafficInterval, from: Date, to: Date): Promise<SampleRow[]>;
  /** Adds rows into the `resolution` series (upsert-add) and stores the watermark `key` = `done`, atomically. */
  addRollup(
    resolution: TrafficInterval,
    rows: readonly SampleRow[],
    key: string,
    done: Date,
  ): Promise<void>;
  /** The earliest bucket of the `resolution` series, or null when empty. */
  earliest(resolution: TrafficInterval): Promise<Date | null>;
  /** A stored watermark (ISO text in `settings`), or null. */
  watermark(key: string): Promise<Date | null>;
  /** Deletes rows with bucket_start < before; returns how many. */
  deleteBefore(resolution: TrafficInterval, before: Date): Promise<number>;
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
