import { isAtThreshold, isOverLimit } from '../../domain/policy/evaluate.js';
import type { SubscriberPolicyRow } from './subscriber-row.js';

/** What the ingest keeps of one subscriber between polls. */
interface Estimate {
  usage: bigint;
  limit: bigint | null;
  threshold: number;
  warned: boolean;
  /** active or on hold (its peers may move); false once restricted. */
  open: boolean;
  onHold: boolean;
  /**
   * A download, upload or daily limit, or throttled: decided at every poll that moves it (the
   * estimate keeps only the period's total, as the peers' ledger cache does).
   */
  granular: boolean;
  /** The add counter at this estimate's last add. */
  lastAdd: number;
}

/**
 * Each subscriber's usage across every node as the ingest last knew it, so the ingest of one node
 * sees the subscriber's total without summing its peers on other nodes (or writing a row per
 * subscriber) on every poll: a poll adds its bytes after its commit and asks only whether the
 * subscriber may cross now (limit, threshold, first handshake while on hold). Only an
 * accelerator: every decision reads the sum again with the subscriber locked, and every decision,
 * tick and load sets the estimate to what it read. A read that raced with bytes added meanwhile
 * never lowers the estimate (an estimate too high costs one more read, too low a late cut).
 */
export class SubscriberEstimates {
  readonly #entries = new Map<number, Estimate>();
  #adds = 0;

  /** The add counter: pass it to `set` for a read begun now. */
  mark(): number {
    return this.#adds;
  }

  /**
   * Adds bytes of a poll (after its commit). Answers `unknown` (no estimate: load it), or whether
   * the subscriber must be decided now. `handshake`: a peer of it handshook in this poll.
   */
  add(id: number, bytes: bigint, handshake: boolean): 'unknown' | boolean {
    const e = this.#entries.get(id);
    if (!e) return 'unknown';
    this.#adds++;
    e.lastAdd = this.#adds;
    if (bytes !== 0n) e.usage += bytes;
    return mayDecide(e, handshake, bytes !== 0n);
  }

  /** The estimate from a read begun at `mark`; answers whether it may be decided now. */
  set(row: SubscriberPolicyRow, mark: number, handshake = false): boolean {
    const usage = row.usage_rx + row.usage_tx;
    const old = this.#entries.get(row.id);
    const raced = old !== undefined && old.lastAdd > mark;
    const e: Estimate = {
      usage: raced && old.usage > usage ? old.usage : usage,
      limit: row.traffic_limit,
      threshold: row.traffic_warn_threshold,
      warned: row.traffic_warned,
      open: row.status !== 'restricted',
      onHold: row.on_hold_days !== null && row.activated_at === null,
      granular:
        row.download_limit !== null ||
        row.upload_limit !== null ||
        row.daily_limit !== null ||
        row.throttled_at !== null,
      lastAdd: old?.lastAdd ?? 0,
    };
    this.#entries.set(row.id, e);
    return mayDecide(e, handshake, false);
  }

  forget(id: number): void {
    this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** True when this estimate may change the subscriber's state (see the peers' trafficMayDecide). */
function mayDecide(e: Estimate, handshake: boolean, moved: boolean): boolean {
  if (!e.open) return false; // its peers are off the nodes; only a change or a tick lifts it
  if (e.onHold && handshake) return true;
  if (e.granular && moved) return true;
  if (e.limit === null) return false;
  return isOverLimit(e.usage, e.limit) || isAtThreshold(e.usage, e.limit, e.threshold) !== e.warned;
}
