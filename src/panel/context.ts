import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DatabaseHandle } from './adapters/db/index.js';
import type { AgentClient } from './adapters/agent-client/agent-client.js';
import type { PanelConfig } from './config.js';
import type { EventJournal } from './adapters/db/repos/notifications/event-journal.js';

/** Gives the agent client of a node (one pinned connection pool per node, reused). */
export interface AgentClients {
  forNode(node: { id: number; url: string; token: string; fingerprint: string }): AgentClient;
  /** Drops a node's client (after the node was deleted or its credential changed). */
  forget(nodeId: number): Promise<void>;
  closeAll(): Promise<void>;
}

/**
 * What every area of the panel is built from. Handed to each area's `create…Area` in
 * compose.ts; tests build it with a throw-away database and a fixed or stepping clock.
 */
export interface PanelContext {
  readonly config: PanelConfig;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** The clock. Use cases take `now` from here, never from `new Date()`. */
  readonly now: () => Date;
  readonly agents: AgentClients;
  /** The panel's Prometheus registry, served at /metrics; areas register their metrics in it. */
  readonly metrics: Registry;
  /**
   * THE write of events with their notification deliveries (compose.ts sets the notifications
   * area's, which wakes the deliverer). Absent: the stores journal events and deliveries the same
   * way, and the deliverer finds them on its next look.
   */
  readonly journal?: EventJournal;
}
