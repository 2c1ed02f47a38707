import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { invalidInput } from '../../app/errors.js';
import type { NodeSummary } from '../../app/nodes/node-store.js';
import type { NodesService } from '../../app/nodes/nodes-service.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import {
  AddedNodeJson,
  AddNodeBody,
  DeleteNodeBody,
  NodeJson,
  UpdateNodeBody,
} from '../../../shared/wire/panel-api.js';

export interface FleetNodesRoutesDeps {
  readonly nodes: NodesService;
  /** Peers found on the node's interfaces that the panel does not know. */
  readonly driftOfNode: (nodeId: number) => number;
}

const fail = {
  400: FailureBody,
  401: FailureBody,
  403: FailureBody,
  404: FailureBody,
  409: FailureBody,
  502: FailureBody,
};

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return url;
  }
}

/** Nodes: join, list, update (rename, public host, re-pin), delete. */
export const fleetNodesRoutes =
  (deps: FleetNodesRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const json = (n: NodeSummary) => ({
      id: n.id,
      name: n.name,
      url: n.url,
      host: hostOf(n.url),
      public_host: n.publicHost,
      status: n.status,
      last_seen: n.lastSeenAt?.toISOString() ?? null,
      last_error: n.lastError,
      agent_version: n.agentVersion,
      rtt_ms: n.rttMs,
      configurations: n.configurations,
      peers: n.peers,
      drift: deps.driftOfNode(n.id),
      created_at: n.createdAt.toISOString(),
    });

    app.post(
      '/api/addNode',
      {
        schema: {
          tags: ['nodes'],
          summary:
            'Join a node by its join string: pins its certificate, adopts its interfaces as configurations and imports their peers',
          body: AddNodeBody,
          response: { 200: Envelope(AddedNodeJson), ...fail },
        },
      },
      async (req) => {
        const added = await deps.nodes.add({
          name: req.body.name,
          join: req.body.join,
          publicHost: req.body.public_host ?? null,
        });
        return ok(
          {
            ...json(added.node),
            adopted: added.configurations.map((c) => ({
              ConfigurationName: c.name,
              interface: c.interfaceName,
              imported_peers: c.importedPeers,
            })),
            skipped: added.skipped.map((s) => ({ interface: s.interfaceName, reason: s.reason })),
          },
          `Node "${added.node.name}" added with ${added.configurations.length} configuration(s)`,
        );
      },
    );

    app.get(
      '/api/getNodes',
      {
        schema: {
          tags: ['nodes'],
          summary: 'Nodes with their state (online/offline, last seen, agent version, round trip)',
          response: { 200: Envelope(Type.Array(NodeJson)), 401: FailureBody },
        },
      },
      async () => ok((await deps.nodes.list()).map(json)),
    );

    app.post(
      '/api/updateNode',
      {
        schema: {
          tags: ['nodes'],
          summary:
            'Rename a node, set its public host, or re-pin it with a new join string (after `agent init --rotate`)',
          body: UpdateNodeBody,
          response: { 200: Envelope(NodeJson), ...fail },
        },
      },
      async (req) => {
        const node = await deps.nodes.update(req.body.id, {
          ...(req.body.name !== undefined && { name: req.body.name }),
          ...(req.body.public_host !== undefined && { publicHost: req.body.public_host }),
          ...(req.body.join !== undefined && { join: req.body.join }),
        });
        return ok(json(node));
      },
    );

    app.post(
      '/api/deleteNode',
      {
        schema: {
          tags: ['nodes'],
          summary:
            'Forget a node: its configurations and peers leave the panel; the node itself is not touched',
          body: DeleteNodeBody,
          response: { 200: Envelope(Type.Null()), ...fail },
        },
      },
      async (req) => {
        const ref = req.body.id ?? req.body.name;
        if (ref === undefined) throw invalidInput('id', 'give the node’s id or name');
        await deps.nodes.delete(await deps.nodes.resolve(ref));
        return ok(null);
      },
    );
  };
