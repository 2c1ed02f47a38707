/** The panel's poll-cycle histogram as a `/metrics` answer shows it (seconds). */
export interface CycleHistogram {
  readonly sum: number;
  readonly count: number;
}

const NAME = 'wgfleet_panel_poll_cycle_duration_seconds';

/**
 * Sum and count of `wgfleet_panel_poll_cycle_duration_seconds` in a `/metrics` answer (0 when
 * absent). Reads the two lines out of the bytes: an answer with per-peer series can be hundreds
 * of MB, too big to turn into one string.
 */
export function cycleHistogram(body: Buffer): CycleHistogram {
  const pick = (suffix: string) => {
    const key = `\n${NAME}_${suffix} `;
    const at = body.indexOf(key);
    if (at < 0) return 0;
    const end = body.indexOf('\n', at + key.length);
    return Number(body.toString('utf8', at + key.length, end < 0 ? body.length : end));
  };
  return { sum: pick('sum'), count: pick('count') };
}
