import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AllowancesPut,
  EnforcementAck,
  EnforcementList,
  ErrorBody,
  InterfacePath,
  Ok,
} from '../../../shared/wire/agent-api.js';
import { ackEnforcements, listEnforcements, putAllowances } from '../../app/allowances.js';
import type { NodeLedger } from '../../app/node-ledger.js';
import type { AgentDeps } from '../../app/ports.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 502: ErrorBody };

/** An allowance per peer is ~150 bytes of JSON: room for the schema's 100,000 peers. */
export const ALLOWANCES_BODY_LIMIT = 16 * 1024 * 1024;

const ALLOWANCES_DOC = `Replaces the interface's allowances: per peer, the bytes (rx + tx) it may still use in its period and its expiry date, and the grace the panel may stay silent.

What an allowance means, precisely:
- It is a limit the agent applies only while the panel is away: no authenticated call from it (GET /v1/metrics and the OpenAPI document do not count) for longer than grace_seconds. While the panel is heard from, allowances do nothing.
- When away, a peer of the interface whose rx + tx total grew by at least remaining_bytes since base_total (or since the allowance arrived, when base_total is absent or counted in another epoch), or whose expires_at has passed, is removed from WireGuard and from its conf file within one read interval, and a record is kept (GET /v1/wg/{interface}/enforcements, and the dump's enforcements) until the panel acknowledges it.
- It can only tighten what the panel decided, never widen it: an allowance never adds a peer, never restores one, and never lifts anything the panel did. A peer without an allowance is never cut by the agent.
- A new allowance set replaces the old one whole. A peer the agent cut stays cut, whatever allowance comes next, until the panel puts it back with PUT /v1/wg/{interface}/peers/{public_key}.`;

/** Allowances (the panel's limits for when it is away) and the records of what the agent cut. */
export const allowanceRoutes =
  (deps: AgentDeps, ledger: NodeLedger): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.put(
      '/v1/wg/:interface/allowances',
      {
        bodyLimit: ALLOWANCES_BODY_LIMIT,
        schema: {
          summary: 'Set the limits the agent enforces itself while the panel is away',
          description: ALLOWANCES_DOC,
          params: InterfacePath,
          body: AllowancesPut,
          response: { 200: Ok, ...errors },
        },
      },
      async (req) => {
        await putAllowances(deps, ledger, req.params.interface, req.body);
        return { ok: true as const };
      },
    );
    app.get(
      '/v1/wg/:interface/enforcements',
      {
        schema: {
          summary: 'Peers the agent cut on its own while the panel was away, not yet acknowledged',
          params: InterfacePath,
          response: { 200: EnforcementList, ...errors },
        },
      },
      async (req) => ({ enforcements: listEnforcements(deps, ledger, req.params.interface) }),
    );
    app.post(
      '/v1/wg/:interface/enforcements/ack',
      {
        schema: {
          summary: 'Acknowledge records (the panel applied them): they are forgotten; idempotent',
          params: InterfacePath,
          body: EnforcementAck,
          response: { 200: Ok, ...errors },
        },
      },
      async (req) => {
        await ackEnforcements(deps, ledger, req.params.interface, req.body.ids);
        return { ok: true as const };
      },
    );
  };
