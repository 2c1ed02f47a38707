import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { notFound, tooManyRequests } from '../../app/errors.js';
import { shownSubscriberStatus } from '../../domain/policy/quotas.js';
import { subscriberPage, type SubscriberPageView } from '../../app/subscribers/subscriber-page.js';
import { SubscriberPageJson } from '../../../shared/wire/panel-api.js';
import { FailureBody } from '../envelope.js';
import { usageJson } from '../subscriber-json.js';
import { renderSubscriberPage } from '../subscriber-page/page-html.js';
import { publicPageHeaders } from '../public-page/page-layout.js';
import { pageLanguage } from '../public-page/page-text.js';
import type { SubscribersRouteDeps } from './subscribers-route-deps.js';

const Token = Type.String({ maxLength: 128, description: 'The subscriber page token' });
const FAILURES = { 404: FailureBody, 429: FailureBody } as const;

/** `subscription-userinfo`, the header VPN client apps read: bytes as of the last poll. */
export function subscriptionUserinfo(view: SubscriberPageView): string {
  const s = view.subscriber;
  const expire = s.expiry_date === null ? 0 : Math.floor(s.expiry_date.getTime() / 1000);
  const total = s.traffic_limit ?? 0n;
  return `upload=${s.usage_rx}; download=${s.usage_tx}; total=${total}; expire=${expire}`;
}

/**
 * The subscriber's own page, without sign-in: `/sub/{token}` (HTML, or JSON with `Accept:
 * application/json`), its config files and QR codes. Every lookup counts against a per-address
 * limit (429 with Retry-After beyond it); an unknown, rotated or malformed token answers the same
 * 404. Nothing is cached, nothing is indexed, no referrer leaves.
 */
export const subscriberPageRoutes =
  (deps: SubscribersRouteDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('onSend', publicPageHeaders);

    const lookup = async (req: FastifyRequest, token: string): Promise<SubscriberPageView> => {
      const wait = deps.pageRateLimit.take(req.ip, deps.now());
      if (wait > 0)
        throw tooManyRequests('too many lookups from this address; try again later', wait);
      const view = await subscriberPage(deps, token);
      if (!view) throw notFound('page');
      return view;
    };
    const peerOf = (view: SubscriberPageView, id: number) => {
      const p = view.peers.find((x) => x.id === id);
      if (!p) throw notFound('page');
      return p;
    };
    const config = { public: true } as const;

    app.get(
      '/sub/:token',
      {
        config,
        // The token is in the URL, which Fastify's request lines (info) name.
        logLevel: 'warn',
        schema: {
          tags: ['subscriber page'],
          summary: "A subscriber's own page (HTML; JSON with Accept: application/json)",
          description:
            'No sign-in: the token is the key. Both answers carry `subscription-userinfo: upload=U; download=D; total=T; expire=E`.',
          params: Type.Object({ token: Token }),
          querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 8 })) }),
          response: {
            200: {
              description: 'The page',
              content: {
                'text/html': { schema: Type.String() },
                'application/json': { schema: SubscriberPageJson },
              },
            },
            ...FAILURES,
          },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        const view = await lookup(req, token);
        reply.header('subscription-userinfo', subscriptionUserinfo(view));
        const s = view.subscriber;
        if ((req.headers.accept ?? '').includes('application/json')) {
          const body: SubscriberPageJson = {
            name: s.name,
            status: shownSubscriberStatus(s),
            restriction_reason: s.restriction_reason,
            usage: usageJson(s.usage_rx, s.usage_tx),
            traffic_limit: s.traffic_limit === null ? null : Number(s.traffic_limit),
            expiry_date: s.expiry_date?.toISOString() ?? null,
            period_started_at: s.period_started_at.toISOString(),
            next_reset_at: view.nextResetAt?.toISOString() ?? null,
            peers: view.peers.map((p) => ({
              configuration: p.configuration,
              node: p.node,
              usage: usageJson(p.usageRx, p.usageTx),
              config_url: `/sub/${token}/config/${p.id}`,
              qr_url: `/sub/${token}/qr/${p.id}.png`,
            })),
          };
          return reply.type('application/json').send(JSON.stringify(body) as never);
        }
        const lang = pageLanguage(req.headers['accept-language'], req.query.lang);
        return reply
          .type('text/html; charset=utf-8')
          .header('content-language', lang)
          .send(renderSubscriberPage(view, token, lang, deps.now()) as never);
      },
    );

    app.get(
      '/sub/:token/config/:peer',
      {
        config,
        // The token is in the URL, which Fastify's request lines (info) name.
        logLevel: 'warn',
        schema: {
          tags: ['subscriber page'],
          summary: 'One of its wg-quick files (NAME.conf, NAME a valid interface name)',
          params: Type.Object({ token: Token, peer: Type.Integer({ minimum: 1 }) }),
          response: {
            200: { description: 'The file', content: { 'text/plain': { schema: Type.String() } } },
            ...FAILURES,
          },
        },
      },
      async (req, reply) => {
        const view = await lookup(req, req.params.token);
        reply.header('subscription-userinfo', subscriptionUserinfo(view));
        const p = peerOf(view, req.params.peer);
        return reply
          .type('text/plain; charset=utf-8')
          .header('content-disposition', `attachment; filename="${p.fileName}"`)
          .send(p.file as never);
      },
    );

    app.get(
      '/sub/:token/qr/:file',
      {
        config,
        // The token is in the URL, which Fastify's request lines (info) name.
        logLevel: 'warn',
        schema: {
          tags: ['subscriber page'],
          summary: 'The QR code (PNG) of one of its wg-quick files, for the WireGuard apps',
          params: Type.Object({
            token: Token,
            file: Type.String({ pattern: '^[1-9][0-9]{0,9}\\.png$' }),
          }),
          response: {
            200: {
              description: 'The QR code',
              content: { 'image/png': { schema: Type.String({ format: 'binary' }) } },
            },
            ...FAILURES,
          },
        },
      },
      async (req, reply) => {
        const view = await lookup(req, req.params.token);
        const p = peerOf(view, Number(req.params.file.replace(/\.png$/, '')));
        const png = await QRCode.toBuffer(p.file, {
          type: 'png',
          errorCorrectionLevel: 'M',
          margin: 2,
        });
        return reply.type('image/png').send(png as never);
      },
    );
  };
