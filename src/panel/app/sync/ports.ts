import type { Dump, Enforcement } from '../../../shared/wire/agent-api.js';
import type { Fence } from '../cluster/ports.js';

/** One node's interface, as the poller hands it over. */
export interface ObservedConfiguration {
  readonly nodeId: number;
  readonly configurationId: number;
  readonly dump: Dump;
  /** When the dump was taken (the panel's clock). */
  readonly observedAt: Date;
  /**
   * How a consumer that changed what this configuration wants (the ingest restricted a peer)
   * asks for it to converge: the poll's reconcile step, which runs after every consumer, then
   * compares in full. Absent when the dump was not handed over by a poll (tests, benchmarks):
   * use ConvergeNow then.
   */
  readonly convergeAfter?: () => void;
  /**
   * The node's lease as this panel holds it: every write for the node checks it in its own
   * transaction (refused with LeaseLostError when lost). Absent: no cluster (tests, benchmarks).
   */
  readonly fence?: Fence;
}

/**
 * Consumers of each poll's dump (the usage ingest: ledger, policy), run in order before the
 * poll's reconcile step; a consumer's failure is logged and does not stop the others.
 */
export interface DumpSink {
  readonly name: string;
  onDump(observed: ObservedConfiguration): Promise<void>;
}

/** Result of making one configuration converge right now. */
export type ConvergeResult =
  { readonly applied: true } | { readonly applied: false; readonly reason: string };

/** Extra instructions for one convergence. */
export interface ConvergeOptions {
  /**
   * Public keys the panel has just deleted (their rows are gone): removed from the node if they
   * are there. Without this, a peer on the node that the database does not know is *drift*:
   * reported (getNodes / getWireguardConfigurations), never removed. Restricted peers need no
   * mention here: their rows say so. Keys of peers that are active in the database are ignored.
   *
   * When the node is down, these keys are remembered (in memory) and removed on the first
   * successful convergence of the configuration.
   */
  readonly remove?: readonly string[];
}

/**
 * Asks for one configuration to be made to match the database now (after a peer was added,
 * restricted, allowed, deleted …), instead of at the next poll. Resolves when that attempt is
 * over; a node that is down (or a configuration turned off) is not an error: it resolves
 * `{applied: false, reason}` and the poller converges it when the node answers again.
 *
 * It works like a poll of that one configuration: a fresh dump goes to every DumpSink in order
 * (so the bytes a peer moved until now are counted before the reconciler removes it), then the
 * reconcile step. One at a time per configuration, shared with the poller. A consumer being
 * handed a dump never calls this for that configuration (it would wait for its own poll): it
 * calls `ObservedConfiguration.convergeAfter`.
 */
export interface ConvergeNow {
  converge(configurationId: number, options?: ConvergeOptions): Promise<ConvergeResult>;
}

/** The peers a node cut on its own while the panel was away, as one poll's dump lists them. */
export interface ObservedCuts {
  readonly nodeId: number;
  readonly configurationId: number;
  /** Oldest first, as the agent keeps them; never empty. */
  readonly cuts: readonly Enforcement[];
  /** When the dump was taken (the panel's clock). */
  readonly observedAt: Date;
  /** As ObservedConfiguration.fence. */
  readonly fence?: Fence;
}

/**
 * Records what a node did while the panel was away, in a poll step that runs before the
 * consumers and the reconcile (which would otherwise put back a peer the node cut). The poll then
 * acknowledges every listed record to the agent.
 */
export interface AgentCutSink {
  /**
   * Records the cuts not recorded yet (each once, by id, also when an acknowledgement was lost);
   * `changed` when a peer's wanted state changed (the reconcile then compares in full). Throws
   * when they could not be recorded: the poll ends before its reconcile, nothing is acknowledged.
   */
  record(observed: ObservedCuts): Promise<{ readonly changed: boolean }>;
  /** The agent acknowledged (forgot) every record it listed for the configuration. */
  acknowledged(configurationId: number): Promise<void>;
}
