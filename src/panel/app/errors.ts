/**
 * The panel's closed set of errors. Use cases throw them; the HTTP edge maps each code to one
 * status and the `{status: false, message, data: null, subject?}` body (`subject`: the request
 * field at fault, when one is). Messages are for operators: they
 * name the field or the object, and never carry a secret.
 */
export type PanelErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'too_many_requests'
  | 'method_not_allowed'
  | 'node_unavailable'
  /** A WGDashboard route wgfleet does not offer; the message says what to do instead. */
  | 'not_offered'
  | 'delivery_failed';

export class PanelError extends Error {
  constructor(
    readonly code: PanelErrorCode,
    message: string,
    /** The field or the id the error is about. */
    readonly subject?: string,
    /** The request field at fault, if one is (the answer's `subject`: forms show it there). */
    readonly field?: string,
    /** For `too_many_requests`: seconds before trying again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const invalidInput = (field: string, message: string) =>
  new PanelError('invalid_input', `${field}: ${message}`, field, field);
export const notFound = (what: string, id?: string | number) =>
  new PanelError(
    'not_found',
    id === undefined ? `${what} not found` : `${what} "${id}" not found`,
    String(id ?? what),
  );
/** A conflict; `field`: the request field whose value conflicts (the message starts with it). */
export const conflict = (message: string, subject?: string, field?: string) =>
  new PanelError(
    'conflict',
    field === undefined ? message : `${field}: ${message}`,
    subject,
    field,
  );
export const forbidden = (message: string) => new PanelError('forbidden', message);
export const unauthorized = (message = 'sign in or send a valid wg-dashboard-apikey header') =>
  new PanelError('unauthorized', message);
export const methodNotAllowed = (message: string) => new PanelError('method_not_allowed', message);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new PanelError(
    'too_many_requests',
    message,
    undefined,
    undefined,
    Math.max(1, Math.ceil(retryAfterSeconds)),
  );
export const nodeUnavailable = (node: string, why: string) =>
  new PanelError('node_unavailable', `node "${node}" is unavailable: ${why}`, node);
/** A WGDashboard 4.3 route wgfleet answers without doing it: `instead` says what wgfleet offers. */
export const notOffered = (instead: string) => new PanelError('not_offered', instead);

/** An e-mail or a message could not be sent (the SMTP server or the Bot API refused or failed). */
export const deliveryFailed = (why: string) => new PanelError('delivery_failed', why);
