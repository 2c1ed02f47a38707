import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { downloadAllPeers, downloadPeer } from '../../app/peers/client-configs.js';
import { ConfigFile, PeerIdQuery, QrCodeQuery } from '../../../shared/wire/panel-api.js';
import { Envelope, ok } from '../envelope.js';
import { ConfigNameParams, PEER_FAILURES, type PeersRouteDeps } from './peers-route-deps.js';

/** downloadPeer, downloadAllPeers, downloadPeerQRCode: client configs carry private keys. */
export const peersDownloadRoutes =
  (deps: PeersRouteDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    // A client config holds a private key: no cache may keep it.
    app.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.get(
      '/api/downloadPeer/:configName',
      {
        schema: {
          tags: ['peers'],
          summary: "A peer's wg-quick client config (409 when the panel has no private key)",
          params: ConfigNameParams,
          querystring: PeerIdQuery,
          response: { 200: Envelope(ConfigFile), ...PEER_FAILURES },
        },
      },
      async (req) => ok(await downloadPeer(deps.store, req.params.configName, req.query.id)),
    );

    app.get(
      '/api/downloadAllPeers/:configName',
      {
        schema: {
          tags: ['peers'],
          summary:
            'Client configs of every peer; where the panel holds no private key, a comment line stands in its place',
          params: ConfigNameParams,
          response: { 200: Envelope(Type.Array(ConfigFile)), ...PEER_FAILURES },
        },
      },
      async (req) => {
        const r = await downloadAllPeers(deps.store, req.params.configName);
        return ok(
          r.files,
          r.withoutKey > 0
            ? `${r.withoutKey} peer(s) without a private key in the panel: their files need it added`
            : null,
        );
      },
    );

    app.get(
      '/api/downloadPeerQRCode/:configName',
      {
        schema: {
          tags: ['peers'],
          summary: "A peer's client config as a QR code image (SVG or PNG), for the WireGuard apps",
          params: ConfigNameParams,
          querystring: QrCodeQuery,
          description: 'Answers image/svg+xml or image/png; failures are JSON envelopes.',
          response: {
            200: {
              description: 'The QR code of the client config',
              content: {
                'image/svg+xml': { schema: Type.String() },
                'image/png': { schema: Type.String({ format: 'binary' }) },
              },
            },
            ...PEER_FAILURES,
          },
        },
      },
      async (req, reply) => {
        const { file } = await downloadPeer(deps.store, req.params.configName, req.query.id);
        if (req.query.format === 'png') {
          const png = await QRCode.toBuffer(file, { type: 'png', errorCorrectionLevel: 'M' });
          return reply.type('image/png').send(png as never); // an image, not an envelope
        }
        const svg = await QRCode.toString(file, { type: 'svg', errorCorrectionLevel: 'M' });
        return reply.type('image/svg+xml').send(svg as never);
      },
    );
  };
