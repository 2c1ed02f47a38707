import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { availableIps } from '../../app/peers/available-ips.js';
import {
  configurationPeers,
  type ConfigurationPeers,
} from '../../app/peers/configuration-peers.js';
import { PEER_SORT_KEYS, PEER_STATUSES } from '../../domain/vocabulary.js';
import { Envelope, ok } from '../envelope.js';
import { PeerJson, toPeerJson } from '../peer-json.js';
import { endpointHost } from '../../app/peers/client-configs.js';
import { sendStreamedInfo } from './peers-info-stream.js';
import { ConfigNameParams, PEER_FAILURES, type PeersRouteDeps } from './peers-route-deps.js';
import { literalUnion } from '../../../shared/wire/literal-union.js';

const Usage = Type.Object({ Receive: Type.Number(), Sent: Type.Number(), Total: Type.Number() });
const UsageBytes = Type.Object({
  Receive: Type.Integer(),
  Sent: Type.Integer(),
  Total: Type.Integer(),
});

/** WGDashboard's `configurationInfo`, without the interface's private key (never stored). */
const ConfigurationInfo = Type.Object({
  Name: Type.String(),
  Interface: Type.String(),
  Address: Type.String(),
  ListenPort: Type.String({ description: 'A string, as in WGDashboard' }),
  PublicKey: Type.String(),
  Status: Type.Boolean({ description: 'The interface is enabled' }),
  ConnectedPeers: Type.Integer({ description: 'Handshake in the last 180 s' }),
  TotalPeers: Type.Integer(),
  RestrictedPeers: Type.Integer(),
  DataUsage: Type.Object(Usage.properties, { description: 'Period usage in GiB (WGDashboard)' }),
  DataUsageBytes: UsageBytes,
  Node: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    status: Type.String(),
    endpoint: Type.String({ description: 'host:port clients connect to' }),
  }),
});

const Paging = Type.Object({
  page: Type.Integer(),
  pageSize: Type.Integer(),
  search: Type.Union([Type.String(), Type.Null()]),
  sort: Type.String(),
  order: Type.String(),
  status: Type.String(),
  totalPeers: Type.Integer({ description: 'Active peers in the configuration' }),
  totalRestrictedPeers: Type.Integer(),
  matchedPeers: Type.Integer({ description: 'Active peers matching the search' }),
  matchedRestrictedPeers: Type.Integer(),
  totalPages: Type.Integer({ description: 'Pages of the matching peers of the status asked for' }),
  peerOrder: Type.Array(Type.String(), {
    description:
      "Public keys of this page's peers in the sort order (both lists keep it; a page mixes them)",
  }),
});

/**
 * Without `pageSize` the answer holds every peer, as WGDashboard's does, so scripts written for it
 * keep working; the UI and large fleets page. This caps "every" far above any real interface.
 */
const ALL_PEERS = 1_000_000;

const InfoQuery = Type.Object({
  configurationName: Type.String({ minLength: 1, maxLength: 64 }),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: ALL_PEERS,
      description: 'Peers per list; without it every peer is returned, as WGDashboard does',
    }),
  ),
  search: Type.Optional(Type.String({ maxLength: 255 })),
  sort: literalUnion(PEER_SORT_KEYS, { default: 'name' }),
  order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
  status: literalUnion(['all', ...PEER_STATUSES], { default: 'all' }),
});

const GIB = 1024 ** 3;
const gib = (b: bigint) => Math.round((Number(b) / GIB) * 10_000) / 10_000;

function infoJson(r: ConfigurationPeers) {
  const c = r.configuration;
  const total = r.totals.periodRx + r.totals.periodTx;
  const host = endpointHost(c.node);
  return {
    Name: c.name,
    Interface: c.interfaceName,
    Address: c.address,
    ListenPort: String(c.listenPort),
    PublicKey: c.publicKey,
    Status: c.enabled,
    ConnectedPeers: r.totals.connected,
    TotalPeers: r.totals.active + r.totals.restricted,
    RestrictedPeers: r.totals.restricted,
    DataUsage: { Receive: gib(r.totals.periodRx), Sent: gib(r.totals.periodTx), Total: gib(total) },
    DataUsageBytes: {
      Receive: Number(r.totals.periodRx),
      Sent: Number(r.totals.periodTx),
      Total: Number(total),
    },
    Node: {
      id: c.node.id,
      name: c.node.name,
      status: c.node.status,
      endpoint: `${host.includes(':') ? `[${host}]` : host}:${c.listenPort}`,
    },
  };
}

/** getWireguardConfigurationInfo (paged, searchable) and getAvailableIPs. */
export const peersInfoRoutes =
  (deps: PeersRouteDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/getWireguardConfigurationInfo',
      {
        schema: {
          tags: ['peers'],
          summary: 'A configuration and one page of its active and restricted peers',
          description:
            'WGDashboard shape. Without `pageSize`, every peer (as WGDashboard answers). With it, a page (`page`, `pageSize`) holds at most `pageSize` peers of every status asked for, sorted together, then split into the active and the restricted list (`paging.peerOrder` keeps the page order); `search` matches name, public key and addresses (case-insensitive); `status` leaves one list empty.',
          querystring: InfoQuery,
          response: {
            200: Envelope(
              Type.Object({
                configurationInfo: ConfigurationInfo,
                configurationPeers: Type.Array(PeerJson),
                configurationRestrictedPeers: Type.Array(PeerJson),
                paging: Paging,
              }),
            ),
            ...PEER_FAILURES,
          },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const search = q.search?.trim() ? q.search.trim() : null;
        const pageSize = q.pageSize ?? ALL_PEERS;
        const r = await configurationPeers(deps, q.configurationName, {
          page: q.page,
          pageSize,
          search,
          sort: q.sort,
          order: q.order,
          status: q.status,
        });
        const now = deps.now();
        const matching =
          (q.status === 'restricted' ? 0 : r.matched.active) +
          (q.status === 'active' ? 0 : r.matched.restricted);
        const paging = {
          page: q.page,
          pageSize,
          search,
          sort: q.sort,
          order: q.order,
          status: q.status,
          totalPeers: r.totals.active,
          totalRestrictedPeers: r.totals.restricted,
          matchedPeers: r.matched.active,
          matchedRestrictedPeers: r.matched.restricted,
          totalPages: Math.max(1, Math.ceil(matching / pageSize)),
          peerOrder: r.order,
        };
        if (r.active.rows === null || r.restricted.rows === null)
          // Big pages (every peer, without pageSize): streamed in batches, the same JSON.
          return sendStreamedInfo(reply, {
            configurationInfo: { schema: ConfigurationInfo, value: infoJson(r) },
            paging: { schema: Paging, value: paging },
            peerOrder: r.order,
            active: r.active,
            restricted: r.restricted,
            now,
          });
        return ok({
          configurationInfo: infoJson(r),
          configurationPeers: r.active.rows.map((p) => toPeerJson(p, now)),
          configurationRestrictedPeers: r.restricted.rows.map((p) => toPeerJson(p, now)),
          paging,
        });
      },
    );

    app.get(
      '/api/getAvailableIPs/:configName',
      {
        schema: {
          tags: ['peers'],
          summary: 'Free host addresses of each interface address (capped by `limit`)',
          params: ConfigNameParams,
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 4096, default: 255 }),
          }),
          response: {
            200: Envelope(Type.Record(Type.String(), Type.Array(Type.String()))),
            ...PEER_FAILURES,
          },
        },
      },
      async (req) => ok(await availableIps(deps.store, req.params.configName, req.query.limit)),
    );
  };
