import type { InterfaceSummary } from '../../../shared/wire/agent-api.js';
import type { ConfFileJson, InterfacePatch } from '../../../shared/wire/agent-conf.js';
import { isCidr } from '../../../shared/cidr.js';
import type { ConfigurationStats } from '../configurations/configuration-store.js';
import { conflict, invalidInput, notFound } from '../errors.js';
import { agentErrorToPanel } from '../nodes/fleet-agent.js';

/** What the configuration edits need of a node's agent. */
export interface InterfaceAgent {
  conf(iface: string): Promise<ConfFileJson>;
  updateInterface(iface: string, patch: InterfacePatch): Promise<InterfaceSummary>;
}

/** The interface columns of a configuration the panel keeps (what the node was told). */
export interface InterfaceColumns {
  readonly address?: string;
  readonly listenPort?: number;
  readonly mtu?: number | null;
}

/** Storage the edits need. */
export interface ConfigurationEditStore {
  /** Throws a `conflict` when another configuration has the name. */
  rename(id: number, name: string): Promise<void>;
  setInterface(id: number, columns: InterfaceColumns): Promise<void>;
}

export interface ConfigurationEditsDeps {
  /** The configuration named (with its node), as getWireguardConfigurations lists it. */
  readonly find: (name: string) => Promise<ConfigurationStats | undefined>;
  /** Every configuration (port clash checks on the node). */
  readonly all: () => Promise<readonly ConfigurationStats[]>;
  readonly store: ConfigurationEditStore;
  readonly agentOf: (c: ConfigurationStats) => Promise<InterfaceAgent>;
  readonly logger: { info(obj: object, msg: string): void };
}

/** The parts of WGDashboard 4.3's updateWireguardConfiguration body wgfleet applies. */
export interface InterfaceChange {
  readonly address?: string;
  readonly listenPort?: number;
  readonly mtu?: number | null;
  readonly postUp?: string | null;
  readonly postDown?: string | null;
}

/** The configuration named, or 404 "Configuration does not exist" (4.3's wording). */
export async function configurationNamed(deps: Pick<ConfigurationEditsDeps, 'find'>, name: string) {
  const c = await deps.find(name);
  if (!c) throw notFound('configuration', name);
  return c;
}

/** Interface addresses as the node takes them (CIDRs), from `10.8.0.1/24, fd00::1/64`. */
export function parseAddresses(field: string, text: string): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw invalidInput(field, 'give at least one address, such as 10.8.0.1/24');
  for (const a of list)
    if (!isCidr(a))
      throw invalidInput(field, `"${a}" is not an address with a prefix, such as 10.8.0.1/24`);
  return list;
}

/**
 * Applies interface settings to the configuration's node (the agent restarts the interface with
 * them, or refuses and changes nothing), then records what the panel keeps of them. A listen
 * port another configuration of the node uses is refused first.
 */
export async function changeInterface(
  deps: ConfigurationEditsDeps,
  c: ConfigurationStats,
  change: InterfaceChange,
): Promise<void> {
  const patch: InterfacePatch = {};
  if (change.address !== undefined) patch.address = parseAddresses('Address', change.address);
  if (change.listenPort !== undefined && change.listenPort !== c.listenPort) {
    const clash = (await deps.all()).find(
      (o) => o.id !== c.id && o.node.id === c.node.id && o.listenPort === change.listenPort,
    );
    if (clash)
      throw conflict(
        `Already have a configuration with the port "${change.listenPort}"`,
        clash.name,
        'ListenPort',
      );
    patch.listen_port = change.listenPort;
  }
  if (change.mtu !== undefined) patch.mtu = change.mtu;
  if (change.postUp !== undefined) patch.post_up = change.postUp;
  if (change.postDown !== undefined) patch.post_down = change.postDown;
  if (Object.keys(patch).length === 0) return;
  try {
    await (await deps.agentOf(c)).updateInterface(c.interfaceName, patch);
  } catch (e) {
    throw agentErrorToPanel(c.node.name, e);
  }
  await deps.store.setInterface(c.id, {
    ...(patch.address && { address: patch.address.join(', ') }),
    ...(patch.listen_port !== undefined && { listenPort: patch.listen_port }),
    ...(patch.mtu !== undefined && { mtu: patch.mtu }),
  });
  deps.logger.info(
    { configuration: c.name, changed: Object.keys(patch) },
    'configuration interface updated',
  );
}

const CONFIGURATION_NAME = /^[A-Za-z0-9_=+.-]{1,64}$/;

/**
 * WGDashboard 4.3's renameWireguardConfiguration: the panel's name of the configuration
 * changes (paths, scripts, the UI); the interface on the node keeps its name, its peers, jobs
 * and usage stay (they hang on the configuration's id).
 */
export async function renameConfiguration(
  deps: ConfigurationEditsDeps,
  from: string,
  to: string,
): Promise<void> {
  const c = await configurationNamed(deps, from);
  const name = to.trim();
  if (!CONFIGURATION_NAME.test(name))
    throw invalidInput('NewConfigurationName', 'must be 1–64 characters of A–Z a–z 0–9 _ = + . -');
  if (name === c.name) return;
  if (await deps.find(name))
    throw conflict('Configuration name already exist', name, 'NewConfigurationName');
  await deps.store.rename(c.id, name);
  deps.logger.info({ configuration: name, was: c.name }, 'configuration renamed');
}
