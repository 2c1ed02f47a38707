import type { Envelope } from './types';

/** A failed API call: the HTTP status, the panel's message and the field it names, if any. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The request field the panel's message is about (`"traffic_limit: …"` → traffic_limit). */
    readonly field: string | null,
  ) {
    super(message);
  }
}

/** Reads the field a panel message names: messages look like `field: what was wrong`. */
export function fieldOf(message: string): string | null {
  const m = /^([A-Za-z_][\w.]*): /.exec(message);
  return m?.[1] ?? null;
}

type UnauthorizedHandler = (message: string) => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** Who hears of a 401 from any call but sign-in: the session ended. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

export interface CallOptions {
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  /** A 401 is the answer itself (sign-in), not an ended session. */
  readonly expect401?: boolean;
  readonly signal?: AbortSignal;
}

/** Calls the panel API; resolves to the envelope of a success, rejects with an ApiError. */
export async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  options: CallOptions = {},
): Promise<Envelope<T>> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {}))
    if (v !== undefined && v !== '') params.set(k, String(v));
  const url = `/api/${path}${params.size ? `?${params}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError('The panel does not answer: check the connection.', 0, null);
  }
  let body: Envelope<T> | null = null;
  try {
    body = (await res.json()) as Envelope<T>;
  } catch {
    body = null;
  }
  if (res.ok && body?.status) return body;
  const message = body?.message ?? `The panel answered ${res.status} ${res.statusText}`;
  if (res.status === 401 && !options.expect401) onUnauthorized(message);
  throw new ApiError(message, res.status, fieldOf(message));
}

/** The message of any error, for showing next to what failed. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
