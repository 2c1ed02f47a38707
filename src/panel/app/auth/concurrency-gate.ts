/**
 * Bounds how many of an expensive task run at once (password hashes: ~32 MiB each): up to
 * `limit` run, up to `queue` more wait their turn in order, and any beyond are refused at once
 * (`run` resolves `{ refused: true }`) rather than piling up memory.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly queue: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<{ refused: true } | { refused: false; value: T }> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.queue) return { refused: true };
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return { refused: false, value: await task() };
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
