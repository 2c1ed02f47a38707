import type { PeerRecord } from './peer-record.js';
import { clientConfigFileName, renderClientConfig } from '../../domain/client-config.js';
import { conflict, notFound } from '../errors.js';
import { findConfiguration } from './find-configuration.js';
import type { PeerConfiguration, PeerStore } from './ports.js';
import { peerKey } from './update-peer.js';

/** A downloadable client config, as WGDashboard answers it (`fileName` without `.conf`). */
export interface ClientConfigFile {
  readonly fileName: string;
  readonly file: string;
}

/** The host clients connect to: the node's public host, else the host of its agent URL. */
export function endpointHost(node: PeerConfiguration['node']): string {
  if (node.publicHost) return node.publicHost;
  return new URL(node.url).hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * A peer's wg-quick text: its own settings, else its configuration's defaults; a comment line
 * stands where the key goes when the panel holds no private key.
 */
export function clientConfigText(configuration: PeerConfiguration, peer: PeerRecord): string {
  return renderClientConfig({
    privateKey: peer.private_key,
    address: peer.allowed_ip,
    dns: peer.dns ?? configuration.dns,
    mtu: peer.mtu ?? configuration.mtu,
    serverPublicKey: configuration.publicKey,
    presharedKey: peer.preshared_key,
    allowedIps: peer.endpoint_allowed_ip ?? configuration.endpointAllowedIp ?? '0.0.0.0/0, ::/0',
    endpointHost: endpointHost(configuration.node),
    endpointPort: configuration.listenPort,
    keepalive: peer.keepalive ?? configuration.keepalive,
  });
}

/**
 * Renders a peer's wg-quick config; the peer must have a private key stored, unless
 * `withoutKey` (then a comment line stands where the key goes).
 */
export function clientConfigOf(
  configuration: PeerConfiguration,
  peer: PeerRecord,
  withoutKey = false,
): ClientConfigFile {
  if (peer.private_key === null && !withoutKey)
    throw conflict(
      `the panel has no private key for peer "${peer.public_key}" (its key was given or imported without one): no client config can be made`,
      peer.public_key,
    );
  const file = clientConfigText(configuration, peer);
  const fileName = clientConfigFileName(peer.name, peer.public_key).replace(/\.conf$/, '');
  return { fileName, file };
}

/** One peer's client config, by public key. */
export async function downloadPeer(
  store: PeerStore,
  configName: string,
  id: string,
): Promise<ClientConfigFile> {
  const configuration = await findConfiguration(store, configName);
  const key = peerKey('id', id);
  const peer = await store.peerByKey(configuration.id, key);
  if (!peer) throw notFound('peer', key);
  return clientConfigOf(configuration, peer);
}

/**
 * Every peer's client config, names unique, as WGDashboard 4.3 answers them: a peer whose
 * private key the panel does not hold gets a placeholder line for it (`withoutKey` counts them).
 */
export async function downloadAllPeers(
  store: PeerStore,
  configName: string,
): Promise<{ files: ClientConfigFile[]; withoutKey: number }> {
  const configuration = await findConfiguration(store, configName);
  const peers = await store.allPeers(configuration.id);
  const seen = new Map<string, number>();
  const files: ClientConfigFile[] = [];
  for (const peer of peers) {
    const c = clientConfigOf(configuration, peer, true);
    const n = seen.get(c.fileName) ?? 0;
    seen.set(c.fileName, n + 1);
    files.push(n === 0 ? c : { ...c, fileName: `${c.fileName}_${n + 1}` });
  }
  return { files, withoutKey: peers.filter((p) => p.private_key === null).length };
}
