/** True when the usage has reached the limit (a limit of 0 is reached at once). */
export function isOverLimit(usage: bigint, limit: bigint | null): boolean {
  return limit !== null && usage >= limit;
}

/** True when usage is at or above `threshold` percent of the limit. */
export function isAtThreshold(usage: bigint, limit: bigint | null, threshold: number): boolean {
  return limit !== null && usage * 100n >= limit * BigInt(threshold);
}

/** Usage in percent of the limit, one decimal; null without a limit. */
export function usagePercent(usage: bigint, limit: bigint | null): number | null {
  if (limit === null) return null;
  if (limit === 0n) return 100;
  return Number((usage * 1000n) / limit) / 10;
}
