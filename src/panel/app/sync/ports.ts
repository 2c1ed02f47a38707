import type { Dump } from '../../../shared/wire/agent-api.js';

/** One node's interface, as the poller hands it over. */
export interface ObservedConfiguration {
  readonly nodeId: number;
  readonly configurationId: number;
  readonly dump: Dump;
  /** When the dump was taken (the panel's clock). */
  readonly observedAt: Date;
}

/**
 * Consumers of each poll: the reconciler (drift repair) and the usage ingest (ledger, policy).
 * The poller calls every sink with each configuration it read; a sink's failure is logged and
 * does not stop the others.
 */
export interface DumpSink {
  readonly name: string;
  onDump(observed: ObservedConfiguration): Promise<void>;
}

/** Result of making one configuration converge right now. */
export type ConvergeResult =
  { readonly applied: true } | { readonly applied: false; readonly reason: string };

/**
 * Asks for one configuration to be made to match the database now (after a peer was added,
 * restricted, allowed, deleted …), instead of at the next poll. Resolves when that attempt is
 * over; a node that is down is not an error: the poller converges it when it answers again.
 */
export interface ConvergeNow {
  converge(configurationId: number): Promise<ConvergeResult>;
}
