import type { PeerTrafficJson } from '../api/types';

/** Width of a bucket of each interval, ms. */
export const STEP = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** One bucket of a series with its start (ms since the epoch). */
export interface Bucket {
  readonly time: number;
  rx: number;
  tx: number;
}

/**
 * Every bucket of a series' span (at most `limit`), the empty ones included: the panel leaves
 * buckets without traffic out of its answers.
 */
export function fillBuckets(traffic: PeerTrafficJson, limit = 500): Bucket[] {
  const step = STEP[traffic.interval];
  const start = Math.floor(Date.parse(traffic.from) / step) * step;
  const count = Math.min(limit, Math.max(1, Math.ceil((Date.parse(traffic.to) - start) / step)));
  const out = Array.from({ length: count }, (_, i) => ({ time: start + i * step, rx: 0, tx: 0 }));
  for (const p of traffic.series) {
    const b = out[Math.floor((Date.parse(p.time) - start) / step)];
    if (b) {
      b.rx += p.rx;
      b.tx += p.tx;
    }
  }
  return out;
}
