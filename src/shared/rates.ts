/** The range a speed limit may take, in bits per second: 8 kbit/s (1 kB/s) to 100 Gbit/s. */
export const RATE_BPS = { min: 8_000, max: 100_000_000_000 } as const;

/** Decimal units of bits per second, as people write them (`Mbit`, `Mbit/s`, `mbps`). */
const UNITS: Record<string, number> = {
  '': 1,
  bit: 1,
  bps: 1,
  k: 1e3,
  kbit: 1e3,
  kbps: 1e3,
  m: 1e6,
  mbit: 1e6,
  mbps: 1e6,
  g: 1e9,
  gbit: 1e9,
  gbps: 1e9,
};

/** Thrown for a rate that does not parse or is out of range; the message says why. */
export class RateError extends Error {}

const RANGE_TEXT = `from ${RATE_BPS.min} bit/s (8 kbit/s) to ${RATE_BPS.max / 1e9} Gbit/s`;

/**
 * Parses a speed: an integer of bits per second (`10000000`) or a number with a decimal unit
 * (`"10Mbit"`, `"2.5 Mbit/s"`, `"500kbps"`, `"1G"`). Results are whole bits per second within
 * RATE_BPS.
 */
export function parseRate(input: number | string): number {
  let bps: number;
  if (typeof input === 'number') {
    if (!Number.isInteger(input)) throw new RateError('must be an integer of bits per second');
    bps = input;
  } else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)(?:\/s)?\s*$/.exec(input);
    const unit = m ? UNITS[(m[2] ?? '').toLowerCase()] : undefined;
    if (!m || unit === undefined)
      throw new RateError(
        `"${input.slice(0, 32)}" is not a speed (examples: 10000000, "10Mbit", "500kbit")`,
      );
    bps = Math.round(Number(m[1]) * unit);
  }
  if (bps < RATE_BPS.min || bps > RATE_BPS.max) throw new RateError(`must be ${RANGE_TEXT}`);
  return bps;
}

/** `10 Mbit/s`, `2.5 Mbit/s`, `800 kbit/s`: a rate for people (decimal units, up to 3 digits). */
export function formatRate(bps: number): string {
  const [unit, div] =
    bps >= 1e9
      ? ['Gbit/s', 1e9]
      : bps >= 1e6
        ? ['Mbit/s', 1e6]
        : bps >= 1e3
          ? ['kbit/s', 1e3]
          : ['bit/s', 1];
  return `${Number((bps / div).toPrecision(3))} ${unit}`;
}

/** `10 Mbit/s down, 2 up` (the unit once when both share it), or null when neither is limited. */
export function formatRateLimit(
  downloadBps: number | null,
  uploadBps: number | null,
): string | null {
  if (downloadBps === null && uploadBps === null) return null;
  if (downloadBps === null) return `${formatRate(uploadBps as number)} up`;
  if (uploadBps === null) return `${formatRate(downloadBps)} down`;
  const [d, u] = [formatRate(downloadBps), formatRate(uploadBps)];
  const [dn, du] = d.split(' ');
  const [un, uu] = u.split(' ');
  return du === uu ? `${dn} ${du} down, ${un} up` : `${d} down, ${u} up`;
}
