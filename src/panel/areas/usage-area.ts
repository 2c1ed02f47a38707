// PLACEHOLDER being replaced in this session by the usage work (issue 4).
import type { ConvergeNow } from '../app/sync/ports.js';
import type { PanelContext } from '../context.js';
import type { PanelArea } from './area.js';

/** Usage ledger, quotas and expiry: ingest, policy, events, the seed's endpoints, /metrics. */
export function createUsageArea(_ctx: PanelContext, _converge: ConvergeNow): PanelArea {
  return { routes: [] };
}
