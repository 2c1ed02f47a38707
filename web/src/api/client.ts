import {
  PANEL_ROUTES,
  type PanelAction,
  type PanelApi,
} from '../../../src/shared/wire/panel/routes';
import { t } from '../i18n';
import type { Envelope } from './types';

/** A failed API call: the HTTP status, the panel's message and the field it names, if any. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The request field the failure is about: the answer's `subject` (`traffic_limit`, `peers[3]`). */
    readonly field: string | null,
  ) {
    super(message);
  }
}

type UnauthorizedHandler = (message: string) => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** Who hears of a 401 from any call but sign-in: the session ended. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

type Field<A extends PanelAction, K extends string> =
  PanelApi[A] extends Record<K, infer T> ? T : never;

/** What a call of `action` may send: its query and body as the panel's schemas type them. */
export type CallOptions<A extends PanelAction> = {
  /** A 401 is the answer itself (sign-in), not an ended session. */
  readonly expect401?: boolean;
  readonly signal?: AbortSignal;
} & ((typeof PANEL_ROUTES)[A]['config'] extends true
  ? { /** The configuration the action's path names. */ readonly config: string }
  : { readonly config?: never }) &
  ([Field<A, 'query'>] extends [never]
    ? { readonly query?: never }
    : { readonly query: Field<A, 'query'> }) &
  ([Field<A, 'body'>] extends [never]
    ? { readonly body?: never }
    : { readonly body: Field<A, 'body'> });

/** `options` may be left out when the action needs no configuration, query or body. */
type CallArgs<A extends PanelAction> =
  Record<string, never> extends CallOptions<A>
    ? [options?: CallOptions<A>]
    : [options: CallOptions<A>];

/**
 * Calls a panel action (method and path from the shared route table); resolves to the envelope
 * of a success, typed as the panel's schema types its `data`; rejects with an ApiError.
 */
export async function call<A extends PanelAction>(
  action: A,
  ...[options]: CallArgs<A>
): Promise<Envelope<PanelApi[A]['data']>> {
  const o: {
    config?: string;
    query?: Record<string, unknown>;
    body?: unknown;
    expect401?: boolean;
    signal?: AbortSignal;
  } = (options ?? {}) as never;
  const { method } = PANEL_ROUTES[action];
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(o.query ?? {}))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const path = o.config === undefined ? action : `${action}/${encodeURIComponent(o.config)}`;
  const url = `/api/${path}${params.size ? `?${params}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: o.body === undefined ? {} : { 'content-type': 'application/json' },
      body: o.body === undefined ? null : JSON.stringify(o.body),
      signal: o.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(t('api.noAnswer'), 0, null);
  }
  let body: (Envelope<PanelApi[A]['data']> & { subject?: string }) | null = null;
  try {
    body = (await res.json()) as Envelope<PanelApi[A]['data']> & { subject?: string };
  } catch {
    body = null;
  }
  if (res.ok && body?.status) return body;
  const message = body?.message ?? t('api.answered', { status: res.status, text: res.statusText });
  if (res.status === 401 && !o.expect401) onUnauthorized(message);
  throw new ApiError(message, res.status, body?.subject ?? null);
}

/** The message of any error, for showing next to what failed. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
