import type { Logger } from 'pino';
import type { ConfigurationState, InterfaceStatus } from './configuration-state.js';
import type { SyncConfiguration } from './sync-store.js';

/** An event about a configuration's interface (stored with the peer events, without a peer). */
export interface InterfaceEvent {
  readonly type: 'interface_missing' | 'interface_back';
  readonly configurationId: number;
  readonly nodeId: number;
  readonly message: string;
  readonly values: Readonly<Record<string, string>>;
  readonly at: Date;
}

/** Where the last seen status of each interface is kept (it must survive a restart). */
export interface InterfaceStatusStore {
  /**
   * In one transaction: stores `status` as the configuration's interface status and, when
   * `eventOf(previous)` gives an event (previous: the stored status, null = never seen), stores
   * that event.
   */
  setInterfaceStatus(
    configurationId: number,
    status: InterfaceStatus,
    eventOf: (previous: InterfaceStatus | null) => InterfaceEvent | null,
  ): Promise<InterfaceStatus | null>;
}

export interface InterfaceWatchDeps {
  readonly store: InterfaceStatusStore;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Told after each poll whether the interface is there (the metric). */
  readonly onStatus?: (configuration: string, up: boolean) => void;
}

/** The event of a transition, or null (a first sighting of a present interface is none). */
export function interfaceEvent(
  config: SyncConfiguration,
  previous: InterfaceStatus | null,
  status: InterfaceStatus,
  at: Date,
): InterfaceEvent | null {
  const where = `Interface ${config.interfaceName} of configuration ${config.name} on node ${config.nodeName}`;
  const values = { interface: config.interfaceName, node: config.nodeName };
  const base = { configurationId: config.id, nodeId: config.nodeId, values, at };
  if (status === 'missing' && previous !== 'missing')
    return {
      ...base,
      type: 'interface_missing',
      message: `${where} is missing: its peers get no traffic, and quotas on it cannot be enforced until it is back`,
    };
  if (status === 'up' && previous === 'missing')
    return { ...base, type: 'interface_back', message: `${where} is back` };
  return null;
}

/**
 * What each poll found of a configuration's interface: `up` (the dump answered) or `missing`
 * (the node says there is no such interface). A change is stored with its event once per
 * transition (`interface_missing`, `interface_back`) and logged; every poll sets the metric.
 */
export class InterfaceWatch {
  constructor(private readonly deps: InterfaceWatchDeps) {}

  async observed(
    config: SyncConfiguration,
    state: ConfigurationState,
    status: InterfaceStatus,
  ): Promise<void> {
    this.deps.onStatus?.(config.name, status === 'up');
    if (state.interfaceStatus === status) return;
    try {
      let event: InterfaceEvent | null = null;
      await this.deps.store.setInterfaceStatus(config.id, status, (previous) => {
        event = interfaceEvent(config, previous, status, this.deps.now());
        return event;
      });
      state.interfaceStatus = status;
      const e = event as InterfaceEvent | null;
      if (!e) return;
      const fields = { configuration: config.name, node: config.nodeName, event: e.type };
      if (e.type === 'interface_missing') this.deps.logger.warn(fields, e.message);
      else this.deps.logger.info(fields, e.message);
    } catch (err) {
      // Not remembered: the next poll tries again.
      this.deps.logger.error(
        { err, configuration: config.name },
        'could not store interface status',
      );
    }
  }
}
