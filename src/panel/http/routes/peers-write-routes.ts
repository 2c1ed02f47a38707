import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { addPeers } from '../../app/peers/add-peers.js';
import { updatePeer } from '../../app/peers/update-peer.js';
import { Envelope, ok } from '../envelope.js';
import { PeerJson, toPeerJson } from '../peer-json.js';
import { ConfigNameParams, PEER_FAILURES, type PeersRouteDeps } from './peers-route-deps.js';
import { AddPeersBody, UpdatePeerBody } from '../../../shared/wire/panel-api.js';

/** addPeers (single and bulk) and updatePeerSettings. */
export const peersWriteRoutes =
  (deps: PeersRouteDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/api/addPeers/:configName',
      {
        schema: {
          tags: ['peers'],
          summary: 'Add one peer, or many with bulkAdd + bulkAddAmount (all or nothing)',
          description:
            'WGDashboard 4.3 body plus traffic_limit, expiry_date, traffic_warn_threshold, reset_schedule, reset_anchor. Keys are generated unless given; addresses are the next free ones of each interface network unless given. `preshared_key_bulkAdd: true` generates a preshared key (also for a single peer). The answer lists the new peers.',
          params: ConfigNameParams,
          body: AddPeersBody,
          response: { 200: Envelope(Type.Array(PeerJson)), ...PEER_FAILURES },
        },
      },
      async (req) => {
        const r = await addPeers(deps, req.params.configName, req.body);
        const now = deps.now();
        return ok(
          r.peers.sort((a, b) => a.id - b.id).map((p) => toPeerJson(p, now, req.params.configName)),
          r.message,
        );
      },
    );

    app.post(
      '/api/updatePeerSettings/:configName',
      {
        schema: {
          tags: ['peers'],
          summary: "Update a peer's settings (absent fields are kept)",
          description:
            'WGDashboard 4.3 body (`id` = public key; other fields of a posted peer object are ignored) plus the quota fields. `preshared_key: ""` removes the preshared key.',
          params: ConfigNameParams,
          body: UpdatePeerBody,
          response: { 200: Envelope(PeerJson), ...PEER_FAILURES },
        },
      },
      async (req) => {
        const r = await updatePeer(deps, req.params.configName, req.body);
        return ok(toPeerJson(r.peer, deps.now(), req.params.configName), r.message);
      },
    );
  };
