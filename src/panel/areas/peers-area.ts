import { createPeerStore } from '../adapters/db/repos/peers-store.js';
import { createPeerWrites } from '../app/peers/peer-writes.js';
import type { PeerSubscriptions, QuotaChanges } from '../app/peers/ports.js';
import type { ConvergeNow } from '../app/sync/ports.js';
import type { PanelContext } from '../context.js';
import { peersAccessRoutes } from '../http/routes/peers-access-routes.js';
import { peersDownloadRoutes } from '../http/routes/peers-download-routes.js';
import { peersInfoRoutes } from '../http/routes/peers-info-routes.js';
import type { PeersRouteDeps } from '../http/routes/peers-route-deps.js';
import { peersWriteRoutes } from '../http/routes/peers-write-routes.js';
import type { PanelArea } from './area.js';
import { createShareLinksRepo } from '../adapters/db/repos/share-links-repo.js';
import { shareLinksOf } from '../app/share-links/share-links.js';

/** Peers of configurations: add (bulk), update, delete, restrict, allow, download, available IPs. */
export function createPeersArea(
  ctx: PanelContext,
  converge: ConvergeNow,
  quotas: QuotaChanges,
  subscriptions?: PeerSubscriptions,
): PanelArea {
  const store = createPeerStore(ctx.database, ctx.journal);
  const links = { links: createShareLinksRepo(ctx.database), now: ctx.now };
  const deps: PeersRouteDeps = {
    store,
    writes: createPeerWrites(store, converge),
    quotas,
    ...(subscriptions && { subscriptions }),
    now: ctx.now,
    logger: ctx.logger,
    shareLinks: (id) => shareLinksOf(links, id),
  };
  return {
    routes: [
      peersInfoRoutes(deps),
      peersWriteRoutes(deps),
      peersAccessRoutes(deps),
      peersDownloadRoutes(deps),
    ],
  };
}
