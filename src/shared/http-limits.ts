/**
 * Limits of an HTTP server (panel and agent alike): a request must arrive whole within
 * `requestTimeoutMs` (its headers within `headersTimeoutMs`), an idle keep-alive connection is
 * closed after `keepAliveTimeoutMs`, and at most `maxConnections` are open at once.
 */
export interface HttpLimits {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
}

/** The options as the CLI collects them (seconds, counts; text). */
export interface HttpLimitValues {
  requestTimeout?: string | undefined;
  headersTimeout?: string | undefined;
  keepAliveTimeout?: string | undefined;
  maxConnections?: string | undefined;
}

export const HTTP_LIMIT_DEFAULTS = {
  requestTimeout: '30',
  headersTimeout: '10',
  keepAliveTimeout: '5',
  maxConnections: '1024',
} as const;

function number(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new Error(`${option} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Checks the values; throws an Error naming the option at fault. */
export function resolveHttpLimits(v: HttpLimitValues): HttpLimits {
  const d = HTTP_LIMIT_DEFAULTS;
  const seconds = (value: string | undefined, fallback: string, option: string) =>
    Math.round(number(value ?? fallback, option, 0.1, 3600) * 1000);
  const requestTimeoutMs = seconds(v.requestTimeout, d.requestTimeout, '--request-timeout');
  const headersTimeoutMs = seconds(v.headersTimeout, d.headersTimeout, '--headers-timeout');
  if (headersTimeoutMs > requestTimeoutMs)
    throw new Error('--headers-timeout must not be longer than --request-timeout');
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: seconds(v.keepAliveTimeout, d.keepAliveTimeout, '--keep-alive-timeout'),
    maxConnections: Math.trunc(
      number(v.maxConnections ?? d.maxConnections, '--max-connections', 1, 1_000_000),
    ),
  };
}

/**
 * Options for `http(s).createServer`. Node checks the request and header deadlines on a timer
 * (every 30 s by default): it runs here at a quarter of the shorter deadline, so a slow request
 * is cut within about 25 % of its limit.
 */
export function nodeServerOptions(l: HttpLimits) {
  return {
    requestTimeout: l.requestTimeoutMs,
    headersTimeout: l.headersTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(
      50,
      Math.min(5000, Math.floor(Math.min(l.requestTimeoutMs, l.headersTimeoutMs) / 4)),
    ),
  };
}

/** Settings Fastify applies itself after creating the server (it would override the others). */
export const fastifyServerOptions = (l: HttpLimits) => ({
  requestTimeout: l.requestTimeoutMs,
  keepAliveTimeout: l.keepAliveTimeoutMs,
});

/** Caps the open connections of a created server (further ones are closed at once). */
export function capConnections(server: { maxConnections: number }, l: HttpLimits): void {
  server.maxConnections = l.maxConnections;
}
