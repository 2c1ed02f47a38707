import {
  interfaceStatusOf,
  type ConfigurationStats,
} from '../../app/configurations/configuration-store.js';
import type { DriftPeer } from '../../app/sync/reconcile-plan.js';
import type { ConfigurationJson } from '../../../shared/wire/panel-api.js';

export { ConfigurationJson } from '../../../shared/wire/panel-api.js';

/** GiB with 4 decimals, as WGDashboard shows data usage (display only: bytes are in `Usage`). */
export const gib = (bytes: bigint) => Math.round((Number(bytes) / 2 ** 30) * 10_000) / 10_000;

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
    InterfaceStatus: interfaceStatusOf(c),
    QuotasEnforceable: interfaceStatusOf(c) !== 'missing',
    CreatedAt: c.createdAt.toISOString(),
  };
}
