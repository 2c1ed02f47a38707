import { freeAddresses } from '../../domain/address-pool.js';
import { findConfiguration } from './find-configuration.js';
import { parseNetwork } from '../../../shared/ip.js';
import { splitList, TakenAddresses } from './peer-addresses.js';
import type { PeerStore } from './ports.js';

/**
 * Free host addresses of each interface address (`10.8.0.1/24` → [`10.8.0.2/32`, …]), at most
 * `limit` each, without enumerating the network.
 */
export async function availableIps(
  store: PeerStore,
  configName: string,
  limit: number,
): Promise<Record<string, string[]>> {
  const configuration = await findConfiguration(store, configName);
  const taken = new TakenAddresses(await store.allowedIps(configuration.id));
  const out: Record<string, string[]> = {};
  for (const address of splitList(configuration.address)) {
    const net = parseNetwork(address);
    if (!net) continue;
    const host = net.family === 4 ? 32 : 128;
    out[address] = freeAddresses(net, taken.usedIn(net), limit).map((a) => `${a}/${host}`);
  }
  return out;
}
