import type { FailureBody } from '../../shared/wire/panel-api.js';

export { Envelope, FailureBody } from '../../shared/wire/panel-api.js';

/** A success envelope. */
export function ok<T>(
  data: T,
  message: string | null = null,
): { status: true; message: string | null; data: T } {
  return { status: true, message, data };
}

/**
 * A failure envelope (the error handler sends these; routes throw PanelErrors instead), naming
 * the request field at fault when there is one.
 */
export function failure(message: string, subject?: string): FailureBody {
  return subject === undefined
    ? { status: false, message, data: null }
    : { status: false, message, data: null, subject };
}
