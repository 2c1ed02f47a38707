import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { availableIps } from '../../app/peers/available-ips.js';
import {
  configurationPeers,
  type ConfigurationPeers,
} from '../../app/peers/configuration-peers.js';
import { Envelope, ok } from '../envelope.js';
import { toPeerJson } from '../peer-json.js';
import { endpointHost } from '../../app/peers/client-configs.js';
import { sendStreamedInfo } from './peers-info-stream.js';
import { ConfigNameParams, PEER_FAILURES, type PeersRouteDeps } from './peers-route-deps.js';
import {
  ALL_PEERS,
  AVAILABLE_IPS_LIMIT,
  AvailableIps,
  AvailableIpsQuery,
  ConfigurationInfo,
  ConfigurationInfoJson,
  INFO_QUERY_DEFAULTS,
  InfoQuery,
  Paging,
} from '../../../shared/wire/panel-api.js';

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
            'WGDashboard shape. Without `pageSize`, every peer (as WGDashboard answers). With it, a page (`page`, `pageSize`) holds at most `pageSize` peers of every status asked for, sorted together, then split into the active and the restricted list (`paging.peerOrder` keeps the page order); `search` matches name, public key and addresses (case-insensitive); `status` leaves one list empty; `subscriber` keeps only the peers of that subscriber.',
          querystring: InfoQuery,
          response: {
            200: Envelope(ConfigurationInfoJson),
            ...PEER_FAILURES,
          },
        },
      },
      async (req, reply) => {
        const q = { ...INFO_QUERY_DEFAULTS, ...req.query }; // Ajv fills them in too
        const search = q.search?.trim() ? q.search.trim() : null;
        const pageSize = q.pageSize ?? ALL_PEERS;
        const r = await configurationPeers(deps, q.configurationName, {
          page: q.page,
          pageSize,
          search,
          subscriberId: q.subscriber ?? null,
          sort: q.sort,
          order: q.order,
          status: q.status,
        });
        const now = deps.now();
        const links = await deps.attachments?.(r.configuration.id);
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
            configuration: q.configurationName,
            ...(links && { attachments: links }),
          });
        return ok({
          configurationInfo: infoJson(r),
          configurationPeers: r.active.rows.map((p) =>
            toPeerJson(p, now, q.configurationName, links?.get(p.public_key)),
          ),
          configurationRestrictedPeers: r.restricted.rows.map((p) =>
            toPeerJson(p, now, q.configurationName, links?.get(p.public_key)),
          ),
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
          querystring: AvailableIpsQuery,
          response: {
            200: Envelope(AvailableIps),
            ...PEER_FAILURES,
          },
        },
      },
      async (req) =>
        ok(
          await availableIps(
            deps.store,
            req.params.configName,
            req.query.limit ?? AVAILABLE_IPS_LIMIT,
          ),
        ),
    );
  };
