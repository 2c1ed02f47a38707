import { invalidInput, notFound } from '../../app/errors.js';
import type { PeerDirectory } from '../../app/usage/ports.js';
import { parseUtcDate } from '../../../shared/utc-date.js';

/** Parses an optional ISO 8601 query parameter (no offset = UTC); 400 naming it otherwise. */
export function optionalDate(value: string | undefined, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const d = parseUtcDate(value);
  if (!d) throw invalidInput(field, 'must be an ISO 8601 date-time (no offset = UTC)');
  return d;
}

/** Resolves `configurationName` (and a peer's public key in it) to ids; 404 when unknown. */
export async function resolveScope(
  directory: PeerDirectory,
  configurationName: string,
  publicKey?: string,
): Promise<{ configurationId: number; peerId?: number }> {
  const cfg = await directory.configurationByName(configurationName);
  if (!cfg) throw notFound('configuration', configurationName);
  if (publicKey === undefined) return { configurationId: cfg.id };
  const ids = await directory.peerIdsByKeys(cfg.id, [publicKey]);
  const peerId = ids.get(publicKey);
  if (peerId === undefined) throw notFound('peer', publicKey);
  return { configurationId: cfg.id, peerId };
}
