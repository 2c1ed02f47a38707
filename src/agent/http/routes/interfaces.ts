import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Dump,
  ErrorBody,
  InterfaceCreate,
  InterfaceList,
  InterfacePath,
  InterfaceSummary,
  Ok,
} from '../../../shared/wire/agent-api.js';
import { DUMP_TSV_TYPE } from '../../../shared/wire/dump-tsv.js';
import {
  createInterface,
  deleteInterface,
  downInterface,
  dumpInterfaceText,
  listInterfaces,
  upInterface,
} from '../../app/interfaces.js';
import type { AgentDeps } from '../../app/ports.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 502: ErrorBody };

/** Interfaces: list, dump, create, up, down, delete. */
export const interfaceRoutes =
  (deps: AgentDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/v1/wg',
      {
        schema: {
          summary: 'WireGuard interfaces of this node',
          response: { 200: InterfaceList, ...errors },
        },
      },
      async () => ({ interfaces: await listInterfaces(deps) }),
    );
    app.get(
      '/v1/wg/:interface/dump',
      {
        schema: {
          summary: 'Peers and raw counters of an interface (no private or preshared keys)',
          description: `JSON by default. \`Accept: ${DUMP_TSV_TYPE}\` gives the same dump as tab-separated lines (what the panel asks for: about half the bytes; the format is described in the source's shared/wire/dump-tsv.ts).`,
          params: InterfacePath,
          response: { 200: Dump, ...errors },
        },
      },
      // Streamed: the JSON leaves while `wg` is still printing, and no copy of the whole dump is
      // held (10k+ peers). The schema documents the shape; the tests check the bytes against it.
      async (req, reply) => {
        const tsv = (req.headers.accept ?? '').includes(DUMP_TSV_TYPE);
        const pieces = await dumpInterfaceText(deps, req.params.interface, tsv ? 'tsv' : 'json');
        const body = Readable.from(pieces, { objectMode: false });
        const type = tsv ? `${DUMP_TSV_TYPE}; charset=utf-8` : 'application/json; charset=utf-8';
        return reply
          .type(type)
          .header('vary', 'accept')
          .send(body as unknown as Dump);
      },
    );
    app.post(
      '/v1/wg',
      {
        schema: {
          summary: 'Create an interface; its private key is generated on the node and stays there',
          body: InterfaceCreate,
          response: { 201: InterfaceSummary, 403: ErrorBody, 409: ErrorBody, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await createInterface(deps, req.body)),
    );
    const lifecycle = [
      ['post', '/v1/wg/:interface/up', 'Bring the interface up from its conf file', upInterface],
      ['post', '/v1/wg/:interface/down', 'Take the interface down (conf file kept)', downInterface],
      [
        'delete',
        '/v1/wg/:interface',
        'Take the interface down and delete its conf file',
        deleteInterface,
      ],
    ] as const;
    for (const [method, url, summary, action] of lifecycle) {
      app.route({
        method: method.toUpperCase() as 'POST' | 'DELETE',
        url,
        schema: { summary, params: InterfacePath, response: { 200: Ok, ...errors } },
        handler: async (req) => {
          await action(deps, (req.params as { interface: string }).interface);
          return { ok: true as const };
        },
      });
    }
  };
