/**
 * Small integers from `min` to `max`, handed out lowest free first (so ids are dense and stable:
 * the same history of changes gives the same ids). Taking and freeing are amortised O(1).
 */
export class IdPool {
  private readonly used = new Set<number>();
  private lowest: number;

  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    this.lowest = min;
  }

  get size(): number {
    return this.used.size;
  }

  /** The lowest free id, now taken; null when every id is used. */
  take(): number | null {
    let id = this.lowest;
    while (id <= this.max && this.used.has(id)) id++;
    if (id > this.max) return null;
    this.used.add(id);
    this.lowest = id + 1;
    return id;
  }

  /** Marks `id` as used (loading saved state); false when it is out of range or already used. */
  claim(id: number): boolean {
    if (!Number.isInteger(id) || id < this.min || id > this.max || this.used.has(id)) return false;
    this.used.add(id);
    return true;
  }

  free(id: number): void {
    if (this.used.delete(id) && id < this.lowest) this.lowest = id;
  }
}
