import type { DatabaseHandle } from '../../../src/panel/adapters/db/index.js';
import { generateWgKeyPair } from '../../../src/shared/keys.js';

let counter = 0;

/**
 * A node (whose agent is unreachable: nothing listens on port 1) and a configuration on it,
 * written straight into the database, for API tests of the peers area.
 */
export async function seedConfiguration(
  database: DatabaseHandle,
  options: { address?: string; publicHost?: string | null; dns?: string | null } = {},
) {
  counter++;
  const nodeId = await database.insertReturningId('nodes', {
    name: `node-${process.pid}-${counter}`,
    url: 'https://127.0.0.1:1',
    token: 'test-token-never-used',
    fingerprint: 'AA'.repeat(32),
    public_host: options.publicHost === undefined ? 'vpn.example.test' : options.publicHost,
    last_seen_at: null,
    last_error: null,
    agent_version: null,
    rtt_ms: null,
  });
  const name = `wgt${counter}`;
  const { publicKey } = generateWgKeyPair();
  const id = await database.insertReturningId('configurations', {
    node_id: nodeId,
    name,
    interface_name: name,
    address: options.address ?? '10.8.0.1/24',
    listen_port: 51820,
    public_key: publicKey,
    mtu: null,
    dns: options.dns === undefined ? '1.1.1.1' : options.dns,
    endpoint_allowed_ip: null,
    keepalive: 25,
  });
  return { id, name, nodeId, publicKey };
}
