import type { Shaper } from '../tc/shaper.js';
import type { ConfStore } from '../wg/conf-store.js';
import type { LinkInfo } from '../wg/link-info.js';
import type { WgCli } from '../wg/wg-cli.js';
import type { KeyedLock } from './keyed-lock.js';
import type { NodeLedger } from './node-ledger.js';

/** What the agent's use cases need, handed in by main.ts (and by tests). */
export interface AgentDeps {
  readonly wg: WgCli;
  readonly links: LinkInfo;
  readonly confs: ConfStore;
  readonly lock: KeyedLock;
  /** When set, only these interfaces are managed; otherwise every one of this host. */
  readonly onlyInterfaces: ReadonlySet<string> | null;
  /** PostUp/PostDown run shell commands as root on the node: refused unless the operator allows. */
  readonly allowHooks: boolean;
  /**
   * The node's own totals and enforcement. Null: an agent without them, answering as agents
   * before them did (raw counters only, no allowances) — for tests of mixed fleets.
   */
  readonly ledger: NodeLedger | null;
  /** Per-peer speed limits with tc; absent: an agent that refuses rate limits (unit tests). */
  readonly shaper?: Shaper | null;
  /**
   * Lists the WireGuard interfaces for the read loop without spawning `wg` (see
   * listWgInterfaces); absent: `wg show interfaces`.
   */
  readonly listInterfaces?: () => Promise<string[]>;
}
