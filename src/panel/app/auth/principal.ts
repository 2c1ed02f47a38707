import type { Role } from '../../domain/vocabulary.js';

export type { Role } from '../../domain/vocabulary.js';

/**
 * Who made a request: a signed-in user (`session`) or an API key acting as its owner
 * (`api_key`, with the key's name). Set on `req.principal` by the auth hook; null on public
 * routes and before authentication.
 */
export type Principal = {
  readonly kind: 'session' | 'api_key';
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
  /** The key's name when `kind` is `api_key`, else null. */
  readonly apiKeyName: string | null;
};
