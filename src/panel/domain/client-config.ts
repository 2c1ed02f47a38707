import { isIP } from 'node:net';

/** What a client config is made of: the peer's side and the server's side. */
export interface ClientConfigInput {
  readonly privateKey: string;
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

/** The wg-quick file a client imports (WireGuard apps, `wg-quick up`). */
export function renderClientConfig(c: ClientConfigInput): string {
  const host = isIP(c.endpointHost) === 6 ? `[${c.endpointHost}]` : c.endpointHost;
  const lines = ['[Interface]', `PrivateKey = ${c.privateKey}`, `Address = ${c.address}`];
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
