import type { Dump, InterfaceSummary } from '../../../shared/wire/agent-api.js';

/** An interface found on a node, as the panel stores it: a configuration and its peers. */
export interface AdoptedInterface {
  readonly interfaceName: string;
  readonly address: string;
  readonly listenPort: number;
  readonly publicKey: string;
  readonly mtu: number | null;
  /** The interface was up: the poller watches it (a down one waits for a toggle). */
  readonly enabled: boolean;
  /** Peers already there: public key and allowed IPs only (the panel never learns their keys). */
  readonly peers: readonly { readonly publicKey: string; readonly allowedIp: string }[];
}

/** What adopting one interface gave: the interface, or why it was left out. */
export type Adoption =
  | { readonly adopted: AdoptedInterface; readonly skippedPeers: number }
  | { readonly skipped: string; readonly reason: string };

/**
 * Turns an interface summary (and its dump, when it is up) into what the panel stores. Peers with
 * no allowed IPs, or the same ones as an earlier peer, are left out (the poller reports them as
 * drift). Pure.
 */
export function adoptInterface(summary: InterfaceSummary, dump: Dump | null): Adoption {
  const listenPort = dump?.interface.listen_port ?? summary.listen_port;
  const publicKey = dump?.interface.public_key ?? summary.public_key;
  if (!listenPort) return { skipped: summary.name, reason: 'it has no listen port' };
  if (!publicKey) return { skipped: summary.name, reason: 'it has no key' };
  const seen = new Set<string>();
  const peers = (dump?.peers ?? [])
    .map((p) => ({ publicKey: p.public_key, allowedIp: p.allowed_ips.join(', ') }))
    .filter((p) => {
      // WireGuard gives each address to one peer; a second holder could not be stored anyway.
      if (p.allowedIp === '' || seen.has(p.allowedIp)) return false;
      seen.add(p.allowedIp);
      return true;
    });
  return {
    adopted: {
      interfaceName: summary.name,
      address: summary.addresses.join(', '),
      listenPort,
      publicKey,
      mtu: summary.mtu,
      enabled: summary.up,
      peers,
    },
    skippedPeers: (dump?.peers.length ?? 0) - peers.length,
  };
}

/**
 * The panel-wide name of a node's interface: the interface name, else `<node>-<interface>`, else
 * that with `-2`, `-3`, … Adds the chosen name to `taken`.
 */
export function configurationNameFor(
  interfaceName: string,
  nodeName: string,
  taken: Set<string>,
): string {
  const base = `${nodeName}-${interfaceName}`;
  const candidates = [interfaceName, base];
  for (let i = 2; i < 1000; i++) candidates.push(`${base}-${i}`);
  const name = candidates.find((c) => !taken.has(c)) ?? `${base}-${taken.size + 1}`;
  taken.add(name);
  return name;
}
