import type { Dump, InterfaceCreate, InterfaceSummary } from '../../shared/wire/agent-api.js';
import { isCidr } from '../../shared/cidr.js';
import { generateWgKeyPair, wgPublicKey } from '../../shared/keys.js';
import { isInterfaceName } from '../../shared/wg-names.js';
import { confFromShowConf, interfaceHead, parseConf, serializeConf } from '../wg/conf-file.js';
import { DumpFormatError, parseDump } from '../wg/dump-parser.js';
import { dumpText, type DumpForm, type DumpLedger } from '../wg/dump-stream.js';
import { conflict, forbidden, invalidInput, notFound, wgFailed } from './errors.js';
import type { NodeLedger } from './node-ledger.js';
import type { AgentDeps } from './ports.js';
import { isNoDevice, wgCall } from './wg-errors.js';

/** Validates an interface name from a request and checks the agent manages it. */
export function checkInterface(deps: AgentDeps, name: string): string {
  if (!isInterfaceName(name))
    throw invalidInput('interface', 'must match ^[A-Za-z0-9_=+.-]{1,15}$');
  if (deps.onlyInterfaces && !deps.onlyInterfaces.has(name)) throw notFound(`interface ${name}`);
  return name;
}

/** Interfaces live in this network namespace (wireguard-go lists sockets of every namespace). */
async function liveInterfaces(deps: AgentDeps) {
  const [names, links] = await Promise.all([
    wgCall('*', 'wg show interfaces', () => deps.wg.interfaces()),
    deps.links.links(),
  ]);
  const live = names.filter((n) => links.has(n));
  return { live: new Set(live), links };
}

/** Lists managed interfaces: the live ones and those with a conf file (down). */
export async function listInterfaces(deps: AgentDeps): Promise<InterfaceSummary[]> {
  const [{ live, links }, confNames] = await Promise.all([
    liveInterfaces(deps),
    deps.confs.names(),
  ]);
  const all = [...new Set([...live, ...confNames])]
    .filter((n) => !deps.onlyInterfaces || deps.onlyInterfaces.has(n))
    .sort();
  return Promise.all(
    all.map(async (name): Promise<InterfaceSummary> => {
      const link = links.get(name);
      if (live.has(name) && link) {
        const dump = parseDump(name, await wgCall(name, 'wg show dump', () => deps.wg.dump(name)));
        return {
          name,
          public_key: dump.interface.public_key,
          listen_port: dump.interface.listen_port,
          addresses: link.addresses,
          mtu: link.mtu,
          peer_count: dump.peers.length,
          up: link.up,
        };
      }
      return summaryFromConf(deps, name);
    }),
  );
}

async function summaryFromConf(deps: AgentDeps, name: string): Promise<InterfaceSummary> {
  const conf = parseConf((await deps.confs.read(name)) ?? '');
  const get = (key: string) =>
    new RegExp(`^\\s*${key}\\s*=\\s*(.+?)\\s*$`, 'im').exec(conf.head)?.[1] ?? null;
  const priv = get('PrivateKey');
  let publicKey: string | null = null;
  try {
    publicKey = priv ? wgPublicKey(priv) : null;
  } catch {
    publicKey = null;
  }
  const port = get('ListenPort');
  const mtu = get('MTU');
  return {
    name,
    public_key: publicKey,
    listen_port: port ? Number(port) : null,
    addresses: (get('Address') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    mtu: mtu ? Number(mtu) : null,
    peer_count: conf.peers.length,
    up: false,
  };
}

/**
 * The interface's dump as text pieces in `form` (the seed's JSON, or the compact TSV the panel
 * asks for), streamed from `wg` as it prints (secrets skipped).
 * Resolves once the interface line was read, so a missing interface is still a clean 404; a
 * failure after that ends the stream with an error.
 */
export async function dumpInterfaceText(
  deps: AgentDeps,
  name: string,
  form: DumpForm = 'json',
): Promise<AsyncIterable<Buffer>> {
  checkInterface(deps, name);
  const ledger = deps.ledger && (await ledgerView(deps, deps.ledger, name));
  // Read before `wg` starts: nothing may stand between spawning it and reading its output.
  const instance = await deps.links.instance(name);
  const proc = deps.wg.dumpStream(name);
  const pieces = dumpText(form, name, proc.stdout, instance, ledger)[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await pieces.next();
  } catch (e) {
    proc.stdout.destroy();
    await wgCall(name, 'wg show dump', () => proc.done);
    if (e instanceof DumpFormatError) throw wgFailed('wg show dump', e.message);
    throw e;
  }
  return (async function* () {
    if (!first.done) yield first.value;
    for (let r = await pieces.next(); !r.done; r = await pieces.next()) yield r.value;
    await wgCall(name, 'wg show dump', () => proc.done);
  })();
}

/**
 * How old the read loop's reading may be for a dump to carry its totals instead of reading every
 * counter again (the read loop's default interval): a second full reading per dump cost as much
 * as the dump itself at 10,000 peers. The dump brings each peer's totals up to its own raw counters.
 */
const DUMP_TOTALS_MAX_AGE_MS = 1000;

/** The interface's totals (a reading at most a second old, else one made now) and records. */
async function ledgerView(deps: AgentDeps, ledger: NodeLedger, name: string): Promise<DumpLedger> {
  const read =
    (await ledger.counters.recent(name, DUMP_TOTALS_MAX_AGE_MS)) ??
    (await deps.lock.run(name, () => ledger.counters.readLocked(name)).catch(() => null));
  const totals = read ?? ledger.counters.ensure(name);
  return { epoch: totals.epoch, peers: totals.peers, enforcements: ledger.enforcer.list(name) };
}

/** Dumps of every managed interface that is running (for metrics). */
export async function liveDumps(deps: AgentDeps): Promise<Dump[]> {
  const { live } = await liveInterfaces(deps);
  const names = [...live].filter((n) => !deps.onlyInterfaces || deps.onlyInterfaces.has(n));
  return Promise.all(names.map((n) => dumpInterface(deps, n)));
}

/** The interface's dump, secrets stripped. */
export async function dumpInterface(deps: AgentDeps, name: string): Promise<Dump> {
  checkInterface(deps, name);
  const [text, instance] = await Promise.all([
    wgCall(name, 'wg show dump', () => deps.wg.dump(name)),
    deps.links.instance(name),
  ]);
  return parseDump(name, text, instance);
}

/**
 * Makes sure the interface has a conf file, writing one from the live interface when it has none
 * (an interface made by hand is adopted: from now on its peers survive a reboot).
 */
export async function ensureConf(deps: AgentDeps, name: string): Promise<string | null> {
  const existing = await deps.confs.read(name);
  if (existing !== null) return existing;
  let showConf: string;
  try {
    showConf = await deps.wg.showConf(name);
  } catch (e) {
    if (isNoDevice(e)) return null;
    return wgCall(name, 'wg showconf', () => Promise.reject(e));
  }
  const link = (await deps.links.links()).get(name);
  const text = serializeConf(confFromShowConf(showConf, link?.addresses ?? [], link?.mtu ?? null));
  await deps.confs.write(name, text);
  return text;
}

const HOOK_TEXT = /^[^\r\n]*$/;

/** Creates an interface: key generated here, conf written, brought up with wg-quick. */
export async function createInterface(
  deps: AgentDeps,
  req: InterfaceCreate,
): Promise<InterfaceSummary> {
  const name = checkInterface(deps, req.name);
  const addresses = Array.isArray(req.address) ? req.address : [req.address];
  addresses.forEach((a, i) => {
    if (!isCidr(a)) throw invalidInput(`address[${i}]`, 'must be a CIDR such as 10.8.0.1/24');
  });
  for (const hook of ['post_up', 'post_down'] as const) {
    const v = req[hook];
    if (v === undefined) continue;
    if (!HOOK_TEXT.test(v)) throw invalidInput(hook, 'must be a single line');
    if (!deps.allowHooks)
      throw forbidden(`${hook} is disabled on this agent (start it with --allow-hooks)`);
  }
  return deps.lock.run(name, async () => {
    const existing = await listInterfaces({ ...deps, onlyInterfaces: null });
    if (existing.some((i) => i.name === name)) throw conflict(`interface ${name} already exists`);
    const clash = existing.find((i) => i.listen_port === req.listen_port);
    if (clash)
      throw conflict(`listen_port: ${req.listen_port} is already used by interface ${clash.name}`);
    const keys = generateWgKeyPair();
    const head = interfaceHead({
      privateKey: keys.privateKey,
      addresses,
      listenPort: req.listen_port,
      mtu: req.mtu ?? null,
      postUp: req.post_up,
      postDown: req.post_down,
    });
    await deps.confs.write(name, serializeConf({ head, peers: [] }));
    try {
      await deps.wg.quickUp(deps.confs.path(name));
    } catch (e) {
      await deps.confs.remove(name); // nothing half-made: no file without a running interface
      throw wgFailed('wg-quick up', (e as { stderr?: string }).stderr ?? String(e));
    }
    return {
      name,
      public_key: keys.publicKey,
      listen_port: req.listen_port,
      addresses,
      mtu: req.mtu ?? null,
      peer_count: 0,
      up: true,
    };
  });
}

/** Brings an interface up from its conf file; already up is success. */
export async function upInterface(deps: AgentDeps, name: string): Promise<void> {
  checkInterface(deps, name);
  await deps.lock.run(name, async () => {
    const { live } = await liveInterfaces(deps);
    if (live.has(name)) return;
    if ((await deps.confs.read(name)) === null) throw notFound(`interface ${name}`);
    await wgCall(name, 'wg-quick up', () => deps.wg.quickUp(deps.confs.path(name)));
  });
}

/** Takes an interface down (its conf file, peers included, stays); already down is success. */
export async function downInterface(deps: AgentDeps, name: string): Promise<void> {
  checkInterface(deps, name);
  await deps.lock.run(name, () => downLocked(deps, name, false));
}

/** Takes the interface down and removes its conf file. */
export async function deleteInterface(deps: AgentDeps, name: string): Promise<void> {
  checkInterface(deps, name);
  await deps.lock.run(name, () => downLocked(deps, name, true));
}

async function downLocked(deps: AgentDeps, name: string, remove: boolean): Promise<void> {
  const { live } = await liveInterfaces(deps);
  const hasConf = (await deps.confs.read(name)) !== null;
  if (!live.has(name) && !hasConf) throw notFound(`interface ${name}`);
  if (live.has(name)) {
    await ensureConf(deps, name);
    await readCountersLocked(deps, name); // going down zeroes every counter: read them first
    await wgCall(name, 'wg-quick down', () => deps.wg.quickDown(deps.confs.path(name)));
    deps.ledger?.counters.interfaceGone(name);
    await deps.shaper?.interfaceDown(name);
  }
  if (remove) {
    await deps.shaper?.interfaceDeleted(name);
    await deps.confs.remove(name);
    deps.ledger?.counters.interfaceDeleted(name);
    await deps.ledger?.enforcer.interfaceDeleted(name);
  }
  deps.ledger?.flushSoon();
}

/**
 * Brings the interface's totals up to date from its counters now (caller holds its lock), before
 * a change that zeroes them. A failed reading is not fatal: the change goes on, and the totals
 * keep what the read loop read last (at most one read interval old).
 */
export async function readCountersLocked(deps: AgentDeps, name: string): Promise<void> {
  await deps.ledger?.counters.readLocked(name).catch(() => null);
}
