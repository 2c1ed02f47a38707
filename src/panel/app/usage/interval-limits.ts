/**
 * Ranges of the poll and enforcement intervals, seconds, for the start flags and the saved
 * settings alike (no imports: the CLI reads it before it knows which command runs). Polls: 1 s for
 * a lab, an hour at most, or a node's outage goes unseen that long. Enforcement: at least 5 s (a
 * pass reads every peer with a limit, expiry or schedule; traffic is enforced after each poll
 * anyway), at most the hour.
 */
export const INTERVAL_LIMITS = {
  poll_interval_seconds: { min: 1, max: 3600 },
  enforcement_interval_seconds: { min: 5, max: 3600 },
} as const;

/** The enforcement interval when neither a flag nor a saved setting gives one, seconds. */
export const DEFAULT_ENFORCEMENT_INTERVAL_SECONDS = 30;
