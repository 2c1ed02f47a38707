import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { notFound } from '../../app/errors.js';
import {
  SubscriberDetailJson,
  SubscriberIdQuery,
  SubscriberListJson,
  SubscribersQuery,
} from '../../../shared/wire/panel-api.js';
import { mustBeVisible } from '../../app/subscribers/reseller-scope.js';
import { scopeOf } from '../auth-hook.js';
import { Envelope, ok } from '../envelope.js';
import { toSubscriberDetailJson, toSubscriberJson } from '../subscriber-json.js';
import { SUBSCRIBER_FAILURES, type SubscribersRouteDeps } from './subscribers-route-deps.js';

/** How many of its latest events getSubscriber answers. */
const RECENT_EVENTS = 50;

/** getSubscribers (paged, searched, sorted, by status) and getSubscriber (in full). */
export const subscribersReadRoutes =
  (deps: SubscribersRouteDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/getSubscribers',
      {
        schema: {
          tags: ['subscribers'],
          summary: 'Subscribers, a page at a time, with their usage over every node',
          querystring: SubscribersQuery,
          response: { 200: Envelope(SubscriberListJson), ...SUBSCRIBER_FAILURES },
        },
      },
      async (req) => {
        const q = req.query;
        const page = q.page ?? 1;
        const pageSize = q.pageSize ?? 50;
        const search = q.search?.trim() || null;
        const { rows, total } = await deps.store.list({
          createdBy: scopeOf(req)?.owner ?? null,
          search,
          status: q.status === undefined || q.status === 'all' ? null : q.status,
          sort: q.sort ?? 'name',
          order: q.order ?? 'asc',
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        const now = deps.now();
        const tz = await deps.timezone();
        return ok({
          subscribers: rows.map((r) => toSubscriberJson(r, now, tz)),
          total,
          page,
          pageSize,
        });
      },
    );

    app.get(
      '/api/getSubscriber',
      {
        schema: {
          tags: ['subscribers'],
          summary: 'One subscriber: usage in total and per configuration, its peers, recent events',
          description: 'Answers its token and page URL: the link the subscriber is given.',
          querystring: SubscriberIdQuery,
          response: { 200: Envelope(SubscriberDetailJson), ...SUBSCRIBER_FAILURES },
        },
      },
      async (req) => {
        await mustBeVisible(deps, req.query.id, scopeOf(req));
        return ok(await detail(deps, req.query.id));
      },
    );
  };

/** A subscriber in full, as getSubscriber and every write answer it. */
export async function detail(deps: SubscribersRouteDeps, id: number) {
  const s = await deps.store.byId(id);
  if (!s) throw notFound('subscriber', id);
  const [peers, events] = await Promise.all([
    deps.store.peers(id),
    deps.store.events(id, RECENT_EVENTS),
  ]);
  return toSubscriberDetailJson(s, peers, events, deps.now(), await deps.timezone());
}
