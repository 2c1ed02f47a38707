import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { addSubscriber } from '../../app/subscribers/add-subscriber.js';
import {
  assignPeers,
  deleteSubscriber,
  rotateToken,
  unassignPeers,
  updateSubscriber,
  updateSubscribers,
} from '../../app/subscribers/subscriber-changes.js';
import {
  AddSubscriberBody,
  DeleteSubscriberBody,
  SubscriberDetailJson,
  SubscriberIdBody,
  SubscriberPeersBody,
  UpdateSubscriberBody,
  UpdateSubscribersBody,
} from '../../../shared/wire/panel-api.js';
import { mustBeVisible } from '../../app/subscribers/reseller-scope.js';
import { scopeOf } from '../auth-hook.js';
import { Envelope, ok } from '../envelope.js';
import { detail } from './subscribers-read-routes.js';
import { SUBSCRIBER_FAILURES, type SubscribersRouteDeps } from './subscribers-route-deps.js';

const answers = { 200: Envelope(SubscriberDetailJson), ...SUBSCRIBER_FAILURES };

/** Every write on subscribers; each answers the subscriber as it is after it (but delete). */
export const subscribersWriteRoutes =
  (deps: SubscribersRouteDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['subscribers'];

    app.post(
      '/api/addSubscriber',
      {
        schema: {
          tags,
          summary: 'Add a subscriber, with peers on any configurations (all or nothing)',
          description:
            'Each of `peers` takes the fields addPeers takes, plus `configuration` (its name). A bad field of any of them (`peers[1].configuration`) writes nothing: neither the subscriber nor a peer on any node. The answer holds its `token` and page `url`.',
          body: AddSubscriberBody,
          response: answers,
        },
      },
      async (req) => {
        const r = await addSubscriber(deps, req.body, {
          userId: req.principal?.userId ?? null,
          scope: scopeOf(req),
        });
        return ok(await detail(deps, r.id), r.message);
      },
    );

    app.post(
      '/api/updateSubscriber',
      {
        schema: {
          tags,
          summary: "Change a subscriber's fields (absent fields are kept)",
          description:
            'Quota fields as on peers (`null` or `""` clears a limit or a date; sizes take units). The policy runs before the answer: every peer of it on every node is cut or restored.',
          body: UpdateSubscriberBody,
          response: answers,
        },
      },
      async (req) => {
        await updateSubscriber(deps, req.body, scopeOf(req));
        return ok(await detail(deps, req.body.id));
      },
    );

    app.post(
      '/api/updateSubscribers',
      {
        schema: {
          tags,
          summary: 'One limit or date change for many subscribers (all or nothing)',
          body: UpdateSubscribersBody,
          response: { 200: Envelope(Type.Null()), ...SUBSCRIBER_FAILURES },
        },
      },
      async (req) => {
        await updateSubscribers(deps, req.body);
        return ok(null);
      },
    );

    app.post(
      '/api/deleteSubscriber',
      {
        schema: {
          tags,
          summary: 'Delete a subscriber; its peers too with delete_peers, else they stay unowned',
          body: DeleteSubscriberBody,
          response: { 200: Envelope(Type.Null()), ...SUBSCRIBER_FAILURES },
        },
      },
      async (req) => {
        await mustBeVisible(deps, req.body.id, scopeOf(req));
        const r = await deleteSubscriber(deps, req.body);
        return ok(null, r.message);
      },
    );

    const peersRoute = (
      action: 'assignSubscriberPeers' | 'unassignSubscriberPeers',
      summary: string,
      run: typeof assignPeers,
    ) =>
      app.post(
        `/api/${action}`,
        { schema: { tags, summary, body: SubscriberPeersBody, response: answers } },
        async (req) => {
          await run(deps, req.body);
          return ok(await detail(deps, req.body.id));
        },
      );
    peersRoute(
      'assignSubscriberPeers',
      'Peers join a subscriber (409 for a peer of another one)',
      assignPeers,
    );
    peersRoute(
      'unassignSubscriberPeers',
      'Peers leave a subscriber (their bytes stay counted in its period)',
      unassignPeers,
    );

    const idRoute = (action: string, summary: string, run: (id: number) => Promise<unknown>) =>
      app.post(
        `/api/${action}`,
        { schema: { tags, summary, body: SubscriberIdBody, response: answers } },
        async (req) => {
          await mustBeVisible(deps, req.body.id, scopeOf(req));
          await run(req.body.id);
          return ok(await detail(deps, req.body.id));
        },
      );
    idRoute(
      'restrictSubscriber',
      'Restrict by hand (every peer of it cut off on every node) until allowed',
      (id) => deps.policy.restrict(id),
    );
    idRoute(
      'allowSubscriber',
      'Lift its restriction (the policy cuts it again if its limit or date still holds)',
      (id) => deps.policy.allow(id),
    );
    idRoute('resetSubscriberData', 'Start its period from zero now (every node)', (id) =>
      deps.policy.resetUsage(id),
    );
    idRoute('rotateSubscriberToken', 'A new page token: the old link stops working', (id) =>
      rotateToken(deps, id),
    );
  };
