import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { hashToken } from '../../app/auth/auth-service.js';
import { getAccount, updateAccount, type AccountDeps } from '../../app/users/account.js';
import type { ResellerLimits, UserRecord } from '../../app/users/ports.js';
import { addUser, deleteUser, updateUser } from '../../app/users/users-service.js';
import {
  AccountJson,
  AddUserBody,
  DeleteUserBody,
  UpdateAccountBody,
  UpdateUserBody,
  UserJson,
} from '../../../shared/wire/panel-api.js';
import { credentialsOf, who } from '../auth-hook.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

const fail = {
  400: FailureBody,
  401: FailureBody,
  403: FailureBody,
  404: FailureBody,
  409: FailureBody,
  429: FailureBody,
};

const num = (b: bigint | null) => (b === null ? null : Number(b));

export const limitsJson = (l: ResellerLimits) => ({
  max_subscribers: l.maxSubscribers,
  max_traffic_bytes: num(l.maxTrafficBytes),
  max_expiry_days: l.maxExpiryDays,
  configurations: [...l.configurations],
  balance_bytes: num(l.balanceBytes),
  balance_days: l.balanceDays,
});

export const userJson = (u: UserRecord) => ({
  id: u.id,
  username: u.username,
  role: u.role,
  disabled: u.disabled,
  totp_enabled: u.totpEnabled,
  created_at: u.createdAt.toISOString(),
  limits: u.limits ? limitsJson(u.limits) : null,
});

/** Users (admins only, by the route rules) and one's own account. */
export const usersRoutes =
  (deps: AccountDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['users'];

    app.get(
      '/api/getUsers',
      {
        schema: {
          tags,
          summary: 'Every user: role, disabled, TOTP on, a reseller’s limits and balance',
          response: { 200: Envelope(Type.Array(UserJson)), ...fail },
        },
      },
      async () => ok((await deps.store.list()).map(userJson)),
    );

    app.post(
      '/api/addUser',
      {
        schema: {
          tags,
          summary: 'Add a user with a role (a reseller with its limits and balance)',
          body: AddUserBody,
          response: { 200: Envelope(UserJson), ...fail },
        },
      },
      async (req) => ok(userJson(await addUser(deps, req.body))),
    );

    app.post(
      '/api/updateUser',
      {
        schema: {
          tags,
          summary:
            'Change a user’s role, disabled, password (its sessions end) or limits (absent fields kept)',
          description: 'The last enabled admin cannot be disabled or given another role (409).',
          body: UpdateUserBody,
          response: { 200: Envelope(UserJson), ...fail },
        },
      },
      async (req) => ok(userJson(await updateUser(deps, req.body))),
    );

    app.post(
      '/api/deleteUser',
      {
        schema: {
          tags,
          summary: 'Delete a user, its sessions and API keys (never the last enabled admin)',
          body: DeleteUserBody,
          response: { 200: Envelope(Type.Null()), ...fail },
        },
      },
      async (req) => {
        await deleteUser(deps, req.body.id);
        return ok(null);
      },
    );

    app.get(
      '/api/getAccount',
      {
        schema: {
          tags,
          summary: 'Who am I: role, TOTP, a reseller’s limits, balance and what it handed out',
          response: { 200: Envelope(AccountJson), ...fail },
        },
      },
      async (req) => {
        const p = who(req);
        const { user, used } = await getAccount(deps, p);
        return ok({
          ...userJson(user),
          via: p.kind,
          api_key_name: p.apiKeyName,
          used: used && { subscribers: used.subscribers, traffic_bytes: Number(used.trafficBytes) },
        });
      },
    );

    app.post(
      '/api/updateAccount',
      {
        schema: {
          tags,
          summary: 'Change your own password or username (give the current password)',
          description: 'A new password ends your other sessions.',
          body: UpdateAccountBody,
          response: { 200: Envelope(UserJson), ...fail },
        },
      },
      async (req) => {
        const { session } = credentialsOf(req);
        const user = await updateAccount(
          deps,
          who(req),
          req.body,
          req.ip,
          session === undefined ? undefined : hashToken(session),
        );
        return ok(userJson(user));
      },
    );
  };
