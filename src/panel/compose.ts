import type { DumpSink } from './app/sync/ports.js';
import type { PanelArea } from './areas/area.js';
import { createAuthArea } from './areas/auth-area.js';
import { createFleetArea } from './areas/fleet-area.js';
import { createPeersArea } from './areas/peers-area.js';
import { createUsageArea } from './areas/usage-area.js';
import type { PanelContext } from './context.js';
import { buildPanelApp } from './http/app.js';
import { staticUi } from './http/static-ui.js';

/**
 * Builds the whole panel from a context: every area, wired in order, and the Fastify app.
 * Nothing starts here: `start()` begins polling and enforcement, `stop()` ends them.
 */
export async function composePanel(ctx: PanelContext, version: string) {
  const sinks: DumpSink[] = [];
  const auth = createAuthArea(ctx);
  const fleet = createFleetArea(ctx, sinks);
  const peers = createPeersArea(ctx, fleet.converge);
  const usage = createUsageArea(ctx, fleet.converge);
  const areas: PanelArea[] = [auth, fleet, peers, usage];
  // Usage first: a poll's bytes are counted (and the policy applied) before drift is repaired.
  sinks.push(...(usage.sinks ?? []), ...(fleet.sinks ?? []), ...(peers.sinks ?? []));

  const app = await buildPanelApp({
    auth: auth.auth,
    now: ctx.now,
    logger: ctx.logger,
    version,
    routes: [...areas.flatMap((a) => a.routes), staticUi()],
    trustProxy: ctx.config.trustProxy,
  });
  return {
    app,
    start() {
      for (const area of areas) area.start?.();
    },
    async stop() {
      for (const area of [...areas].reverse()) await area.stop?.();
    },
  };
}

export type ComposedPanel = Awaited<ReturnType<typeof composePanel>>;
