import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type {
  ConfigurationInsert,
  Database,
  DatabaseHandle,
  NodeInsert,
  PeerInsert,
} from '../../../src/panel/adapters/db/index.js';

/** A distinct name for each call, so tests sharing a database never collide. */
export function uniqueLabel(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A random 32-byte key in WireGuard's base64 form (44 characters). */
export function fakeKey(): string {
  return randomBytes(32).toString('base64');
}

/** Inserts a node with defaults for what the test does not care about; returns its id. */
export function createNode(
  handle: DatabaseHandle,
  row: Partial<NodeInsert> = {},
  executor?: Kysely<Database>,
): Promise<number> {
  return handle.insertReturningId(
    'nodes',
    {
      name: uniqueLabel('node'),
      url: 'https://192.0.2.10:8787',
      token: 'secret-token',
      fingerprint: 'AA:BB',
      ...row,
    },
    executor,
  );
}

/** Inserts a configuration on a new node (or `row.node_id`); returns its id. */
export async function createConfiguration(
  handle: DatabaseHandle,
  row: Partial<ConfigurationInsert> = {},
): Promise<number> {
  return handle.insertReturningId('configurations', {
    node_id: row.node_id ?? (await createNode(handle)),
    name: uniqueLabel('cfg'),
    interface_name: 'wg0',
    address: '10.8.0.1/24',
    listen_port: 51820,
    public_key: fakeKey(),
    ...row,
  });
}

let nextHost = 2;

/** Inserts a peer in a configuration with a fresh key and address; returns its id. */
export function createPeer(
  handle: DatabaseHandle,
  configurationId: number,
  row: Partial<PeerInsert> = {},
): Promise<number> {
  const host = nextHost++;
  return handle.insertReturningId('peers', {
    configuration_id: configurationId,
    public_key: fakeKey(),
    allowed_ip: `10.${Math.floor(host / 65536) % 256}.${Math.floor(host / 256) % 256}.${host % 256}/32`,
    ...row,
  });
}
