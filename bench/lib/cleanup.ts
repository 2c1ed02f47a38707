/**
 * Undo steps for everything the benchmark creates, run last-in first-out. A failing step is
 * reported and the others still run: a half-built setup must not leave a namespace behind.
 */
export class Cleanup {
  private readonly steps: { readonly label: string; readonly undo: () => Promise<unknown> }[] = [];
  private running: Promise<void> | null = null;

  add(label: string, undo: () => Promise<unknown>): void {
    this.steps.push({ label, undo });
  }

  /** Runs every step once (a second call waits for the first). Never throws. */
  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step.undo();
        } catch (e) {
          process.stderr.write(`cleanup: ${step.label}: ${e instanceof Error ? e.message : e}\n`);
        }
      }
    })();
    return this.running;
  }
}
