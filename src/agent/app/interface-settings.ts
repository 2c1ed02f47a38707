import {
  PRESHARED_KEY_PLACEHOLDER,
  PRIVATE_KEY_PLACEHOLDER,
  type ConfFileJson,
  type InterfacePatch,
} from '../../shared/wire/agent-conf.js';
import type { InterfaceSummary } from '../../shared/wire/agent-api.js';
import { isCidr } from '../../shared/cidr.js';
import { parseConf, serializeConf } from '../wg/conf-file.js';
import { setHeadValues } from '../wg/conf-head.js';
import { conflict, forbidden, invalidInput, notFound, wgFailed } from './errors.js';
import { checkInterface, ensureConf, listInterfaces, readCountersLocked } from './interfaces.js';
import type { AgentDeps } from './ports.js';
import { wgCall } from './wg-errors.js';

const SECRET_LINE = /^(\s*)(PrivateKey|PresharedKey)\s*=.*$/gim;

/** The file's text with the private and preshared keys replaced by comments. */
export function redactConf(text: string): string {
  return text.replace(SECRET_LINE, (_m, _indent: string, key: string) =>
    key.toLowerCase() === 'privatekey' ? PRIVATE_KEY_PLACEHOLDER : PRESHARED_KEY_PLACEHOLDER,
  );
}

/** The interface's wg-quick file as the node keeps it (written first for an adopted one), keys redacted. */
export async function readConfRedacted(deps: AgentDeps, name: string): Promise<ConfFileJson> {
  checkInterface(deps, name);
  const text = await deps.lock.run(name, () => ensureConf(deps, name));
  if (text === null) throw notFound(`interface ${name}`);
  return { path: deps.confs.path(name), content: redactConf(text) };
}

const SINGLE_LINE = /^[^\r\n]*$/;

/** The head lines a patch sets (null: removed); checks every field first. */
function headChanges(deps: AgentDeps, patch: InterfacePatch): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (patch.address !== undefined) {
    patch.address.forEach((a, i) => {
      if (!isCidr(a)) throw invalidInput(`address[${i}]`, 'must be a CIDR such as 10.8.0.1/24');
    });
    out.Address = patch.address.join(', ');
  }
  if (patch.listen_port !== undefined) out.ListenPort = String(patch.listen_port);
  if (patch.mtu !== undefined) out.MTU = patch.mtu === null ? null : String(patch.mtu);
  for (const [field, key] of [
    ['post_up', 'PostUp'],
    ['post_down', 'PostDown'],
  ] as const) {
    const v = patch[field];
    if (v === undefined) continue;
    if (v === null || v.trim() === '') {
      out[key] = null;
      continue;
    }
    if (!SINGLE_LINE.test(v)) throw invalidInput(field, 'must be a single line');
    if (!deps.allowHooks)
      throw forbidden(`${field} is disabled on this agent (start it with --allow-hooks)`);
    out[key] = v.trim();
  }
  return out;
}

/**
 * Changes the interface's `[Interface]` settings. A running interface is taken down with its old
 * file (its counters read first; its PostDown is the old one), the file rewritten, and brought
 * up again; when it does not come up, the old file is put back and brought up, and the call fails
 * naming wg-quick's complaint. Peers stay: they are in the file.
 */
export async function updateInterface(
  deps: AgentDeps,
  name: string,
  patch: InterfacePatch,
): Promise<InterfaceSummary> {
  checkInterface(deps, name);
  const changes = headChanges(deps, patch);
  await deps.lock.run(name, async () => {
    const all = await listInterfaces({ ...deps, onlyInterfaces: null });
    const self = all.find((i) => i.name === name);
    if (!self) throw notFound(`interface ${name}`);
    if (patch.listen_port !== undefined) {
      const clash = all.find((i) => i.name !== name && i.listen_port === patch.listen_port);
      if (clash)
        throw conflict(
          `listen_port: ${patch.listen_port} is already used by interface ${clash.name}`,
        );
    }
    const before = await ensureConf(deps, name);
    if (before === null) throw notFound(`interface ${name}`);
    const conf = parseConf(before);
    const head = setHeadValues(conf.head, changes);
    if (head === conf.head) return;
    const after = serializeConf({ head, peers: conf.peers });
    const path = deps.confs.path(name);
    if (self.up) {
      await readCountersLocked(deps, name); // going down zeroes every counter: read them first
      await wgCall(name, 'wg-quick down', () => deps.wg.quickDown(path));
      deps.ledger?.counters.interfaceGone(name);
    }
    await deps.confs.write(name, after);
    if (!self.up) return;
    try {
      await deps.wg.quickUp(path);
    } catch (e) {
      await deps.confs.write(name, before);
      await deps.wg.quickUp(path).catch(() => undefined);
      throw wgFailed('wg-quick up', (e as { stderr?: string }).stderr ?? String(e));
    } finally {
      deps.ledger?.flushSoon();
    }
  });
  const [summary] = (await listInterfaces(deps)).filter((i) => i.name === name);
  if (!summary) throw notFound(`interface ${name}`);
  return summary;
}
