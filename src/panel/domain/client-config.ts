import { isIP } from 'node:net';

/** What a client config is made of: the peer's side and the server's side. */
export interface ClientConfigInput {
  /** null: the panel does not hold it; a comment line stands in its place (downloadAllPeers). */
  readonly privateKey: string | null;
  readonly address: string;
  readonly dns: string | null;
  readonly mtu: number | null;
  readonly serverPublicKey: string;
  readonly presharedKey: string | null;
  readonly allowedIps: string;
  readonly endpointHost: string;
  readonly endpointPort: number;
  readonly keepalive: number | null;
}

/** The line that stands for a private key the panel does not hold (the file needs it added). */
export const MISSING_PRIVATE_KEY =
  "# PrivateKey = <this peer's private key: the panel does not hold it (the peer was added with its public key only)>";

/** The wg-quick file a client imports (WireGuard apps, `wg-quick up`). */
export function renderClientConfig(c: ClientConfigInput): string {
  const host = isIP(c.endpointHost) === 6 ? `[${c.endpointHost}]` : c.endpointHost;
  const key = c.privateKey === null ? MISSING_PRIVATE_KEY : `PrivateKey = ${c.privateKey}`;
  const lines = ['[Interface]', key, `Address = ${c.address}`];
  if (c.dns) lines.push(`DNS = ${c.dns}`);
  if (c.mtu) lines.push(`MTU = ${c.mtu}`);
  lines.push('', '[Peer]', `PublicKey = ${c.serverPublicKey}`);
  if (c.presharedKey) lines.push(`PresharedKey = ${c.presharedKey}`);
  lines.push(`AllowedIPs = ${c.allowedIps}`, `Endpoint = ${host}:${c.endpointPort}`);
  if (c.keepalive) lines.push(`PersistentKeepalive = ${c.keepalive}`);
  return lines.join('\n') + '\n';
}

/** A file name safe on every OS, from the peer name (WGDashboard names downloads this way). */
export function clientConfigFileName(peerName: string, fallback: string): string {
  const base =
    peerName.replace(/[^A-Za-z0-9_=+.-]/g, '').slice(0, 15) ||
    fallback.replace(/[^A-Za-z0-9]/g, '').slice(0, 15);
  return `${base}.conf`;
}

/**
 * A file name whose stem is a valid interface name (wg-quick names the interface after the file):
 * at most 15 of [A-Za-z0-9_=+.-], from `name`, else `fallback`; `.conf` added.
 */
export function interfaceFileName(name: string, fallback: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_=+.-]/g, '').slice(0, 15);
  return `${clean(name) || clean(fallback) || 'wg0'}.conf`;
}
