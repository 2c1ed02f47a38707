import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import type { AuthService } from '../../app/auth/auth-service.js';
import { invalidInput, methodNotAllowed, unauthorized } from '../../app/errors.js';
import { parseUtcDate } from '../../../shared/utc-date.js';
import { credentialsOf, SESSION_COOKIE, who } from '../auth-hook.js';
import {
  ApiKeyJson,
  AuthenticateBody,
  DeleteApiKeyBody,
  NewApiKeyBody,
  TotpBeginJson,
  TotpCodeBody,
  TotpRecoveryJson,
} from '../../../shared/wire/panel-api.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

export interface AuthRoutesDeps {
  readonly auth: AuthService;
  readonly now: () => Date;
  readonly sessionTtlMs: number;
}

const Null = Type.Null();
const fail = { 400: FailureBody, 401: FailureBody, 404: FailureBody, 429: FailureBody };

/** WGDashboard's sign-in, session and API key endpoints. */
export const authRoutes =
  (deps: AuthRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const secure = (req: { protocol: string }) => req.protocol === 'https';

    app.post(
      '/api/authenticate',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in; sets an HttpOnly, SameSite=Strict session cookie',
          body: AuthenticateBody,
          response: { 200: Envelope(Null), ...fail },
        },
      },
      async (req, reply) => {
        const token = await deps.auth.signIn(
          req.body.username,
          req.body.password,
          req.ip,
          deps.now(),
          req.body.totp,
        );
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: secure(req),
          path: '/',
          maxAge: Math.floor(deps.sessionTtlMs / 1000),
        });
        return ok(null);
      },
    );

    app.get(
      '/api/isTotpEnabled',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary:
            'Whether the sign-in form should ask for a TOTP code: true when any user has TOTP on (no auth, as in WGDashboard 4.3)',
          response: { 200: Envelope(Type.Boolean()) },
        },
      },
      async () => ok(await deps.auth.isTotpEnabled()),
    );

    app.post(
      '/api/totp/begin',
      {
        schema: {
          tags: ['auth'],
          summary: 'Start a TOTP enrolment: the secret, its otpauth:// link and a QR code (PNG)',
          description:
            'Sign-in does not ask for codes until totp/confirm. Refused (409) while TOTP is on.',
          response: { 200: Envelope(TotpBeginJson), ...fail, 409: FailureBody },
        },
      },
      async (req) => {
        const { secret, uri } = await deps.auth.beginTotp(who(req));
        const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1 });
        return ok({ secret, otpauth_url: uri, qr });
      },
    );

    app.post(
      '/api/totp/confirm',
      {
        schema: {
          tags: ['auth'],
          summary: 'Confirm the enrolment with a code: TOTP is on; ten one-time recovery codes',
          description: 'The recovery codes are shown this once.',
          body: TotpCodeBody,
          response: { 200: Envelope(TotpRecoveryJson), ...fail, 409: FailureBody },
        },
      },
      async (req) => {
        const codes = await deps.auth.confirmTotp(who(req), req.body.code, deps.now());
        return ok(
          { recovery_codes: codes },
          'Keep these recovery codes now: they are not shown again.',
        );
      },
    );

    app.post(
      '/api/totp/disable',
      {
        schema: {
          tags: ['auth'],
          summary: 'Turn TOTP off with a current code (or a recovery code)',
          body: TotpCodeBody,
          response: { 200: Envelope(Null), ...fail, 409: FailureBody },
        },
      },
      async (req) => {
        await deps.auth.disableTotp(who(req), req.body.code, deps.now());
        return ok(null);
      },
    );

    // A GET changed state (WGDashboard's sign-out is a GET): now it only says to POST.
    app.get('/api/signout', { config: { public: true }, schema: { hide: true } }, async () => {
      throw methodNotAllowed('sign out with POST /api/signout');
    });

    app.post(
      '/api/signout',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign out (ends the session of the cookie)',
          response: { 200: Envelope(Null), 403: FailureBody },
        },
      },
      async (req, reply) => {
        const { session } = credentialsOf(req);
        if (session) await deps.auth.signOut(session);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return ok(null);
      },
    );

    app.get(
      '/api/validateAuthentication',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Is this session (or API key) still valid?',
          response: { 200: Envelope(Null), 401: FailureBody },
        },
      },
      async (req) => {
        if (!(await deps.auth.authenticate(credentialsOf(req), deps.now())))
          throw unauthorized('Invalid authentication.');
        return ok(null);
      },
    );

    app.get(
      '/api/handshake',
      {
        schema: {
          tags: ['auth'],
          summary: 'Checks that the panel answers and the credentials work',
          response: { 200: Envelope(Null), 401: FailureBody },
        },
      },
      async () => ok(null),
    );

    const keyJson = (
      k: Awaited<ReturnType<AuthService['listApiKeys']>>[number],
      full?: string,
    ) => ({
      id: k.id,
      Key: full ?? `${k.prefix}…`,
      Name: k.name,
      Owner: k.owner ? `${k.owner.username} (${k.owner.role})` : null,
      CreatedAt: k.createdAt.toISOString(),
      ExpiredAt: k.expiresAt?.toISOString() ?? null,
      LastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    });

    app.get(
      '/api/getDashboardAPIKeys',
      {
        schema: {
          tags: ['auth'],
          summary:
            "API keys (never the keys themselves): an admin's lists every key, anyone else's its own",
          response: { 200: Envelope(Type.Array(ApiKeyJson)), 401: FailureBody },
        },
      },
      async (req) => ok((await deps.auth.listApiKeys(who(req))).map((k) => keyJson(k))),
    );

    app.post(
      '/api/newDashboardAPIKey',
      {
        schema: {
          tags: ['auth'],
          summary:
            'Create an API key acting as you (your role); the answer is the only time the key is shown',
          body: NewApiKeyBody,
          response: { 200: Envelope(ApiKeyJson), ...fail },
        },
      },
      async (req) => {
        const { NeverExpire, neverExpire } = req.body;
        if (NeverExpire !== undefined && neverExpire !== undefined && NeverExpire !== neverExpire)
          throw invalidInput('NeverExpire', 'and neverExpire disagree: send one of them');
        const never = NeverExpire ?? neverExpire;
        if (never === undefined)
          throw invalidInput('NeverExpire', 'is required (true, or false with ExpiredAt)');
        let expiresAt: Date | null = null;
        if (!never) {
          expiresAt = req.body.ExpiredAt ? parseUtcDate(req.body.ExpiredAt) : null;
          if (!expiresAt)
            throw invalidInput(
              'ExpiredAt',
              'give a date (ISO 8601, UTC without offset) or set NeverExpire',
            );
        }
        const { key, info } = await deps.auth.createApiKey(
          who(req),
          req.body.name ?? null,
          expiresAt,
          deps.now(),
        );
        return ok(keyJson(info, key), 'Keep this key now: it is not shown again.');
      },
    );

    app.post(
      '/api/deleteDashboardAPIKey',
      {
        schema: {
          tags: ['auth'],
          summary: 'Revoke an API key, by the key itself or by its id',
          body: DeleteApiKeyBody,
          response: { 200: Envelope(Null), ...fail },
        },
      },
      async (req) => {
        if (req.body.id !== undefined) await deps.auth.deleteApiKey(who(req), { id: req.body.id });
        else if (req.body.Key) await deps.auth.deleteApiKey(who(req), { key: req.body.Key });
        else throw invalidInput('Key', 'give the key or its id');
        return ok(null);
      },
    );
  };
