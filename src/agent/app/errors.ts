/** The agent's closed set of errors; the HTTP edge maps each to one status. */
export type AgentErrorCode =
  'invalid_input' | 'not_found' | 'conflict' | 'forbidden' | 'wg_failed' | 'tc_failed';

export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    /** The request field or the object the error is about. */
    readonly subject?: string,
  ) {
    super(message);
  }
}

export const invalidInput = (field: string, message: string) =>
  new AgentError('invalid_input', `${field}: ${message}`, field);
export const notFound = (what: string) => new AgentError('not_found', `${what} not found`, what);
export const conflict = (message: string) => new AgentError('conflict', message);
export const forbidden = (message: string) => new AgentError('forbidden', message);

const KEYISH = /[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/g;

/** A failure of `wg`/`wg-quick`, its output cleaned of anything shaped like a key. */
export function wgFailed(action: string, stderr: string): AgentError {
  const detail = stderr.replace(KEYISH, '[redacted]').trim().split('\n').slice(-3).join(' | ');
  return new AgentError('wg_failed', `${action} failed${detail ? `: ${detail}` : ''}`);
}
