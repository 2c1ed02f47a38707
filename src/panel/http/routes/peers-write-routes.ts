import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { addPeers, MAX_BULK_ADD } from '../../app/peers/add-peers.js';
import { updatePeer } from '../../app/peers/update-peer.js';
import { Envelope, ok } from '../envelope.js';
import { PeerJson, toPeerJson } from '../peer-json.js';
import { ConfigNameParams, PEER_FAILURES, type PeersRouteDeps } from './peers-route-deps.js';
import { RESET_SCHEDULES } from '../../domain/vocabulary.js';
import { literalUnion } from '../../../shared/wire/literal-union.js';

const Key = Type.String({ maxLength: 64 });
/** The seed's quota fields and the reset schedule, shared by addPeers and updatePeerSettings. */
// Nullable fields are declared with a type list, not anyOf: Ajv's type coercion would turn a
// null into 0 or "" in the first anyOf branch, and a 0 into null.
const QuotaFields = {
  traffic_limit: Type.Optional(
    Type.Unsafe<number | string | null>({
      type: ['integer', 'number', 'string', 'null'],
      maxLength: 32,
      description:
        'Bytes (rx + tx) per period: an integer up to 2^53 − 1, or a size with a unit ("10GiB", "500MB"); null = none',
    }),
  ),
  expiry_date: Type.Optional(
    Type.Unsafe<string | null>({
      type: ['string', 'null'],
      maxLength: 64,
      description: 'ISO 8601; no offset means UTC; null = never',
    }),
  ),
  traffic_warn_threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  reset_schedule: Type.Optional(literalUnion(RESET_SCHEDULES)),
  reset_anchor: Type.Optional(
    Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 31,
      description: 'weekly: ISO weekday 1–7; monthly: day 1–31 (31 = last day); null = the first',
    }),
  ),
};
const Settings = {
  name: Type.Optional(Type.String({ maxLength: 255 })),
  DNS: Type.Optional(Type.String({ maxLength: 255 })),
  endpoint_allowed_ip: Type.Optional(Type.String({ maxLength: 512 })),
  mtu: Type.Optional(Type.Integer({ minimum: 0, maximum: 9200, description: '0 = default' })),
  keepalive: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: '0 = off' })),
  allowed_ips_validation: Type.Optional(
    Type.Boolean({ description: 'false: addresses may lie outside the interface subnet' }),
  ),
};

const AddPeersBody = Type.Object(
  {
    ...Settings,
    ...QuotaFields,
    public_key: Type.Optional(Key),
    private_key: Type.Optional(Key),
    preshared_key: Type.Optional(Key),
    allowed_ips: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 })),
    preshared_key_bulkAdd: Type.Optional(Type.Boolean()),
    bulkAdd: Type.Optional(Type.Boolean()),
    bulkAddAmount: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_BULK_ADD })),
  },
  { additionalProperties: false },
);

// WGDashboard's UI posts the whole peer object back: fields not listed are ignored.
const UpdatePeerBody = Type.Object({
  ...Settings,
  ...QuotaFields,
  id: Type.String({ minLength: 1, maxLength: 64 }),
  private_key: Type.Optional(Key),
  preshared_key: Type.Optional(Key),
  allowed_ip: Type.Optional(Type.String({ maxLength: 512 })),
});

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
          r.peers.sort((a, b) => a.id - b.id).map((p) => toPeerJson(p, now)),
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
        return ok(toPeerJson(r.peer, deps.now()), r.message);
      },
    );
  };
