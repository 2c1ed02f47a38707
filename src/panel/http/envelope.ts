import { Type, type Static, type TSchema } from 'typebox';

/**
 * Every answer of the panel API, as in WGDashboard: `{status, message, data}`. Failures carry
 * `status: false`, a message that says what was wrong, and a 4xx/5xx status code (WGDashboard
 * answers most failures with 200; we do not).
 */
export const Envelope = <T extends TSchema>(data: T) =>
  Type.Object({
    status: Type.Boolean(),
    message: Type.Union([Type.String(), Type.Null()]),
    data,
  });

export const FailureBody = Envelope(Type.Null());
export type FailureBody = Static<typeof FailureBody>;

/** A success envelope. */
export function ok<T>(
  data: T,
  message: string | null = null,
): { status: true; message: string | null; data: T } {
  return { status: true, message, data };
}

/** A failure envelope (the error handler sends these; routes throw PanelErrors instead). */
export function failure(message: string): FailureBody {
  return { status: false, message, data: null };
}
