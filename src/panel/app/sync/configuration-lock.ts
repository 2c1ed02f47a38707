/**
 * Runs work on one configuration at a time (a poll and its steps, a converge), in arrival order;
 * work on other configurations runs in parallel. Not re-entrant: a step of a poll never asks for
 * the lock (a converge asked during a poll is answered by the poll's own reconcile step, see
 * ConfigurationSync).
 */
export class ConfigurationLock {
  private readonly tails = new Map<number, Promise<unknown>>();

  run<T>(id: number, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(id) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return next;
  }
}
