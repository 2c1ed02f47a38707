import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { TSchema } from 'typebox';
import type { PeerList } from '../../app/peers/configuration-peers.js';
import { compileFieldsWriter } from '../compiled-json.js';
import {
  derivePeerJson,
  NO_ATTACHMENTS,
  PEER_JSON_FIELDS,
  PeerJson,
  peerJsonContext,
  type Derived,
  type PeerAttachments,
  type PeerJsonContext,
  type PeerJsonRow,
} from '../peer-json.js';

/** The parts of a configuration-info answer besides its two peer lists. */
export interface StreamedInfo {
  readonly configurationInfo: { schema: TSchema; value: unknown };
  /** Paging, whose last property `peerOrder` is written from `peerOrder` below, in pieces. */
  readonly paging: { schema: TSchema; value: Record<string, unknown> };
  readonly peerOrder: readonly string[];
  readonly active: PeerList;
  readonly restricted: PeerList;
  readonly now: Date;
  /** The configuration's name (its peers' WGDashboard jobs name it). */
  readonly configuration?: string;
  /** What other tables hold of the peers, by public key (`ShareLink`, stored jobs). */
  readonly attachments?: ReadonlyMap<string, PeerAttachments>;
}

type Serialize = (value: unknown) => string;

/**
 * A peer's JSON: what the response schema's serializer writes for `toPeerJson`'s object, without
 * its schema validation per nullable field (see compiled-json.ts; ~3× faster on 10,000 peers) and
 * without the object: written from the row by the fields `toPeerJson` reads.
 */
const writePeer = compileFieldsWriter<[PeerJsonRow, Derived, PeerJsonContext]>(
  PeerJson,
  PEER_JSON_FIELDS,
  3,
);

/** Keys of `peerOrder` per piece of the stream. */
const ORDER_PIECE = 1000;

/**
 * `paging` with its `peerOrder` (its last property) written piece by piece: one serializer call
 * on 10,000 keys raised the panel's peak memory by ~40 MB (bench:panel).
 */
function* pagingElements(info: StreamedInfo, serialize: Serialize): Generator<string> {
  const empty = serialize({ ...info.paging.value, peerOrder: [] });
  const end = '[]}';
  if (!empty.endsWith(`"peerOrder":${end}`)) throw new Error('peerOrder must end paging');
  yield `${empty.slice(0, -end.length)}[`;
  for (let i = 0; i < info.peerOrder.length; i += ORDER_PIECE)
    yield (
      (i === 0 ? '' : ',') +
      info.peerOrder
        .slice(i, i + ORDER_PIECE)
        .map((k) => JSON.stringify(k))
        .join(',')
    );
  yield ']}';
}

/** A list's peers as JSON array elements (without brackets), one string per batch. */
async function* peerElements(
  list: PeerList,
  now: Date,
  configuration = '',
  attachments?: ReadonlyMap<string, PeerAttachments>,
): AsyncGenerator<string> {
  let first = true;
  // One context for the peers with nothing attached (most of them).
  const bare = peerJsonContext(now, configuration, NO_ATTACHMENTS);
  for await (const batch of list.batches()) {
    if (batch.length === 0) continue;
    let text = '';
    for (const row of batch) {
      const attached = attachments?.get(row.public_key);
      const context = attached ? peerJsonContext(now, configuration, attached) : bare;
      const json = writePeer(row, derivePeerJson(row), context);
      text += first ? json : `,${json}`;
      first = false;
    }
    yield text;
  }
}

/**
 * Sends `{status, message, data: {configurationInfo, configurationPeers,
 * configurationRestrictedPeers, paging}}` as a stream: the envelope's head, then the peers batch by
 * batch, then its tail. Byte for byte what the route's response schema would write (the same
 * serializer compiler, the same property order), but only one batch is in memory at a time and
 * the first bytes leave before the last peer is read. The head's values are known up front, so a
 * failure before the stream starts (unknown configuration, …) is still an ordinary error answer.
 */
export function sendStreamedInfo(reply: FastifyReply, info: StreamedInfo): FastifyReply {
  const compile = (schema: TSchema) =>
    reply.compileSerializationSchema(schema as { [key: string]: unknown }) as Serialize;
  const head =
    `{"status":true,"message":null,"data":{"configurationInfo":` +
    `${compile(info.configurationInfo.schema)(info.configurationInfo.value)},"configurationPeers":[`;
  const paging = compile(info.paging.schema);
  async function* body(): AsyncGenerator<string> {
    yield head;
    yield* peerElements(info.active, info.now, info.configuration, info.attachments);
    yield '],"configurationRestrictedPeers":[';
    yield* peerElements(info.restricted, info.now, info.configuration, info.attachments);
    yield '],"paging":';
    yield* pagingElements(info, paging);
    yield '}}';
  }
  // One string buffered at most: backpressure reaches the generator, so batches are read only as
  // fast as the client takes them, and an aborted request stops the reads. The strings go to the
  // socket as they are (no Buffer per piece for the heap to carry).
  const stream = Readable.from(body(), { objectMode: true, highWaterMark: 1 });
  return reply.type('application/json; charset=utf-8').send(stream);
}
