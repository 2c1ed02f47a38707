import type { AuditActor, AuditTarget } from '../../app/audit/audit-entry.js';
import type { SnapshotRef } from '../../app/audit/snapshots.js';

/** What a rule sees of a request: its parsed path parameters, query string and JSON body. */
export interface AuditRequest {
  readonly params: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: Readonly<Record<string, unknown>>;
  /** The signed-in user's id (routes on one's own account name it so). */
  readonly userId?: number;
}

/**
 * How one mutating route is audited. `state` names the stored state read before the handler runs
 * and again after it (`stateAfter` when the answer or another name says where it is afterwards: a
 * creation, a rename). Neither the request body nor the answer is ever recorded as such.
 */
export interface AuditRule {
  /** The action recorded (the API's own name). */
  readonly action: string;
  /** What it is about; `data` is the answer's `data` (undefined when it failed). */
  readonly target?: (req: AuditRequest, data: unknown) => AuditTarget | null;
  readonly state?: (req: AuditRequest) => SnapshotRef | null;
  readonly stateAfter?: (req: AuditRequest, data: unknown) => SnapshotRef | null;
  /** Whom to name when nobody is signed in (a sign-in: the user name tried, never the password). */
  readonly actor?: (req: AuditRequest) => AuditActor;
  /** Public routes that still know who asked (sign-out): look the session up first. */
  readonly identify?: boolean;
}

/** A mutating route that is deliberately not audited, and why. */
export interface NotAudited {
  readonly notAudited: string;
}

/** Every mutating route's rule, keyed by `METHOD URL` as the route table spells it. */
export type AuditRules = Readonly<Record<string, AuditRule | NotAudited>>;

/** Whether a route changes state: any method but GET/HEAD/OPTIONS, or a GET that says so. */
export const isMutating = (method: string, getChangesState: boolean) =>
  !['GET', 'HEAD', 'OPTIONS'].includes(method) || getChangesState;

/** A route as the panel's route table lists it. */
export interface RouteOfTable {
  readonly method: string;
  readonly url: string;
  readonly getChangesState: boolean;
}

/** The mutating routes of a route table that have no audit rule (test/panel/audit-rules.test.ts). */
export function unauditedRoutes(table: readonly RouteOfTable[], rules: AuditRules): string[] {
  return table
    .filter((r) => isMutating(r.method, r.getChangesState))
    .map((r) => `${r.method} ${r.url}`)
    .filter((key) => !(key in rules));
}

/** Rules that name no route of the table (a route renamed or removed). */
export function staleRules(table: readonly RouteOfTable[], rules: AuditRules): string[] {
  const served = new Set(table.map((r) => `${r.method} ${r.url}`));
  return Object.keys(rules).filter((key) => !served.has(key));
}
