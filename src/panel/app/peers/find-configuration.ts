import { notFound } from '../errors.js';
import type { PeerConfiguration, PeerReader } from './ports.js';

/** The configuration named in the path, or a 404 naming it. */
export async function findConfiguration(
  store: Pick<PeerReader, 'findConfiguration'>,
  name: string,
): Promise<PeerConfiguration> {
  const configuration = await store.findConfiguration(name);
  if (!configuration) throw notFound('configuration', name);
  return configuration;
}
