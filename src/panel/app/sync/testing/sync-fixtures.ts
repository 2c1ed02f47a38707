import type { SyncConfiguration, SyncNode } from '../sync-store.js';

/** The one configuration of the sync tests, on its online node. */
export const config: SyncConfiguration = {
  id: 1,
  name: 'wg0',
  interfaceName: 'wg0',
  enabled: true,
  nodeId: 1,
  nodeName: 'n1',
  nodeStatus: 'online',
};

/** The node `config` lives on. */
export const node: SyncNode = {
  id: 1,
  name: 'n1',
  url: 'https://127.0.0.1:1',
  token: 't',
  fingerprint: 'f',
  status: 'online',
};

/** A WireGuard key made of one character (tests tell peers apart by it). */
export const K = (c: string) => `${c.repeat(43)}=`;

/** A port method a test never calls: fails loudly if it is called after all. */
export const notUsed = (name: string) => async (): Promise<never> => {
  throw new Error(`${name} is not used by this test`);
};
