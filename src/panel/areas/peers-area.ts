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
import { createPeerJobsRepo } from '../adapters/db/repos/peer-jobs-repo.js';
import type { PeerJobStore } from '../app/wgdashboard/peer-job-store.js';
import { storedJobJson } from '../app/wgdashboard/peer-job-service.js';
import type { PeerAttachments } from '../app/peers/peer-json.js';
import type { ShareLinkDeps } from '../app/share-links/share-links.js';

/** A configuration's peers' share links and stored jobs, by public key. */
async function peerAttachments(
  links: Pick<ShareLinkDeps, 'links' | 'now'>,
  jobs: PeerJobStore,
  configurationId: number,
): Promise<Map<string, PeerAttachments>> {
  const [shared, pending] = await Promise.all([
    shareLinksOf(links, configurationId),
    jobs.pendingOf(configurationId),
  ]);
  const out = new Map<
    string,
    { shareLinks?: PeerAttachments['shareLinks']; jobs?: ReturnType<typeof storedJobJson>[] }
  >();
  for (const [key, l] of shared) out.set(key, { shareLinks: l });
  for (const j of pending) {
    const a = out.get(j.publicKey) ?? {};
    out.set(j.publicKey, { ...a, jobs: [...(a.jobs ?? []), storedJobJson(j)] });
  }
  return out;
}

/** Peers of configurations: add (bulk), update, delete, restrict, allow, download, available IPs. */
export function createPeersArea(
  ctx: PanelContext,
  converge: ConvergeNow,
  quotas: QuotaChanges,
  subscriptions?: PeerSubscriptions,
): PanelArea {
  const store = createPeerStore(ctx.database, ctx.journal);
  const links = { links: createShareLinksRepo(ctx.database), now: ctx.now };
  const jobs = createPeerJobsRepo(ctx.database);
  const deps: PeersRouteDeps = {
    store,
    writes: createPeerWrites(store, converge),
    quotas,
    ...(subscriptions && { subscriptions }),
    now: ctx.now,
    logger: ctx.logger,
    attachments: (id) => peerAttachments(links, jobs, id),
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
