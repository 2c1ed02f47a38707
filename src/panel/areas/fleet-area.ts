// PLACEHOLDER being replaced in this session by the fleet work (nodes, configurations, poller,
// reconciler). Keeps compose.ts stable while three areas are built side by side.
import type { ConvergeNow, DumpSink } from '../app/sync/ports.js';
import type { PanelContext } from '../context.js';
import type { PanelArea } from './area.js';

export interface FleetArea extends PanelArea {
  /** Makes one configuration match the database now (see ConvergeNow). */
  readonly converge: ConvergeNow;
}

/**
 * Nodes, configurations, the poller and the reconciler. `sinks` is filled by compose.ts after
 * every area is built: the poller hands each configuration's dump to each of them, in order.
 */
export function createFleetArea(_ctx: PanelContext, _sinks: readonly DumpSink[]): FleetArea {
  return {
    routes: [],
    converge: { converge: async () => ({ applied: false, reason: 'not built yet' }) },
  };
}
