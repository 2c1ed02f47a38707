/**
 * The usage ledger: raw WireGuard counters in, bytes of usage out. Pure, 64-bit integers.
 *
 * WireGuard's counters start from zero whenever the peer or the interface is re-created
 * (interface restart, restrict + restore, a peer removed and re-added by hand). So per direction:
 * delta = raw − last_raw when the counter did not go down, and delta = raw when it did (the
 * counter restarted and everything on it is new). A negative or wrapped delta never happens.
 */

/** The last raw counters seen for a peer; null until the panel has seen it once. */
export interface RawCounters {
  readonly rx: bigint;
  readonly tx: bigint;
}

export interface PeerUsage {
  /** Bytes in the current period (since the last reset), per direction. */
  readonly periodRx: bigint;
  readonly periodTx: bigint;
  /** Bytes since the peer was created. */
  readonly lifetimeRx: bigint;
  readonly lifetimeTx: bigint;
  /** The raw counters of the last observation; null before the first one (adopted peer). */
  readonly lastRaw: RawCounters | null;
}

export interface Ingested {
  readonly usage: PeerUsage;
  readonly deltaRx: bigint;
  readonly deltaTx: bigint;
}

/** Bytes a raw counter moved by since `last`; a counter that went down restarted from zero. */
export function counterDelta(last: bigint, raw: bigint): bigint {
  return raw >= last ? raw - last : raw;
}

/**
 * One observation of a peer's raw counters, written into a caller's scratch object so the ingest's
 * hot path (one call per peer per poll) allocates no result objects. `lastRx`/`lastTx` are null
 * before the first observation (a baseline, see `ingest`).
 */
export interface CounterObservation {
  /** Bytes to add to the period and lifetime usage. */
  deltaRx: bigint;
  deltaTx: bigint;
  /** False when nothing changed: no write is needed. */
  moved: boolean;
}

/**
 * The arithmetic of `ingest` on plain counters: fills `out` and returns it. A first observation
 * (`lastRx` or `lastTx` null) is a baseline: it moves (the raw counters must be stored) but adds
 * nothing. `restarted`: the counters started again from zero since the last observation.
 */
export function observeCounters(
  out: CounterObservation,
  lastRx: bigint | null,
  lastTx: bigint | null,
  rawRx: bigint,
  rawTx: bigint,
  restarted = false,
): CounterObservation {
  if (lastRx === null || lastTx === null) {
    out.deltaRx = 0n;
    out.deltaTx = 0n;
    out.moved = true;
    return out;
  }
  out.deltaRx = counterDelta(restarted ? 0n : lastRx, rawRx);
  out.deltaTx = counterDelta(restarted ? 0n : lastTx, rawTx);
  out.moved = !(rawRx === lastRx && rawTx === lastTx && out.deltaRx + out.deltaTx === 0n);
  return out;
}

/** The agent's totals of a peer in one epoch (its own ledger; see the agent's dump). */
export interface StoredTotals {
  readonly epoch: string | null;
  readonly rx: bigint | null;
  readonly tx: bigint | null;
}

/**
 * One observation from an agent that keeps totals (`total_rx`/`total_tx` in `epoch`, which never
 * go down within an epoch, across interface resets the panel cannot see). When the peer's stored
 * totals are of the same epoch: delta = total − stored total, exactly once however often the same
 * dump is ingested. Otherwise (no stored totals, another epoch, or a total below the stored one,
 * which an epoch forbids): the raw-counter delta of `observeCounters` for this poll; the caller
 * stores the new totals as the baseline either way. Fills `out` and returns it.
 */
export function observeTotals(
  out: CounterObservation,
  lastRx: bigint | null,
  lastTx: bigint | null,
  rawRx: bigint,
  rawTx: bigint,
  restarted: boolean,
  stored: StoredTotals,
  epoch: string,
  totalRx: bigint,
  totalTx: bigint,
): CounterObservation {
  const same =
    stored.epoch === epoch &&
    stored.rx !== null &&
    stored.tx !== null &&
    totalRx >= stored.rx &&
    totalTx >= stored.tx;
  if (!same) {
    observeCounters(out, lastRx, lastTx, rawRx, rawTx, restarted);
    // The new baseline must be written even when the raw counters did not move.
    out.moved = true;
    return out;
  }
  out.deltaRx = totalRx - (stored.rx as bigint);
  out.deltaTx = totalTx - (stored.tx as bigint);
  out.moved = out.deltaRx + out.deltaTx !== 0n || rawRx !== lastRx || rawTx !== lastTx;
  return out;
}

/**
 * Adds one observation of the raw counters. On the first observation of a peer the panel did not
 * create (`lastRaw` null), the counters are a baseline, not usage: that traffic predates wgfleet.
 * A peer the panel creates or re-adds starts with `lastRaw = {0, 0}` (see `restartedCounters`).
 *
 * `restarted` says the caller knows the counters started again from zero since the last
 * observation (the interface was re-created): all of `raw` is new, even when it already climbed
 * above the old value, which a decrease alone could not reveal.
 */
export function ingest(usage: PeerUsage, raw: RawCounters, restarted = false): Ingested {
  const o = observeCounters(
    { deltaRx: 0n, deltaTx: 0n, moved: false },
    usage.lastRaw?.rx ?? null,
    usage.lastRaw?.tx ?? null,
    raw.rx,
    raw.tx,
    restarted,
  );
  if (usage.lastRaw === null)
    return { usage: { ...usage, lastRaw: raw }, deltaRx: 0n, deltaTx: 0n };
  // Nothing moved: the same object back, so the caller can skip the write.
  if (!o.moved) return { usage, deltaRx: o.deltaRx, deltaTx: o.deltaTx };
  return {
    usage: {
      periodRx: usage.periodRx + o.deltaRx,
      periodTx: usage.periodTx + o.deltaTx,
      lifetimeRx: usage.lifetimeRx + o.deltaRx,
      lifetimeTx: usage.lifetimeTx + o.deltaTx,
      lastRaw: raw,
    },
    deltaRx: o.deltaRx,
    deltaTx: o.deltaTx,
  };
}

/** The ledger state after the panel (re-)adds a peer to WireGuard: its counters start at zero. */
export function restartedCounters(usage: PeerUsage): PeerUsage {
  return { ...usage, lastRaw: { rx: 0n, tx: 0n } };
}

/** A new period: period usage back to zero, lifetime and raw baseline untouched. */
export function resetPeriod(usage: PeerUsage): PeerUsage {
  return { ...usage, periodRx: 0n, periodTx: 0n };
}

/** rx + tx of the current period: what a traffic limit is compared with. */
export function periodTotal(usage: PeerUsage): bigint {
  return usage.periodRx + usage.periodTx;
}

export const EMPTY_USAGE: PeerUsage = {
  periodRx: 0n,
  periodTx: 0n,
  lifetimeRx: 0n,
  lifetimeTx: 0n,
  lastRaw: { rx: 0n, tx: 0n },
};

/** What a node read of a peer just before it cut the peer on its own (its enforcement record). */
export interface CutTotals {
  readonly epoch: string;
  readonly totalRx: bigint;
  readonly totalTx: bigint;
  /** Bytes (rx + tx) since the allowance was counted from (the panel's `base_total`, or arrival). */
  readonly usedBytes: bigint;
}

/** What a cut adds to the peer's usage, and whether its totals become the stored baseline. */
export interface CutDelta {
  readonly deltaRx: bigint;
  readonly deltaTx: bigint;
  /** Store the cut's totals and epoch as the ones counted (false: keep the stored ones). */
  readonly adopt: boolean;
}

/**
 * The usage a node's cut adds (pure). Within the epoch the panel last counted the peer in: the
 * cut's totals minus the stored ones, exactly once (a cut at or below what was counted adds
 * nothing, and keeps the stored totals). In another epoch (the node lost its totals file) the
 * stored totals say nothing: the bytes the node counted since the allowance's base are added,
 * split between rx and tx as the cut's totals are; that base is what the panel had counted when
 * it last handed the allowance, so the error is at most the traffic between that count and that
 * hand-over.
 */
export function cutDelta(stored: StoredTotals, cut: CutTotals): CutDelta {
  if (stored.epoch === cut.epoch && stored.rx !== null && stored.tx !== null) {
    if (cut.totalRx < stored.rx || cut.totalTx < stored.tx)
      return { deltaRx: 0n, deltaTx: 0n, adopt: false };
    return { deltaRx: cut.totalRx - stored.rx, deltaTx: cut.totalTx - stored.tx, adopt: true };
  }
  const used = cut.usedBytes > 0n ? cut.usedBytes : 0n;
  const sum = cut.totalRx + cut.totalTx;
  const deltaRx = sum === 0n ? used : (used * cut.totalRx) / sum;
  return { deltaRx, deltaTx: used - deltaRx, adopt: true };
}
