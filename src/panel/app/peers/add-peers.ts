import { randomBytes } from 'node:crypto';
import type { NewPeer, PeerRecord } from './peer-record.js';
import { generateWgKeyPair, wgPublicKey } from '../../../shared/keys.js';
import { conflict, invalidInput } from '../errors.js';
import { findConfiguration } from './find-configuration.js';
import {
  allocateAddresses,
  checkGivenAddresses,
  interfaceNetworks,
  TakenAddresses,
} from './peer-addresses.js';
import {
  initialQuotaColumns,
  isEmptyChange,
  parseQuotaChange,
  type QuotaFieldsInput,
} from '../usage/quota-change.js';
import { checkKeyPair, parseDns, parseEndpointAllowedIp, parseKey } from './peer-fields.js';
import type { PeerWrites } from './peer-writes.js';
import type { PeerReader, QuotaChanges } from './ports.js';

import { MAX_BULK_ADD } from '../../../shared/wire/panel/common.js';

/** WGDashboard 4.3's addPeers body, plus the seed's quota fields. */
export interface AddPeersInput extends QuotaFieldsInput {
  readonly name?: string;
  readonly public_key?: string;
  readonly private_key?: string;
  readonly allowed_ips?: readonly string[];
  /** false: given addresses may lie outside the interface's subnet (routed networks). */
  readonly allowed_ips_validation?: boolean;
  readonly endpoint_allowed_ip?: string;
  readonly DNS?: string;
  readonly mtu?: number;
  readonly keepalive?: number;
  readonly preshared_key?: string;
  /** Generate a preshared key for each new peer (bulk, or a single peer without one given). */
  readonly preshared_key_bulkAdd?: boolean;
  readonly bulkAdd?: boolean;
  readonly bulkAddAmount?: number;
  /** With bulkAdd: peers are named `<name> <start>`, `<name> <start + 1>`, … (wgfleet's own). */
  readonly bulkAddStart?: number;
}

export interface AddPeersDeps {
  readonly store: PeerReader;
  /** Writes that converge the node (the only way to write peers). */
  readonly writes: PeerWrites;
  /** Runs the policy for new peers that carry quota fields (the one quota path). */
  readonly quotas: QuotaChanges;
  readonly now: () => Date;
}

const psk = () => randomBytes(32).toString('base64');
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
/**
 * The i-th name of a bulk add: `<prefix> <start + i>` (wgfleet's own), or WGDashboard 4.3's
 * `<prefix>_<n>_<YYYYMMDD_HHMMSS>` (UTC here; 4.3 starts n at 2).
 */
const bulkName = (prefix: string, i: number, start: number | undefined, now: Date) =>
  start === undefined ? `${prefix}_${i + 1}_${stamp(now)}` : `${prefix} ${start + i}`;

/** One peer's keys: generated, or given (a private key must match the public key). */
function keysOf(input: AddPeersInput): { publicKey: string; privateKey: string | null } {
  const priv = input.private_key ? parseKey('private_key', input.private_key) : null;
  const pub = input.public_key ? parseKey('public_key', input.public_key) : null;
  if (priv && pub) {
    checkKeyPair(priv, pub);
    return { publicKey: pub, privateKey: priv };
  }
  if (priv) return { publicKey: wgPublicKey(priv), privateKey: priv };
  if (pub) return { publicKey: pub, privateKey: null };
  const pair = generateWgKeyPair();
  return { publicKey: pair.publicKey, privateKey: pair.privateKey };
}

/**
 * Adds one peer, or `bulkAddAmount` peers with `bulkAdd`, in one transaction (all or nothing);
 * with quota fields, the quota service runs the policy for them; then asks the node to converge. Addresses come from the interface's networks (IPv4 and IPv6)
 * unless given; keys are generated unless given. Returns the new rows and the answer's message.
 */
export async function addPeers(
  deps: AddPeersDeps,
  configName: string,
  input: AddPeersInput,
): Promise<{ peers: PeerRecord[]; message: string | null }> {
  const configuration = await findConfiguration(deps.store, configName);
  const bulk = input.bulkAdd === true;
  const amount = bulk ? (input.bulkAddAmount ?? 0) : 1;
  if (bulk && (!Number.isInteger(amount) || amount < 1))
    throw invalidInput('bulkAddAmount', 'Please specify amount of peers you want to add');
  if (amount > MAX_BULK_ADD)
    throw invalidInput('bulkAddAmount', `at most ${MAX_BULK_ADD} peers per request`);
  const start = input.bulkAddStart;
  if (start !== undefined && (!bulk || !Number.isInteger(start) || start < 1))
    throw invalidInput('bulkAddStart', 'is the first number of a bulk add: an integer from 1');
  if (bulk && (input.public_key || input.private_key || input.allowed_ips || input.preshared_key))
    throw invalidInput(
      'bulkAdd',
      'keys, preshared_key and allowed_ips are generated for each peer of a bulk add; leave them out',
    );

  // Everything that does not need the database is checked before the transaction.
  const now = deps.now();
  const dns = input.DNS !== undefined ? parseDns(input.DNS) : configuration.dns;
  const endpointAllowedIp =
    input.endpoint_allowed_ip !== undefined
      ? parseEndpointAllowedIp(input.endpoint_allowed_ip)
      : (configuration.endpointAllowedIp ?? '0.0.0.0/0, ::/0');
  const mtu = input.mtu !== undefined ? input.mtu || null : configuration.mtu;
  const keepalive =
    input.keepalive !== undefined ? input.keepalive || null : configuration.keepalive;
  const quotaChange = parseQuotaChange(input);
  const quota = initialQuotaColumns(quotaChange, now);
  const name = (input.name ?? '').trim();
  if (name.length > 255) throw invalidInput('name', 'is longer than 255 characters');
  const givenPsk = input.preshared_key ? parseKey('preshared_key', input.preshared_key) : null;
  const keys = bulk ? Array.from({ length: amount }, () => keysOf({})) : [keysOf(input)];
  const networks = interfaceNetworks(configuration.address);

  const quotaFirst = !isEmptyChange(quotaChange);
  const { value: rows, message } = await deps.writes.write<PeerRecord[]>(
    configuration,
    async (w) => {
      await w.lockConfiguration(configuration.id);
      const existing = await w.existingKeys(
        configuration.id,
        keys.map((k) => k.publicKey),
      );
      if (existing.length > 0)
        throw conflict(`a peer with key ${existing[0]} already exists`, existing[0], 'public_key');
      const taken = new TakenAddresses(await w.allowedIps(configuration.id));
      const addresses =
        !bulk && input.allowed_ips !== undefined
          ? [
              checkGivenAddresses('allowed_ips', input.allowed_ips, networks, taken, {
                inSubnet: input.allowed_ips_validation !== false,
              }).join(', '),
            ]
          : allocateAddresses(networks, taken, amount);
      const inserts: NewPeer[] = keys.map((k, i) => ({
        configuration_id: configuration.id,
        name: bulk ? bulkName(name || 'BulkPeer', i, start, now) : name,
        public_key: k.publicKey,
        private_key: k.privateKey,
        preshared_key: givenPsk ?? (input.preshared_key_bulkAdd ? psk() : null),
        allowed_ip: addresses[i] as string,
        endpoint_allowed_ip: endpointAllowedIp,
        dns,
        mtu,
        keepalive,
        ...quota,
        // The panel creates the peer on the node: its counters start at zero there.
        last_raw_rx: 0n,
        last_raw_tx: 0n,
        period_started_at: now,
        created_at: now,
        updated_at: now,
      }));
      await w.insertPeers(inserts);
      const added = await w.peersByKeys(
        configuration.id,
        keys.map((k) => k.publicKey),
      );
      await w.addEvents(
        added.map((p) => ({
          type: 'created' as const,
          peer: p,
          configuration,
          message: `Peer ${p.name || 'Peer'} (${p.public_key.slice(0, 6)}...) created`,
          data: { allowed_ip: p.allowed_ip },
          at: now,
        })),
      );
      if (!quotaFirst) return { value: added, nodeSees: true };
      // With quota fields the policy runs first: a zero limit or a past expiry restricts them
      // before they ever reach WireGuard.
      return { value: added, nodeSees: true, beforeNode: (peers) => applyQuotas(deps, peers) };
    },
  );
  return { peers: rows, message };
}

/** Runs the policy for new peers that carry quota fields; answers them as they are now. */
async function applyQuotas(deps: AddPeersDeps, peers: PeerRecord[]): Promise<PeerRecord[]> {
  await deps.quotas.change(
    peers.map((p) => p.id),
    {},
  );
  const now: PeerRecord[] = [];
  for (const p of peers) {
    const row = await deps.store.peerByKey(p.configuration_id, p.public_key);
    if (row) now.push(row);
  }
  return now;
}
