import type { PeerChanges, PeerRecord } from './peer-record.js';
import { normalizeWgKey } from '../../../shared/keys.js';
import { invalidInput, notFound } from '../errors.js';
import { findConfiguration } from './find-configuration.js';
import {
  checkGivenAddresses,
  interfaceNetworks,
  splitList,
  TakenAddresses,
} from './peer-addresses.js';
import {
  isEmptyChange,
  parseQuotaChange,
  quotaPatchFor,
  type QuotaFieldsInput,
} from '../usage/quota-change.js';
import { checkKeyPair, parseDns, parseEndpointAllowedIp, parseKey } from './peer-fields.js';
import type { PeerWrites } from './peer-writes.js';
import type { PeerReader, PeerSubscriptions, QuotaChanges } from './ports.js';
import { PanelError } from '../errors.js';

/**
 * WGDashboard 4.3's updatePeerSettings body (clients send the whole peer object back; fields not
 * listed here are ignored), plus the seed's quota fields. Absent fields keep their value.
 */
export interface UpdatePeerInput extends QuotaFieldsInput {
  readonly id: string;
  readonly name?: string;
  /** Stores the peer's private key (must match); "" keeps the stored one. */
  readonly private_key?: string;
  readonly DNS?: string;
  readonly allowed_ip?: string;
  readonly allowed_ips_validation?: boolean;
  readonly endpoint_allowed_ip?: string;
  /** A key sets it; "" removes it. */
  readonly preshared_key?: string;
  readonly mtu?: number;
  readonly keepalive?: number;
  /** Its subscriber; null = none. */
  readonly subscriber_id?: number | null;
}

export interface UpdatePeerDeps {
  readonly store: PeerReader;
  /** Writes that converge the node (the only way to write peers). */
  readonly writes: PeerWrites;
  /** Writes the quota fields and runs the policy (the one quota path). */
  readonly quotas: QuotaChanges;
  /** Moves a peer between subscribers (absent: subscriber_id is refused). */
  readonly subscriptions?: PeerSubscriptions;
  readonly now: () => Date;
}

/** A peer id from a request: a public key, base64url accepted. */
export function peerKey(field: string, id: string): string {
  const key = normalizeWgKey(id.trim());
  if (!key) throw invalidInput(field, `"${id}" is not a WireGuard public key`);
  return key;
}

/**
 * Updates one peer's settings; converges when the node's view changed. Every field is checked
 * before anything is written. The quota fields go through the quota service after the other
 * fields are committed, so the policy runs within the request: a limit lowered below the usage
 * cuts the peer off (and a raised one restores it) before the answer.
 */
export async function updatePeer(
  deps: UpdatePeerDeps,
  configName: string,
  input: UpdatePeerInput,
): Promise<{ peer: PeerRecord; message: string | null }> {
  const configuration = await findConfiguration(deps.store, configName);
  const key = peerKey('id', input.id);
  const patch: PeerChanges = {};
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name.length > 255) throw invalidInput('name', 'is longer than 255 characters');
    patch.name = name;
  }
  if (input.private_key) {
    checkKeyPair(parseKey('private_key', input.private_key), key);
    patch.private_key = input.private_key;
  }
  if (input.DNS !== undefined) patch.dns = parseDns(input.DNS);
  if (input.endpoint_allowed_ip !== undefined)
    patch.endpoint_allowed_ip = parseEndpointAllowedIp(input.endpoint_allowed_ip);
  if (input.preshared_key !== undefined)
    patch.preshared_key = input.preshared_key
      ? parseKey('preshared_key', input.preshared_key)
      : null;
  if (input.mtu !== undefined) patch.mtu = input.mtu || null;
  if (input.keepalive !== undefined) patch.keepalive = input.keepalive || null;
  const quota = parseQuotaChange(input);
  const subscriberId = input.subscriber_id;
  if (subscriberId !== undefined && subscriberId !== null) {
    if (!deps.subscriptions || !(await deps.subscriptions.exists(subscriberId)))
      throw new PanelError(
        'not_found',
        `subscriber_id: subscriber ${subscriberId} not found`,
        String(subscriberId),
        'subscriber_id',
      );
  }

  const { value: before, message } = await deps.writes.write(configuration, async (w) => {
    await w.lockConfiguration(configuration.id);
    const [current] = await w.peersByKeys(configuration.id, [key]);
    if (!current) throw notFound('peer', key);
    // Checked here, on the locked row, so a bad anchor refuses the whole update.
    quotaPatchFor(current, quota, deps.now());
    const full: PeerChanges = { ...patch };
    if (input.allowed_ip !== undefined) {
      const taken = new TakenAddresses(await w.allowedIps(configuration.id));
      full.allowed_ip = checkGivenAddresses(
        'allowed_ip',
        splitList(input.allowed_ip),
        interfaceNetworks(configuration.address),
        taken,
        { inSubnet: input.allowed_ips_validation !== false, exceptPeerId: current.id },
      ).join(', ');
    }
    full.updated_at = deps.now();
    await w.updatePeer(current.id, full);
    await w.addEvent({
      type: 'updated',
      peer: current,
      configuration,
      message: `Peer ${current.name || 'Peer'} (${current.public_key.slice(0, 6)}...) updated`,
      // Which fields, never their values (a private or preshared key may be among them).
      data: {
        fields: Object.keys(full)
          .filter((k) => k !== 'updated_at')
          .join(','),
      },
      at: full.updated_at,
    });
    const nodeSees =
      current.status === 'active' &&
      ((full.allowed_ip !== undefined && full.allowed_ip !== current.allowed_ip) ||
        (full.preshared_key !== undefined && full.preshared_key !== current.preshared_key) ||
        (full.keepalive !== undefined && full.keepalive !== current.keepalive));
    return { value: current, nodeSees };
  });
  if (subscriberId !== undefined && subscriberId !== before.subscriber_id && deps.subscriptions)
    await deps.subscriptions.setSubscriber(before.id, subscriberId);
  if (!isEmptyChange(quota)) await deps.quotas.change([before.id], quota);
  const after = await deps.store.peerByKey(configuration.id, key);
  if (!after) throw notFound('peer', key); // deleted meanwhile
  return { peer: after, message };
}
