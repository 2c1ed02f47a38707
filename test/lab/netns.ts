import { ip } from './exec.js';
import type { LabResources } from './resources.js';

/** The bridge inside the hub namespace that every lab host plugs into. */
export const HUB_BRIDGE = 'br0';

/** Creates namespace `ns` (recorded for teardown) with `lo` up. */
export async function createNamespace(res: LabResources, ns: string): Promise<void> {
  await ip(null, ['netns', 'add', ns]);
  res.namespaces.add(ns);
  await ip(ns, ['link', 'set', 'lo', 'up']);
}

/** Creates the hub namespace and its bridge. */
export async function createHub(res: LabResources, hubNs: string): Promise<void> {
  await createNamespace(res, hubNs);
  await ip(hubNs, ['link', 'add', HUB_BRIDGE, 'type', 'bridge']);
  await ip(hubNs, ['link', 'set', HUB_BRIDGE, 'up']);
}

/**
 * Plugs namespace `ns` into the hub bridge with a veth pair: `hubPort` on the bridge side,
 * `eth0` with `address` (CIDR) on the host side. Names are local to each namespace.
 */
export async function plugIntoHub(
  hubNs: string,
  hubPort: string,
  ns: string,
  address: string,
): Promise<void> {
  await ip(hubNs, ['link', 'add', hubPort, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  await ip(hubNs, ['link', 'set', hubPort, 'master', HUB_BRIDGE, 'up']);
  await ip(ns, ['address', 'add', address, 'dev', 'eth0']);
  await ip(ns, ['link', 'set', 'eth0', 'up']);
}

/**
 * Plugs the root namespace (where the test process runs) into the hub: `rootLink` (unique on
 * the host) gets `address`, so the test reaches every lab host over the underlay.
 */
export async function plugRootIntoHub(
  res: LabResources,
  hubNs: string,
  rootLink: string,
  address: string,
): Promise<void> {
  await ip(null, [
    'link',
    'add',
    rootLink,
    'type',
    'veth',
    'peer',
    'name',
    'uplink',
    'netns',
    hubNs,
  ]);
  res.rootLinks.add(rootLink);
  await ip(hubNs, ['link', 'set', 'uplink', 'master', HUB_BRIDGE, 'up']);
  await ip(null, ['address', 'add', address, 'dev', rootLink]);
  await ip(null, ['link', 'set', rootLink, 'up']);
}

/** Names of all namespaces on the host (`ip netns list`). */
export async function listNamespaces(): Promise<string[]> {
  const out = await ip(null, ['netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n !== '');
}
