import { randomBytes } from 'node:crypto';
import type { NewPeer, PeerRecord } from './peer-record.js';
import { generateWgKeyPair, wgPublicKey } from '../../../shared/keys.js';
import { conflict, invalidInput, PanelError } from '../errors.js';
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
import type { PeerConfiguration, PeerReader, PeerWriter, QuotaChanges } from './ports.js';

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
  /** The subscriber the new peers belong to (must exist). */
  readonly subscriber_id?: number | null;
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

/** An addPeers request checked against its configuration: what the insert needs, nothing read. */
export interface PreparedPeers {
  readonly configuration: PeerConfiguration;
  readonly input: AddPeersInput;
  readonly bulk: boolean;
  readonly amount: number;
  readonly now: Date;
  readonly keys: readonly { publicKey: string; privateKey: string | null }[];
  readonly rows: (address: string, i: number) => NewPeer;
  /** The request carries quota fields (or a subscriber): the policy runs before the node hears. */
  readonly quotaFirst: boolean;
}

/**
 * Checks an addPeers request (every field that does not need the database) and prepares its rows;
 * throws invalidInput naming the field. Nothing is read or written.
 */
export function preparePeers(
  configuration: PeerConfiguration,
  input: AddPeersInput,
  now: Date,
): PreparedPeers {
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
  return {
    configuration,
    input,
    bulk,
    amount,
    now,
    keys,
    quotaFirst: !isEmptyChange(quotaChange) || (input.subscriber_id ?? null) !== null,
    rows: (address, i) => {
      const k = keys[i] as { publicKey: string; privateKey: string | null };
      return {
        configuration_id: configuration.id,
        name: bulk ? bulkName(name || 'BulkPeer', i, start, now) : name,
        public_key: k.publicKey,
        private_key: k.privateKey,
        preshared_key: givenPsk ?? (input.preshared_key_bulkAdd ? psk() : null),
        allowed_ip: address,
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
      };
    },
  };
}

/**
 * Inserts prepared peers inside a transaction: the configuration locked (and the subscriber they
 * join, which must exist), keys checked free, addresses given (checked) or allocated, a
 * `created` event each; answers the new rows. Throws conflict, invalidInput or not_found.
 */
export async function insertPreparedPeers(
  w: PeerWriter,
  p: PreparedPeers,
  subscriberId: number | null = p.input.subscriber_id ?? null,
): Promise<PeerRecord[]> {
  const { configuration, input } = p;
  await w.lockConfiguration(configuration.id);
  if (subscriberId !== null && !(await w.lockSubscriber(subscriberId)))
    throw new PanelError(
      'not_found',
      `subscriber_id: subscriber ${subscriberId} not found`,
      String(subscriberId),
      'subscriber_id',
    );
  const existing = await w.existingKeys(
    configuration.id,
    p.keys.map((k) => k.publicKey),
  );
  if (existing.length > 0)
    throw conflict(`a peer with key ${existing[0]} already exists`, existing[0], 'public_key');
  const taken = new TakenAddresses(await w.allowedIps(configuration.id));
  const networks = interfaceNetworks(configuration.address);
  const addresses =
    !p.bulk && input.allowed_ips !== undefined
      ? [
          checkGivenAddresses('allowed_ips', input.allowed_ips, networks, taken, {
            inSubnet: input.allowed_ips_validation !== false,
          }).join(', '),
        ]
      : allocateAddresses(networks, taken, p.amount);
  await w.insertPeers(addresses.map((a, i) => ({ ...p.rows(a, i), subscriber_id: subscriberId })));
  const added = await w.peersByKeys(
    configuration.id,
    p.keys.map((k) => k.publicKey),
  );
  await w.addEvents(
    added.map((peer) => ({
      type: 'created' as const,
      peer,
      configuration,
      message: `Peer ${peer.name || 'Peer'} (${peer.public_key.slice(0, 6)}...) created`,
      data: { allowed_ip: peer.allowed_ip },
      at: p.now,
    })),
  );
  return added;
}

/**
 * Adds one peer, or `bulkAddAmount` peers with `bulkAdd`, in one transaction (all or nothing);
 * with quota fields or a subscriber, the quota service runs the policy for them before the node
 * hears of them; then asks the node to converge. Addresses come from the interface's networks
 * (IPv4 and IPv6) unless given; keys are generated unless given. Returns the new rows and the
 * answer's message.
 */
export async function addPeers(
  deps: AddPeersDeps,
  configName: string,
  input: AddPeersInput,
): Promise<{ peers: PeerRecord[]; message: string | null }> {
  const configuration = await findConfiguration(deps.store, configName);
  // Everything that does not need the database is checked before the transaction.
  const prepared = preparePeers(configuration, input, deps.now());
  const { value: rows, message } = await deps.writes.write<PeerRecord[]>(
    configuration,
    async (w) => {
      const added = await insertPreparedPeers(w, prepared);
      if (!prepared.quotaFirst) return { value: added, nodeSees: true };
      // With quota fields the policy runs first: a zero limit, a past expiry or a restricted
      // subscriber restricts them before they ever reach WireGuard.
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
