const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Checks a `--log-level` value (pino's levels); throws an Error naming the option. */
export function checkLogLevel(level: string): string {
  if (!(LEVELS as readonly string[]).includes(level))
    throw new Error(`--log-level must be one of ${LEVELS.join(', ')}`);
  return level;
}
