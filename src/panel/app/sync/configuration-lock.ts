import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs work on one configuration at a time (a poll and its sinks, a converge), in arrival order.
 * Re-entrant: a task that already holds a configuration's lock (a sink that calls `converge` for
 * the configuration being polled) runs at once instead of waiting for itself.
 */
export class ConfigurationLock {
  private readonly tails = new Map<number, Promise<unknown>>();
  private readonly held = new AsyncLocalStorage<Set<number>>();

  /** True when the current async context holds `id`'s lock. */
  isHeld(id: number): boolean {
    return this.held.getStore()?.has(id) ?? false;
  }

  run<T>(id: number, task: () => Promise<T>): Promise<T> {
    if (this.isHeld(id)) return task();
    const holding = new Set([...(this.held.getStore() ?? []), id]);
    // Released when the task ends, so work it left running in the background waits its turn.
    const inside = () => this.held.run(holding, task).finally(() => holding.delete(id));
    const prev = this.tails.get(id) ?? Promise.resolve();
    const next = prev.then(inside, inside);
    const tail = next.catch(() => undefined);
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return next;
  }
}
