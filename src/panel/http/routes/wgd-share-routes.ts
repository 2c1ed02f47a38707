import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { PanelError, tooManyRequests } from '../../app/errors.js';
import {
  createShareLink,
  sharedConfig,
  updateShareLink,
  type ShareLinkDeps,
} from '../../app/share-links/share-links.js';
import type { PageRateLimit } from '../../app/subscribers/page-rate-limit.js';
import {
  ConfigFile,
  CreateShareLinkBody,
  ShareIdQuery,
  ShareLinkJson,
  UpdateShareLinkBody,
} from '../../../shared/wire/panel-api.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import { publicPageHeaders } from '../public-page/page-layout.js';
import { pageLanguage } from '../public-page/page-text.js';
import { renderSharePage } from '../share-page/page-html.js';

export interface ShareRouteDeps extends ShareLinkDeps {
  /** Per-address limit on lookups by share id (the API's get and the page), as for /sub/. */
  readonly lookups: PageRateLimit;
}

const fail = { 400: FailureBody, 401: FailureBody, 404: FailureBody, 409: FailureBody };
const PUBLIC_FAILURES = { 400: FailureBody, 404: FailureBody, 409: FailureBody, 429: FailureBody };
const ALREADY_SHARING = 'This peer is already sharing. Please view data for shared link.';
/**
 * Routes whose URL carries a share id (a secret) log at warn and above only: Fastify's request
 * lines (info) name the URL.
 */
const QUIET = 'warn' as const;

/**
 * WGDashboard 4.3's share links: sharePeer/create and /update (signed in), sharePeer/get and the
 * page `/share?ShareID=` (no sign-in: the link is the key), with its config file and QR code.
 */
export const wgdShareRoutes =
  (deps: ShareRouteDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['peers'];

    app.post(
      '/api/sharePeer/create',
      {
        schema: {
          tags,
          summary: "Share a peer's client config by a link (`/share?ShareID=…`) until ExpireDate",
          description:
            'Answers `[link]`; a peer that already shares answers its link as one object, with the message "This peer is already sharing…" (as 4.3).',
          body: CreateShareLinkBody,
          response: {
            200: Envelope(Type.Union([Type.Array(ShareLinkJson), ShareLinkJson])),
            ...fail,
          },
        },
      },
      async (req) => {
        const r = await createShareLink(deps, req.body);
        return r.created ? ok([r.link]) : ok(r.link, ALREADY_SHARING);
      },
    );

    app.post(
      '/api/sharePeer/update',
      {
        schema: {
          tags,
          summary: "Change an active link's ExpireDate (now or past: stop sharing)",
          description: 'Answers `[link]` while it is still active, `[]` once it ended (as 4.3).',
          body: UpdateShareLinkBody,
          response: { 200: Envelope(Type.Array(ShareLinkJson)), ...fail },
        },
        logLevel: QUIET,
      },
      async (req) => ok(await updateShareLink(deps, req.body)),
    );

    const lookup = (req: FastifyRequest, shareId: string | undefined) => {
      const wait = deps.lookups.take(req.ip, deps.now());
      if (wait > 0)
        throw tooManyRequests('too many lookups from this address; try again later', wait);
      if (!shareId)
        throw new PanelError('invalid_input', 'Please provide ShareID', 'ShareID', 'ShareID');
      return shareId;
    };
    const config = { public: true } as const;

    app.get(
      '/api/sharePeer/get',
      {
        config,
        logLevel: QUIET,
        schema: {
          tags,
          summary: "The shared peer's client config, as downloadPeer answers it (no sign-in)",
          description:
            'An unknown or expired ShareID: 404 "This link is either expired to invalid" (4.3\u2019s words). Counted against a per-address limit (429).',
          querystring: ShareIdQuery,
          response: { 200: Envelope(ConfigFile), ...PUBLIC_FAILURES },
        },
      },
      async (req) => ok((await sharedConfig(deps, lookup(req, req.query.ShareID))).config),
    );

    // The page a person opens, and its file and QR code: the subscriber page's layout.
    await app.register(async (plainPage) => {
      const page = plainPage.withTypeProvider<TypeBoxTypeProvider>();
      page.addHook('onSend', publicPageHeaders);
      const html = {
        200: { description: 'The page', content: { 'text/html': { schema: Type.String() } } },
      };
      page.get(
        '/share',
        {
          config,
          logLevel: QUIET,
          schema: {
            tags: ['share page'],
            summary: "A shared peer's page: its config to download and its QR code (no sign-in)",
            description:
              'HTML, phone first, no script (en, de, ru, fa by Accept-Language or `?lang=`); an expired or unknown link answers 404 with a page saying so.',
            querystring: ShareIdQuery,
            response: { ...html, 404: html[200], 400: FailureBody, 429: FailureBody },
          },
        },
        async (req, reply) => {
          const q = req.query;
          const lang = pageLanguage(req.headers['accept-language'], q.lang);
          const shareId = lookup(req, q.ShareID);
          let shared = null;
          try {
            const r = await sharedConfig(deps, shareId, true);
            shared = { shareId, ...r };
          } catch (e) {
            if (!(e instanceof PanelError && e.code === 'not_found')) throw e;
          }
          return reply
            .status(shared ? 200 : 404)
            .type('text/html; charset=utf-8')
            .header('content-language', lang)
            .send(renderSharePage(shared, lang) as never);
        },
      );
      page.get(
        '/share/config',
        {
          config,
          logLevel: QUIET,
          schema: {
            tags: ['share page'],
            summary: "The shared peer's wg-quick file",
            querystring: ShareIdQuery,
            response: {
              200: {
                description: 'The file',
                content: { 'text/plain': { schema: Type.String() } },
              },
              ...PUBLIC_FAILURES,
            },
          },
        },
        async (req, reply) => {
          const { config: c } = await sharedConfig(deps, lookup(req, req.query.ShareID), true);
          return reply
            .type('text/plain; charset=utf-8')
            .header('content-disposition', `attachment; filename="${c.fileName}.conf"`)
            .send(c.file as never);
        },
      );
      page.get(
        '/share/qr.png',
        {
          config,
          logLevel: QUIET,
          schema: {
            tags: ['share page'],
            summary: "The QR code (PNG) of the shared peer's wg-quick file",
            querystring: ShareIdQuery,
            response: {
              200: {
                description: 'The QR code',
                content: { 'image/png': { schema: Type.String({ format: 'binary' }) } },
              },
              ...PUBLIC_FAILURES,
            },
          },
        },
        async (req, reply) => {
          const { config: c } = await sharedConfig(deps, lookup(req, req.query.ShareID), true);
          const png = await QRCode.toBuffer(c.file, {
            type: 'png',
            errorCorrectionLevel: 'M',
            margin: 2,
          });
          return reply.type('image/png').send(png as never);
        },
      );
    });
  };
