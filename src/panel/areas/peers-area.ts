// PLACEHOLDER being replaced in this session by the peers work.
import type { ConvergeNow } from '../app/sync/ports.js';
import type { PanelContext } from '../context.js';
import type { PanelArea } from './area.js';

/** Peers of configurations: add (bulk), update, delete, restrict, allow, download, available IPs. */
export function createPeersArea(_ctx: PanelContext, _converge: ConvergeNow): PanelArea {
  return { routes: [] };
}
