import type { TrafficInterval } from '../../domain/vocabulary.js';
import type { PendingSamples } from './samples-ports.js';
import {
  INTERVAL_MS,
  max,
  readWithPending,
  seriesParts,
  seriesRange,
  sumPerBucket,
  type Interval,
} from './usage-series.js';

/** One bucket of one configuration: the bytes of all its peers. */
export interface ConfigurationSampleRow {
  readonly configurationId: number;
  readonly bucketStart: Date;
  readonly rx: bigint;
  readonly tx: bigint;
}

/** The samples tables summed per configuration (the database does the sums). */
export interface ConfigurationSamples {
  /**
   * Sums of the `resolution` series per configuration and bucket over [from, to), by configuration then time;
   * of one configuration when `configurationId` is given.
   */
  configurationSums(
    resolution: TrafficInterval,
    from: Date,
    to: Date,
    configurationId?: number,
  ): Promise<ConfigurationSampleRow[]>;
  /** A stored rollup watermark, or null. */
  watermark(key: string): Promise<Date | null>;
}

/**
 * The traffic series of configurations at a resolution over [from, to) (both widened to whole
 * buckets): stored sums, with the minutes still in memory added, as readSeries does for peers.
 * `configurationIds` are the configurations asked for (one, or every one); buckets without
 * traffic are left out.
 */
export async function readConfigurationSeries(
  store: ConfigurationSamples,
  configurationIds: readonly number[],
  interval: Interval,
  fromIn: Date,
  toIn: Date,
  pending?: PendingSamples,
): Promise<ConfigurationSampleRow[]> {
  const { from, to } = seriesRange(interval, fromIn, toIn);
  const only = configurationIds.length === 1 ? configurationIds[0] : undefined;
  const { stored, fresh } = await readWithPending(
    pending,
    async () => {
      const { parts, minutesFrom } = await seriesParts(store, interval, from, to);
      const rows: ConfigurationSampleRow[] = [];
      for (const [resolution, a, b] of parts)
        rows.push(...(await store.configurationSums(resolution, a, b, only)));
      return { rows, minutesFrom };
    },
    (read, p) =>
      configurationIds.flatMap((configurationId) =>
        p
          .read({ configurationId }, max(from, read.minutesFrom), to)
          .map((r) => ({ configurationId, bucketStart: r.bucketStart, rx: r.rx, tx: r.tx })),
      ),
  );
  const wanted = new Set(configurationIds);
  return sumPerBucket(
    [...stored.rows, ...fresh].filter((r) => wanted.has(r.configurationId)),
    INTERVAL_MS[interval],
    (r) => r.configurationId,
  );
}
