import { Type, type Static } from 'typebox';
import type { ConfigurationStats } from '../../app/configurations/configuration-store.js';
import type { DriftPeer } from '../../app/sync/reconcile-plan.js';
import { NODE_STATUSES } from '../../domain/vocabulary.js';
import { literalUnion } from '../../../shared/wire/literal-union.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

/** GiB with 4 decimals, as WGDashboard shows data usage (display only: bytes are in `Usage`). */
export const gib = (bytes: bigint) => Math.round((Number(bytes) / 2 ** 30) * 10_000) / 10_000;

/**
 * A configuration in API answers: WGDashboard 4.3's fields (`Name`, `Status`, `PublicKey`,
 * `Address`, `ListenPort`, `DataUsage`, `ConnectedPeers`, `TotalPeers`, …) without the private
 * key, which never leaves the node; then the panel's own (node, peer counts, exact usage, drift).
 */
export const ConfigurationJson = Type.Object({
  id: Type.Integer(),
  Name: Type.String(),
  Status: Type.Boolean({ description: 'Desired state: the interface is to be up' }),
  PublicKey: Type.String(),
  Address: Type.String(),
  ListenPort: Type.String({ description: 'A string, as in WGDashboard' }),
  PreUp: Type.String(),
  PreDown: Type.String(),
  PostUp: Type.String(),
  PostDown: Type.String(),
  SaveConfig: Type.Boolean(),
  Protocol: Type.String(),
  Table: Type.String(),
  DataUsage: Type.Object(
    { Total: Type.Number(), Sent: Type.Number(), Receive: Type.Number() },
    { description: 'Lifetime usage in GiB (rx = Receive, tx = Sent, from the node)' },
  ),
  ConnectedPeers: Type.Integer({ description: 'Peers with a handshake in the last 3 minutes' }),
  TotalPeers: Type.Integer(),
  ActivePeers: Type.Integer(),
  RestrictedPeers: Type.Integer(),
  Usage: Type.Object(
    {
      period_rx: Type.Integer(),
      period_tx: Type.Integer(),
      lifetime_rx: Type.Integer(),
      lifetime_tx: Type.Integer(),
    },
    { description: 'Sums over the peers, in bytes' },
  ),
  Interface: Type.String({ description: 'The interface name on the node' }),
  Node: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    status: literalUnion(NODE_STATUSES),
  }),
  Endpoint: Type.String({ description: 'host:port clients dial' }),
  DNS: Nullable(Type.String()),
  MTU: Nullable(Type.Integer()),
  EndpointAllowedIp: Nullable(Type.String()),
  Keepalive: Nullable(Type.Integer()),
  Drift: Type.Object({
    count: Type.Integer(),
    peers: Type.Array(
      Type.Object({
        public_key: Type.String(),
        allowed_ips: Type.Array(Type.String()),
        endpoint: Nullable(Type.String()),
        latest_handshake: Nullable(Type.Integer()),
      }),
      { description: 'Peers on the interface that the panel does not know (left in place)' },
    ),
  }),
  SyncError: Nullable(Type.String({ description: 'Why the last poll of it failed, if it did' })),
  CreatedAt: Type.String(),
});
export type ConfigurationJson = Static<typeof ConfigurationJson>;

function endpointHost(c: ConfigurationStats): string {
  if (c.node.publicHost) return c.node.publicHost;
  try {
    return new URL(c.node.url).hostname;
  } catch {
    return '';
  }
}

/** Maps a configuration (with its drift and sync error) to its API shape. */
export function configurationJson(
  c: ConfigurationStats,
  drift: readonly DriftPeer[],
  syncError: string | null,
): ConfigurationJson {
  const host = endpointHost(c);
  return {
    id: c.id,
    Name: c.name,
    Status: c.enabled,
    PublicKey: c.publicKey,
    Address: c.address,
    ListenPort: String(c.listenPort),
    PreUp: '',
    PreDown: '',
    PostUp: '',
    PostDown: '',
    SaveConfig: true,
    Protocol: 'wg',
    Table: '',
    DataUsage: {
      Total: gib(c.usage.lifetimeRx + c.usage.lifetimeTx),
      Sent: gib(c.usage.lifetimeTx),
      Receive: gib(c.usage.lifetimeRx),
    },
    ConnectedPeers: c.peers.connected,
    TotalPeers: c.peers.total,
    ActivePeers: c.peers.active,
    RestrictedPeers: c.peers.restricted,
    Usage: {
      period_rx: Number(c.usage.periodRx),
      period_tx: Number(c.usage.periodTx),
      lifetime_rx: Number(c.usage.lifetimeRx),
      lifetime_tx: Number(c.usage.lifetimeTx),
    },
    Interface: c.interfaceName,
    Node: { id: c.node.id, name: c.node.name, status: c.node.status },
    Endpoint: `${host.includes(':') ? `[${host}]` : host}:${c.listenPort}`,
    DNS: c.dns,
    MTU: c.mtu,
    EndpointAllowedIp: c.endpointAllowedIp,
    Keepalive: c.keepalive,
    Drift: {
      count: drift.length,
      peers: drift.map((d) => ({
        public_key: d.publicKey,
        allowed_ips: [...d.allowedIps],
        endpoint: d.endpoint,
        latest_handshake: d.latestHandshake,
      })),
    },
    SyncError: syncError,
    CreatedAt: c.createdAt.toISOString(),
  };
}
