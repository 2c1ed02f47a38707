import type { FastifyPluginAsync } from 'fastify';
import type { DumpSink } from '../app/sync/ports.js';

/**
 * One area of the panel (auth, fleet, peers, usage): its routes, what it wants to hear of each
 * poll, and its background work. compose.ts builds the areas in order and wires them together.
 */
export interface PanelArea {
  readonly routes: readonly FastifyPluginAsync[];
  /** Consumers of every poll's dumps (see DumpSink). */
  readonly sinks?: readonly DumpSink[];
  /** Starts timers (the poller, the enforcement tick). Not called in API-only tests. */
  start?(): void;
  /** Stops timers and waits for work in flight. */
  stop?(): Promise<void>;
}
