import type {
  AllowancesPut,
  Dump,
  Health,
  InterfaceCreate,
  InterfaceSummary,
  PeerPut,
} from '../../../shared/wire/agent-api.js';
import { nodeUnavailable, PanelError } from '../errors.js';

/**
 * What the fleet use cases need of a node's agent (the panel's `AgentClient` has all of it).
 * Declared here, by the consumer, so use cases can be tested with a small fake.
 */
export interface FleetAgent {
  health(): Promise<Health>;
  interfaces(): Promise<InterfaceSummary[]>;
  dump(iface: string): Promise<Dump>;
  putPeer(iface: string, publicKey: string, peer: PeerPut): Promise<void>;
  deletePeer(iface: string, publicKey: string): Promise<void>;
  createInterface(req: InterfaceCreate): Promise<InterfaceSummary>;
  up(iface: string): Promise<void>;
  down(iface: string): Promise<void>;
  deleteInterface(iface: string): Promise<void>;
  /** Replaces the allowances the agent enforces itself while the panel is away. */
  putAllowances(iface: string, allowances: AllowancesPut): Promise<void>;
  /** Tells the agent these cuts (the dump's `enforcements`) are recorded: it forgets them. */
  ackEnforcements(iface: string, ids: readonly string[]): Promise<void>;
}

/** Where an agent is and how to prove who we both are. */
export interface AgentEndpoint {
  readonly url: string;
  readonly token: string;
  readonly fingerprint: string;
}

/** How a call to an agent failed, told apart by the error codes the agent client sets. */
export type AgentFailure =
  | { readonly kind: 'pin_mismatch'; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string }
  | {
      readonly kind: 'rejected';
      readonly status: number;
      readonly code: string;
      readonly message: string;
    }
  | {
      /** The agent answered 2xx with a body not of its API's shape; `field` is the path at fault. */
      readonly kind: 'bad_answer';
      readonly field: string;
      readonly message: string;
    }
  | { readonly kind: 'other'; readonly message: string };

const prop = (e: unknown, key: string): unknown =>
  typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;

/** Classifies an error thrown by an agent call (never carries the token: the client never puts it in messages). */
export function agentFailure(e: unknown): AgentFailure {
  const message = e instanceof Error ? e.message : String(e);
  const code = prop(e, 'code');
  if (code === 'AGENT_UNAVAILABLE') {
    if (prop(prop(e, 'cause'), 'code') === 'FINGERPRINT_MISMATCH')
      return { kind: 'pin_mismatch', message };
    return { kind: 'unreachable', message };
  }
  if (code === 'AGENT_BAD_ANSWER')
    return { kind: 'bad_answer', field: String(prop(e, 'field') ?? '(answer)'), message };
  if (code === 'AGENT_REQUEST_FAILED') {
    const status = Number(prop(e, 'status'));
    const agentCode = String(prop(e, 'agentCode') ?? 'unknown');
    return { kind: 'rejected', status, code: agentCode, message };
  }
  return { kind: 'other', message };
}

/** An agent error that means the node, not one request, failed: the poll of the node fails. */
export function isNodeDown(e: unknown): boolean {
  const kind = agentFailure(e).kind;
  return kind === 'unreachable' || kind === 'pin_mismatch';
}

/**
 * Turns an agent error into the PanelError an API answer carries: the agent's own 4xx verdicts on
 * input (bad name, taken port, hooks refused) keep their meaning; anything else is a 502.
 */
export function agentErrorToPanel(node: string, e: unknown): PanelError {
  if (e instanceof PanelError) return e;
  const f = agentFailure(e);
  switch (f.kind) {
    case 'pin_mismatch':
      return nodeUnavailable(
        node,
        `the agent presented a certificate other than the pinned one (${f.message}); if its ` +
          'credentials were rotated (`wgfleet agent init --rotate`), update the node with the new join string',
      );
    case 'rejected':
      if (f.status === 400) return new PanelError('invalid_input', `node "${node}": ${f.message}`);
      if (f.status === 403) return new PanelError('forbidden', `node "${node}": ${f.message}`);
      if (f.status === 404) return new PanelError('not_found', `node "${node}": ${f.message}`);
      if (f.status === 409) return new PanelError('conflict', `node "${node}": ${f.message}`);
      if (f.status === 401)
        return nodeUnavailable(
          node,
          'the agent refused the token (update the node with a new join string)',
        );
      return nodeUnavailable(node, `the agent answered ${f.status}: ${f.message}`);
    default:
      return nodeUnavailable(node, f.message);
  }
}
