/**
 * wg-quick configuration files, as text. Pure: parsing, editing peers, writing text back. The
 * `[Interface]` part (and anything before the first `[Peer]`) is kept byte for byte.
 */

export interface ConfPeer {
  readonly publicKey: string;
  readonly presharedKey: string | null;
  readonly allowedIps: readonly string[];
  readonly endpoint: string | null;
  readonly persistentKeepalive: number | null;
  /** Lines of the section we do not manage (comments, unknown keys), kept as they were. */
  readonly extra: readonly string[];
}

export interface ConfFile {
  /** Everything before the first `[Peer]`, verbatim, without trailing blank lines. */
  readonly head: string;
  readonly peers: readonly ConfPeer[];
}

const PEER_HEADER = /^\s*\[peer\]\s*$/i;
const KV = /^\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/;

/** Parses a wg-quick file. Peers without a PublicKey line are dropped (wg-quick rejects them too). */
export function parseConf(text: string): ConfFile {
  const lines = text.split(/\r?\n/);
  const firstPeer = lines.findIndex((l) => PEER_HEADER.test(l));
  const headLines = firstPeer < 0 ? lines : lines.slice(0, firstPeer);
  const peers: ConfPeer[] = [];
  let section: string[] | null = null;
  const flush = () => {
    if (section) {
      const peer = parsePeerSection(section);
      if (peer) peers.push(peer);
    }
  };
  for (const line of firstPeer < 0 ? [] : lines.slice(firstPeer)) {
    if (PEER_HEADER.test(line)) {
      flush();
      section = [];
    } else section?.push(line);
  }
  flush();
  return { head: headLines.join('\n').replace(/\s+$/, ''), peers };
}

function parsePeerSection(lines: readonly string[]): ConfPeer | null {
  let publicKey: string | null = null;
  let presharedKey: string | null = null;
  const allowedIps: string[] = [];
  let endpoint: string | null = null;
  let persistentKeepalive: number | null = null;
  const extra: string[] = [];
  for (const line of lines) {
    const m = KV.exec(line);
    const key = m?.[1]?.toLowerCase();
    const value = m?.[2] ?? '';
    if (key === 'publickey') publicKey = value;
    else if (key === 'presharedkey') presharedKey = value;
    else if (key === 'allowedips')
      allowedIps.push(
        ...value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    else if (key === 'endpoint') endpoint = value;
    else if (key === 'persistentkeepalive')
      persistentKeepalive = value === 'off' || value === '0' ? null : Number(value);
    else if (line.trim() !== '') extra.push(line);
  }
  if (publicKey === null) return null;
  return { publicKey, presharedKey, allowedIps, endpoint, persistentKeepalive, extra };
}

/** Writes the file back: head, then one `[Peer]` section per peer. */
export function serializeConf(conf: ConfFile): string {
  const parts = [conf.head];
  for (const p of conf.peers) {
    const lines = ['[Peer]', ...p.extra, `PublicKey = ${p.publicKey}`];
    if (p.presharedKey !== null) lines.push(`PresharedKey = ${p.presharedKey}`);
    if (p.allowedIps.length > 0) lines.push(`AllowedIPs = ${p.allowedIps.join(', ')}`);
    if (p.endpoint !== null) lines.push(`Endpoint = ${p.endpoint}`);
    if (p.persistentKeepalive !== null)
      lines.push(`PersistentKeepalive = ${p.persistentKeepalive}`);
    parts.push(lines.join('\n'));
  }
  return parts.join('\n\n') + '\n';
}

/** Adds the peer, or replaces the one with its public key in place (keeping its extra lines). */
export function upsertPeer(conf: ConfFile, peer: Omit<ConfPeer, 'extra'>): ConfFile {
  const i = conf.peers.findIndex((p) => p.publicKey === peer.publicKey);
  if (i < 0) return { head: conf.head, peers: [...conf.peers, { ...peer, extra: [] }] };
  const peers = conf.peers.slice();
  peers[i] = { ...peer, extra: conf.peers[i]?.extra ?? [] };
  return { head: conf.head, peers };
}

/** Removes the peer with this public key; the same conf when it is not there. */
export function removePeer(conf: ConfFile, publicKey: string): ConfFile {
  const peers = conf.peers.filter((p) => p.publicKey !== publicKey);
  return peers.length === conf.peers.length ? conf : { head: conf.head, peers };
}

export interface InterfaceHead {
  readonly privateKey: string;
  readonly addresses: readonly string[];
  readonly listenPort: number | null;
  readonly mtu?: number | null | undefined;
  readonly fwmark?: number | null | undefined;
  readonly postUp?: string | undefined;
  readonly postDown?: string | undefined;
}

/** The `[Interface]` section of a new file. */
export function interfaceHead(h: InterfaceHead): string {
  const lines = ['[Interface]', `PrivateKey = ${h.privateKey}`];
  if (h.addresses.length > 0) lines.push(`Address = ${h.addresses.join(', ')}`);
  if (h.listenPort !== null) lines.push(`ListenPort = ${h.listenPort}`);
  if (h.mtu) lines.push(`MTU = ${h.mtu}`);
  if (h.fwmark) lines.push(`FwMark = ${h.fwmark}`);
  if (h.postUp) lines.push(`PostUp = ${h.postUp}`);
  if (h.postDown) lines.push(`PostDown = ${h.postDown}`);
  return lines.join('\n');
}

/**
 * Builds a wg-quick file for an interface that has none, from `wg showconf` (its private key, port
 * and peers) and the addresses the interface carries.
 */
export function confFromShowConf(
  showConf: string,
  addresses: readonly string[],
  mtu: number | null,
): ConfFile {
  const parsed = parseConf(showConf);
  const kv = new Map<string, string>();
  for (const line of parsed.head.split('\n')) {
    const m = KV.exec(line);
    if (m?.[1] && m[2] !== undefined) kv.set(m[1].toLowerCase(), m[2]);
  }
  const privateKey = kv.get('privatekey');
  if (!privateKey) throw new Error('wg showconf printed no private key');
  const listenPort = kv.get('listenport');
  const fwmark = kv.get('fwmark');
  const head = interfaceHead({
    privateKey,
    addresses,
    listenPort: listenPort ? Number(listenPort) : null,
    mtu: mtu !== null && mtu !== 1420 ? mtu : null,
    fwmark: fwmark && fwmark !== 'off' ? Number(fwmark) : null,
  });
  return { head, peers: parsed.peers };
}
