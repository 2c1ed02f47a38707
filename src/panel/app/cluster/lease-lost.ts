import type { Fence } from './ports.js';

/**
 * A write for a leased resource was refused: the writer's lease expired or another panel took
 * it (a newer fencing token), e.g. a panel that was paused past its lease and woke up with a poll
 * half done. Nothing of that transaction is written; the new holder polls the node itself.
 */
export class LeaseLostError extends Error {
  constructor(readonly fence: Fence) {
    super(`write refused: the lease on ${fence.resource} (token ${fence.token}) is no longer held`);
    this.name = 'LeaseLostError';
  }
}

/** True for a LeaseLostError, also one wrapped by a consumer. */
export function isLeaseLost(e: unknown): e is LeaseLostError {
  return e instanceof LeaseLostError;
}
