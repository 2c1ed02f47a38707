/** Longest wait between two attempts at a node that does not answer. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * How long to wait before polling a node again after `failures` failed polls in a row: the poll
 * interval after the first, then doubling, up to `capMs`.
 */
export function backoffDelay(failures: number, intervalMs: number, capMs = MAX_BACKOFF_MS): number {
  if (failures <= 0) return intervalMs;
  const exp = Math.min(failures - 1, 30);
  return Math.max(intervalMs, Math.min(capMs, intervalMs * 2 ** exp));
}
