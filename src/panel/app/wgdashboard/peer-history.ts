import { countFreeAddresses } from '../../domain/address-count.js';
import { parseNetwork } from '../../../shared/ip.js';
import { invalidInput, notFound } from '../errors.js';
import { findConfiguration } from '../peers/find-configuration.js';
import { splitList, TakenAddresses } from '../peers/peer-addresses.js';
import type { PeerReader, PeerRecord } from '../peers/ports.js';
import { peerKey } from '../peers/update-peer.js';
import type { SampleRow, SampleScope } from '../usage/samples-ports.js';

/** Reads a usage series (the usage area's `series`: stored minutes and those still in memory). */
export type MinuteSeries = (scope: SampleScope, from: Date, to: Date) => Promise<SampleRow[]>;

export interface PeerHistoryDeps {
  readonly store: Pick<PeerReader, 'findConfiguration' | 'peerByKey' | 'allowedIps'>;
  readonly minutes: MinuteSeries;
  readonly now: () => Date;
}

/** The peer of `configurationName` with public key `id`, or a 404 naming it. */
async function peerOf(deps: PeerHistoryDeps, configurationName: string, id: string) {
  const configuration = await findConfiguration(deps.store, configurationName);
  const key = peerKey('id', id);
  const peer = await deps.store.peerByKey(configuration.id, key);
  if (!peer) throw notFound('peer', key);
  return peer;
}

/**
 * WGDashboard 4.3's getNumberOfAvailableIPs: per interface address, how many host addresses
 * are still free (4.3 counts the network and broadcast addresses too; these are the ones
 * addPeers can really hand out).
 */
export async function numberOfAvailableIps(
  store: PeerHistoryDeps['store'],
  configName: string,
): Promise<Record<string, bigint>> {
  const configuration = await findConfiguration(store, configName);
  const taken = new TakenAddresses(await store.allowedIps(configuration.id));
  const out: Record<string, bigint> = {};
  for (const address of splitList(configuration.address)) {
    const net = parseNetwork(address);
    if (net) out[address] = countFreeAddresses(net, taken.usedIn(net));
  }
  return out;
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` as the UTC midnight it starts, or a 400 naming the field. */
function dayStart(field: string, text: string): Date {
  const d = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text)
    throw invalidInput(field, 'Dates are invalid');
  return d;
}

/**
 * WGDashboard 4.3's getPeerSessions: the times the peer was connected, one per minute, over
 * whole UTC days (no startDate: today; no endDate: startDate's day). 4.3 logs a row per minute
 * while the peer had a handshake in the last 3 minutes; the panel answers the minutes in which it
 * counted traffic of the peer (its minute usage samples, kept `usage_minute_retention_hours`).
 */
export async function peerSessions(
  deps: PeerHistoryDeps,
  q: { configurationName: string; id: string; startDate?: string; endDate?: string },
): Promise<string[]> {
  const today = new Date(Math.floor(deps.now().getTime() / DAY_MS) * DAY_MS);
  const from = q.startDate === undefined ? today : dayStart('startDate', q.startDate);
  const last =
    q.startDate !== undefined && q.endDate !== undefined ? dayStart('endDate', q.endDate) : from;
  if (last < from) throw invalidInput('startDate', 'startDate must be smaller than endDate');
  const peer = await peerOf(deps, q.configurationName, q.id);
  const rows = await deps.minutes({ peerId: peer.id }, from, new Date(last.getTime() + DAY_MS));
  return rows.filter((r) => r.rx + r.tx > 0n).map((r) => r.bucketStart.toISOString());
}

/** `1.2.3.4:51820` → `1.2.3.4`, `[fd00::2]:51820` → `[fd00::2]` (4.3 splits at the last colon). */
const withoutPort = (endpoint: string) => endpoint.replace(/:\d+$/, '');

/**
 * WGDashboard 4.3's getPeerHistoricalEndpoints. 4.3 logs every endpoint a running peer had, each
 * minute; the panel keeps only the peer's last endpoint seen by a poll (and its last handshake),
 * so the list has at most one entry. No geolocation: addresses are not sent to ip-api.com.
 */
export async function peerEndpoints(
  deps: PeerHistoryDeps,
  configurationName: string,
  id: string,
): Promise<{ endpoints: { endpoint: string; time: string | null }[]; geolocation: [] }> {
  const peer: PeerRecord = await peerOf(deps, configurationName, id);
  const endpoints =
    peer.endpoint === null
      ? []
      : [
          {
            endpoint: withoutPort(peer.endpoint),
            time: peer.latest_handshake_at?.toISOString() ?? null,
          },
        ];
  return { endpoints, geolocation: [] };
}
