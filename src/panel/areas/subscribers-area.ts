import { createSubscriberStore } from '../adapters/db/repos/subscribers-store.js';
import type { SubscribersDeps } from '../app/subscribers/add-subscriber.js';
import { PageRateLimit } from '../app/subscribers/page-rate-limit.js';
import { setPeerSubscriber } from '../app/subscribers/subscriber-changes.js';
import type { PeerSubscriptions } from '../app/peers/ports.js';
import type { PanelSettingsService } from '../app/settings/panel-settings.js';
import type { ConvergeNow } from '../app/sync/ports.js';
import type { SubscriberQuotas } from '../app/usage/subscriber-quotas.js';
import { createUsersStore } from '../adapters/db/repos/users-store.js';
import type { PanelContext } from '../context.js';
import { subscriberPageRoutes } from '../http/routes/subscriber-page-routes.js';
import { subscribersReadRoutes } from '../http/routes/subscribers-read-routes.js';
import { subscribersWriteRoutes } from '../http/routes/subscribers-write-routes.js';
import type { PanelArea } from './area.js';

export interface SubscribersArea extends PanelArea {
  /** Peers joining and leaving subscribers, for the peers area (updatePeerSettings). */
  readonly subscriptions: PeerSubscriptions;
}

/**
 * Subscribers: one customer, peers on many nodes, one quota, one date, one page. Its quota path
 * is the usage area's (SubscriberQuotas over the same policy runner, ingest and tick).
 */
export function createSubscribersArea(
  ctx: PanelContext,
  converge: ConvergeNow,
  quotas: SubscriberQuotas,
  settings: PanelSettingsService,
): SubscribersArea {
  const store = createSubscriberStore(ctx.database, ctx.journal);
  const users = createUsersStore(ctx.database);
  const deps: SubscribersDeps = {
    store,
    policy: quotas,
    converge,
    now: ctx.now,
    allowedConfigurations: async (userId) =>
      (await users.byId(userId))?.limits?.configurations ?? [],
  };
  const routeDeps = {
    ...deps,
    timezone: async () => (await settings.get()).timezone,
    pageRateLimit: new PageRateLimit(),
  };
  return {
    subscriptions: {
      exists: async (id) => (await store.byId(id)) !== null,
      setSubscriber: (peerId, subscriberId) => setPeerSubscriber(deps, peerId, subscriberId),
    },
    routes: [
      subscribersReadRoutes(routeDeps),
      subscribersWriteRoutes(routeDeps),
      subscriberPageRoutes(routeDeps),
    ],
  };
}
