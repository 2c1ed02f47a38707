/**
 * A per-address limit on subscriber page lookups (guessing tokens is hopeless at 256 bits, but a
 * scan still costs queries): `limit` lookups per address per `windowMs`, fixed windows, explicit
 * clock. Bounded memory: at most `maxAddresses` windows kept (expired ones dropped first, then
 * the oldest).
 */
export class PageRateLimit {
  readonly #windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly limit = 60,
    private readonly windowMs = 60_000,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Counts one lookup; answers the seconds to wait when over the limit, else 0. */
  take(address: string, now: Date): number {
    const t = now.getTime();
    let w = this.#windows.get(address);
    if (!w || w.endsAt <= t) {
      if (!w && this.#windows.size >= this.maxAddresses) this.#evict(t);
      w = { count: 0, endsAt: t + this.windowMs };
      this.#windows.delete(address);
      this.#windows.set(address, w);
    }
    w.count++;
    return w.count > this.limit ? Math.ceil((w.endsAt - t) / 1000) : 0;
  }

  #evict(t: number): void {
    for (const [k, w] of this.#windows) if (w.endsAt <= t) this.#windows.delete(k);
    while (this.#windows.size >= this.maxAddresses) {
      const first = this.#windows.keys().next();
      if (first.done) break;
      this.#windows.delete(first.value);
    }
  }
}
