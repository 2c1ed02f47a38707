import { PRIVATE_KEY_PLACEHOLDER } from '../../../shared/wire/agent-conf.js';
import { normalizeWgKey, wgPublicKey } from '../../../shared/keys.js';
import { FileLineError, parseWgQuickFile, type FileValue } from '../../domain/wg-quick-file.js';
import type { ConfigurationStats } from '../configurations/configuration-store.js';
import { invalidInput, PanelError } from '../errors.js';
import { agentErrorToPanel } from '../nodes/fleet-agent.js';
import {
  checkGivenAddresses,
  interfaceNetworks,
  splitList,
  TakenAddresses,
} from '../peers/peer-addresses.js';
import type { PeerRecord } from '../peers/ports.js';
import {
  changeInterface,
  configurationNamed,
  parseAddresses,
  type ConfigurationEditsDeps,
  type InterfaceChange,
} from './configuration-edits.js';

/** The peer write paths a raw file's `[Peer]` set goes through (the peers area's use cases). */
export interface RawFilePeerWrites {
  readonly all: (configurationId: number) => Promise<PeerRecord[]>;
  add(configName: string, peer: FilePeerWrite): Promise<unknown>;
  update(configName: string, peer: FilePeerWrite): Promise<unknown>;
  delete(configName: string, keys: string[]): Promise<unknown>;
}

/** A `[Peer]` of the file as the peer use cases take it. */
export interface FilePeerWrite {
  readonly publicKey: string;
  readonly allowedIps: string[];
  /** undefined: keep (absent, or the placeholder comment the node writes for it). */
  readonly presharedKey?: string;
  /** undefined: keep; null: none. */
  readonly keepalive?: number | null;
}

export interface RawFileDeps extends ConfigurationEditsDeps {
  readonly peers: RawFilePeerWrites;
}

/** WGDashboard 4.3's getWireguardConfigurationRawFile: the node's file, its keys as comments. */
export async function rawFile(deps: RawFileDeps, name: string) {
  const c = await configurationNamed(deps, name);
  try {
    return await (await deps.agentOf(c)).conf(c.interfaceName);
  } catch (e) {
    throw agentErrorToPanel(c.node.name, e);
  }
}

const at = (v: FileValue, reason: string) => new FileLineError(v.line, reason);

/** Keys of `[Interface]` the file may change, and how. */
const INTERFACE_KEYS = new Set([
  'privatekey',
  'address',
  'listenport',
  'mtu',
  'postup',
  'postdown',
]);
const PEER_KEYS = new Set([
  'publickey',
  'presharedkey',
  'allowedips',
  'persistentkeepalive',
  'endpoint',
]);

function intIn(v: FileValue, key: string, min: number, max: number): number {
  const n = Number(v.value);
  if (!/^\d+$/.test(v.value) || n < min || n > max)
    throw at(v, `${key} must be a whole number from ${min} to ${max}`);
  return n;
}

/** What the `[Interface]` part changes, against the node's own file; throws naming the line. */
function interfaceChange(
  c: ConfigurationStats,
  next: ReadonlyMap<string, FileValue>,
  node: ReadonlyMap<string, FileValue>,
): InterfaceChange {
  const change: { -readonly [K in keyof InterfaceChange]: InterfaceChange[K] } = {};
  for (const [key, v] of next) {
    if (INTERFACE_KEYS.has(key)) continue;
    // Settings the panel does not manage (DNS, Table, FwMark, PreUp, SaveConfig …) may stay as
    // the node has them; changing or adding one is refused.
    if (node.get(key)?.value !== v.value)
      throw at(
        v,
        `${keyName(key)} cannot be set here (the panel manages Address, ListenPort, MTU, PostUp, PostDown)`,
      );
  }
  for (const [key, v] of node)
    if (!INTERFACE_KEYS.has(key) && !next.has(key))
      throw at(
        v,
        `${keyName(key)} cannot be removed here (the node's file has it on line ${v.line})`,
      );
  const priv = next.get('privatekey');
  if (priv) {
    let pub: string | null = null;
    try {
      pub = wgPublicKey(priv.value);
    } catch {
      pub = null;
    }
    if (pub !== c.publicKey)
      throw at(
        priv,
        `the interface's private key stays on its node: leave "${PRIVATE_KEY_PLACEHOLDER}"`,
      );
  }
  const address = next.get('address');
  if (!address) throw new FileLineError(1, 'Address is required in [Interface]');
  try {
    const list = parseAddresses('Address', address.value);
    if (list.join(', ') !== splitList(c.address).join(', ')) change.address = list.join(', ');
  } catch (e) {
    throw at(address, e instanceof Error ? e.message : String(e));
  }
  const port = next.get('listenport');
  if (!port) throw new FileLineError(1, 'ListenPort is required in [Interface]');
  const listenPort = intIn(port, 'ListenPort', 1, 65535);
  if (listenPort !== c.listenPort) change.listenPort = listenPort;
  const mtu = next.get('mtu');
  const mtuValue = mtu ? intIn(mtu, 'MTU', 576, 9000) : null;
  if (mtuValue !== (node.get('mtu') ? Number(node.get('mtu')?.value) : null)) change.mtu = mtuValue;
  for (const [key, field] of [
    ['postup', 'postUp'],
    ['postdown', 'postDown'],
  ] as const) {
    const v = next.get(key)?.value ?? null;
    if (v !== (node.get(key)?.value ?? null)) change[field] = v;
  }
  return change;
}

const keyName = (lower: string) =>
  ({
    dns: 'DNS',
    mtu: 'MTU',
    fwmark: 'FwMark',
    saveconfig: 'SaveConfig',
    preup: 'PreUp',
    predown: 'PreDown',
    table: 'Table',
  })[lower] ?? lower;

/** The `[Peer]` sections as writes; every key, address and duplicate checked. */
function filePeers(
  file: ReturnType<typeof parseWgQuickFile>,
  addressOfInterface: string,
  keptRestricted: readonly PeerRecord[],
): FilePeerWrite[] {
  const taken = new TakenAddresses(
    keptRestricted.map((p) => ({ id: p.id, allowedIp: p.allowed_ip })),
  );
  const networks = interfaceNetworks(addressOfInterface);
  const seen = new Map<string, number>();
  return file.peers.map((p) => {
    for (const [key, v] of p.values)
      if (!PEER_KEYS.has(key)) throw at(v, `unknown [Peer] key "${key}"`);
    const pk = p.values.get('publickey');
    if (!pk) throw new FileLineError(p.line, '[Peer] without a PublicKey');
    const publicKey = normalizeWgKey(pk.value);
    if (!publicKey) throw at(pk, `"${pk.value}" is not a WireGuard public key`);
    const twice = seen.get(publicKey);
    if (twice !== undefined) throw at(pk, `this peer is already in the file (line ${twice})`);
    seen.set(publicKey, pk.line);
    const ips = p.values.get('allowedips');
    if (!ips)
      throw new FileLineError(p.line, '[Peer] without AllowedIPs (the peer needs an address)');
    let allowedIps: string[];
    try {
      allowedIps = checkGivenAddresses('AllowedIPs', splitList(ips.value), networks, taken, {
        inSubnet: false,
      });
    } catch (e) {
      throw at(ips, e instanceof PanelError ? e.message.replace(/^AllowedIPs: /, '') : String(e));
    }
    taken.add(allowedIps);
    const out: { -readonly [K in keyof FilePeerWrite]: FilePeerWrite[K] } = {
      publicKey,
      allowedIps,
    };
    const psk = p.values.get('presharedkey');
    if (psk) {
      const key = normalizeWgKey(psk.value);
      if (!key) throw at(psk, 'PresharedKey is not a 32-byte base64 key');
      out.presharedKey = key;
    }
    const ka = p.values.get('persistentkeepalive');
    if (ka)
      out.keepalive =
        ka.value === 'off' ? null : intIn(ka, 'PersistentKeepalive', 0, 65535) || null;
    return out;
  });
}

/**
 * WGDashboard 4.3's updateWireguardConfigurationRawFile. The whole file is checked first (a bad
 * file changes nothing; the message names its line). Then `[Interface]` changes go to the node
 * (it restarts the interface, or refuses hooks without --allow-hooks: nothing changed), and the
 * `[Peer]` set becomes the configuration's: peers not in the panel are added, changed ones
 * updated (usage kept), active peers left out deleted, through the peer write paths. Restricted
 * peers are not on the node, so not in its file: they stay unless the file names them.
 */
export async function updateRawFile(
  deps: RawFileDeps,
  name: string,
  text: string,
): Promise<string> {
  const c = await configurationNamed(deps, name);
  const agent = await deps.agentOf(c);
  let nodeFile;
  try {
    nodeFile = parseWgQuickFile((await agent.conf(c.interfaceName)).content);
  } catch (e) {
    if (e instanceof FileLineError)
      throw invalidInput('configuration', `the node's own file: ${e.message}`);
    throw agentErrorToPanel(c.node.name, e);
  }
  let change: InterfaceChange;
  let peers: FilePeerWrite[];
  const current = await deps.peers.all(c.id);
  try {
    const file = parseWgQuickFile(text);
    change = interfaceChange(c, file.interface, nodeFile.interface);
    const inFile = new Set(
      file.peers.map((p) => normalizeWgKey(p.values.get('publickey')?.value ?? '')),
    );
    const keptRestricted = current.filter(
      (p) => p.status === 'restricted' && !inFile.has(p.public_key),
    );
    peers = filePeers(file, change.address ?? c.address, keptRestricted);
  } catch (e) {
    if (e instanceof FileLineError) throw invalidInput('rawConfiguration', e.message);
    throw e;
  }
  await changeInterface(deps, c, change);

  const byKey = new Map(current.map((p) => [p.public_key, p]));
  const wanted = new Set(peers.map((p) => p.publicKey));
  const gone = current.filter((p) => p.status === 'active' && !wanted.has(p.public_key));
  if (gone.length > 0)
    await deps.peers.delete(
      c.name,
      gone.map((p) => p.public_key),
    );
  let added = 0;
  let updated = 0;
  for (const p of peers) {
    const had = byKey.get(p.publicKey);
    if (!had) {
      await deps.peers.add(c.name, p);
      added++;
    } else if (
      had.allowed_ip !== p.allowedIps.join(', ') ||
      (p.presharedKey !== undefined && p.presharedKey !== had.preshared_key) ||
      (p.keepalive !== undefined && p.keepalive !== had.keepalive)
    ) {
      await deps.peers.update(c.name, p);
      updated++;
    }
  }
  const FILE_KEYS: Record<string, string> = {
    address: 'Address',
    listenPort: 'ListenPort',
    mtu: 'MTU',
    postUp: 'PostUp',
    postDown: 'PostDown',
  };
  const changed = Object.keys(change).map((k) => FILE_KEYS[k] ?? k);
  return `${changed.length ? `[Interface] ${changed.join(', ')} changed; ` : ''}peers: ${added} added, ${updated} updated, ${gone.length} deleted`;
}
