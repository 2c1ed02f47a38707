import { isCidr, isEndpoint } from '../../shared/cidr.js';
import { normalizeWgKey } from '../../shared/keys.js';
import type { PeerPut } from '../../shared/wire/agent-api.js';
import { parseConf, removePeer, serializeConf, upsertPeer } from '../wg/conf-file.js';
import { ShapeError } from '../tc/interface-shape.js';
import { NO_LIMIT, type RateLimit } from '../tc/rate-limit.js';
import { ShapeFailed } from '../tc/shaper.js';
import type { PeerSpec } from '../wg/wg-cli.js';
import { AgentError, invalidInput, notFound } from './errors.js';
import { checkInterface, ensureConf, readCountersLocked } from './interfaces.js';
import type { AgentDeps } from './ports.js';
import { wgCall } from './wg-errors.js';

/** Validates a public key taken from a path (standard base64, percent-decoded, or base64url). */
export function checkPeerKey(raw: string): string {
  const key = normalizeWgKey(raw);
  if (key === null) throw invalidInput('public_key', 'must be a 32-byte key in base64');
  return key;
}

/** Checks a PUT body beyond its schema and turns it into the desired peer. */
export function peerSpec(publicKey: string, body: PeerPut): PeerSpec {
  body.allowed_ips.forEach((ip, i) => {
    if (!isCidr(ip)) throw invalidInput(`allowed_ips[${i}]`, 'must be a CIDR such as 10.8.0.2/32');
  });
  if (body.endpoint != null && !isEndpoint(body.endpoint))
    throw invalidInput('endpoint', 'must be host:port or [ipv6]:port');
  return {
    publicKey,
    allowedIps: body.allowed_ips,
    presharedKey: body.preshared_key ?? null,
    persistentKeepalive: body.persistent_keepalive || null,
    endpoint: body.endpoint ?? null,
  };
}

/** The body's speed limits (absent or null: none). */
export function rateLimitOf(body: PeerPut): RateLimit {
  const r = body.rate_limit;
  return r ? { downloadBps: r.download_bps, uploadBps: r.upload_bps } : NO_LIMIT;
}

/**
 * Adds or replaces a peer, on the live interface and in its conf file, then its speed limits.
 * When the interface is down but has a conf file, only the file (and the saved limits) change:
 * the peer is there, limited, when the interface comes up.
 */
export async function putPeer(
  deps: AgentDeps,
  iface: string,
  rawKey: string,
  body: PeerPut,
): Promise<void> {
  checkInterface(deps, iface);
  const spec = peerSpec(checkPeerKey(rawKey), body);
  const limit = rateLimitOf(body);
  if (!deps.shaper && (limit.downloadBps !== null || limit.uploadBps !== null))
    throw invalidInput('rate_limit', 'this agent does not shape traffic');
  await deps.lock.run(iface, async () => {
    const live = await applyLive(iface, 'wg set peer', () => deps.wg.setPeer(iface, spec));
    await editConf(deps, iface, live, (conf) => upsertPeer(conf, spec));
    const instance = live ? await deps.links.instance(iface) : null;
    await shape(() =>
      deps.shaper?.setPeer(iface, spec.publicKey, spec.allowedIps, limit, instance),
    );
  });
}

/** Runs a shaper call, its failures turned into the agent's errors. */
async function shape(call: () => Promise<void> | undefined): Promise<void> {
  try {
    await call();
  } catch (e) {
    if (e instanceof ShapeError) throw invalidInput(e.field, e.message.slice(e.field.length + 2));
    if (e instanceof ShapeFailed) throw new AgentError('tc_failed', e.message, e.peer ?? e.iface);
    throw e;
  }
}

/** Removes a peer from the live interface and its conf file; a peer already gone is success. */
export async function deletePeer(deps: AgentDeps, iface: string, rawKey: string): Promise<void> {
  checkInterface(deps, iface);
  const key = checkPeerKey(rawKey);
  await deps.lock.run(iface, () => removePeerLocked(deps, iface, key));
}

/**
 * Removes a peer; the caller holds the interface's lock. Its counters are read first, so the
 * totals keep every byte it used (removal zeroes WireGuard's counters).
 */
export async function removePeerLocked(deps: AgentDeps, iface: string, key: string): Promise<void> {
  await readCountersLocked(deps, iface);
  const live = await applyLive(iface, 'wg set peer remove', () => deps.wg.removePeer(iface, key));
  deps.ledger?.counters.peerRemoved(iface, key);
  deps.ledger?.flushSoon();
  await editConf(deps, iface, live, (conf) => removePeer(conf, key));
  const instance = live ? await deps.links.instance(iface) : null;
  await shape(() => deps.shaper?.removePeer(iface, key, instance));
}

/** Runs the change on the live interface; false when the interface is not running. */
async function applyLive(
  iface: string,
  action: string,
  change: () => Promise<void>,
): Promise<boolean> {
  try {
    await wgCall(iface, action, change);
    return true;
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'not_found') return false;
    throw e;
  }
}

async function editConf(
  deps: AgentDeps,
  iface: string,
  live: boolean,
  edit: (conf: ReturnType<typeof parseConf>) => ReturnType<typeof parseConf>,
): Promise<void> {
  const text = live ? await ensureConf(deps, iface) : await deps.confs.read(iface);
  if (text === null) {
    if (!live) throw notFound(`interface ${iface}`);
    return;
  }
  const next = serializeConf(edit(parseConf(text)));
  if (next !== text) await deps.confs.write(iface, next);
}
