/** The range a speed limit may take, in bits per second: 8 kbit/s (1 kB/s) to 100 Gbit/s. */
export const RATE_BPS = { min: 8_000, max: 100_000_000_000 } as const;
