import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { compileFieldsWriter, compileJsonWriter } from './compiled-json.js';
import {
  derivePeerJson,
  PEER_JSON_FIELDS,
  PeerJson,
  peerJsonContext,
  toPeerJson,
  type PeerJsonSource,
} from './peer-json.js';

const now = new Date('2026-11-27T12:00:00Z');
const GIB = 1024n ** 3n;
// Names that need escaping, non-ASCII, a lone surrogate, a pair (written as is), long ones
// (another escaping path), some with nothing to escape (written with quotes only).
const NAMES = [
  'Phone',
  'emoji 😀 \u007f \u2028 ☃',
  '\udfff',
  `${'x'.repeat(50)}"`,
  'dup "name" \\ ☃',
  'tab\there\nnl',
  '\u0000\u001f',
  '\ud800 lone',
  'é'.repeat(60),
  '',
];

/** A peer row whose every nullable column is set or not, from `i` (deterministic, varied). */
function rowOf(i: number): PeerJsonSource {
  const on = (bit: number) => ((i >> bit) & 1) === 1;
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000 + i * 1_234);
  return {
    public_key: `${String(i).padStart(43, 'k')}=`,
    name: NAMES[i % NAMES.length]!,
    allowed_ip: `10.8.${i % 256}.2/32`,
    status: on(0) ? 'restricted' : 'active',
    restriction_reason: on(0) ? (['manual', 'expired', 'traffic_limit'] as const)[i % 3]! : null,
    restricted_at: on(0) ? at(-1) : null,
    private_key: on(1) ? 'secret-private' : null,
    preshared_key: on(2) ? 'secret-psk' : null,
    dns: on(3) ? '1.1.1.1' : null,
    mtu: on(4) ? 1420 : null,
    keepalive: on(5) ? 25 : null,
    endpoint_allowed_ip: on(6) ? '0.0.0.0/0' : '',
    endpoint: on(7) ? '[2001:db8::1]:51000' : null,
    latest_handshake_at: on(8) ? at(-0.01) : null,
    traffic_limit: on(9) ? BigInt(i % 4) * GIB + 7n : null,
    expiry_date: on(10) ? at((i % 9) - 4) : null,
    traffic_warn_threshold: 1 + (i % 100),
    reset_schedule: on(11) ? 'monthly' : 'none',
    reset_anchor: on(11) ? 1 + (i % 28) : null,
    download_bps: on(12) ? 10_000_000n : null,
    upload_bps: on(12) ? 1n : null,
    on_limit: on(13) ? 'throttle' : 'restrict',
    throttle_download_bps: on(13) ? 1_000_000n : null,
    throttle_upload_bps: on(13) ? 0n : null,
    throttled_at: on(13) && !on(0) ? at(-0.5) : null,
    download_limit: on(14) ? 5n * GIB : null,
    upload_limit: on(14) ? 0n : null,
    daily_limit: on(15) ? GIB : null,
    day_rx: BigInt(i) * 3n,
    day_tx: 5n,
    day_started_at: on(15) ? at(-0.2) : null,
    period_started_at: at(-20),
    period_rx: BigInt(i) * 1_000_003n,
    period_tx: (BigInt(i) * GIB) / 7n,
    lifetime_rx: on(16) ? 9_007_199_254_740_000n : BigInt(i),
    lifetime_tx: 0n,
    subscriber_id: on(17) ? i : null,
    restricted_by_subscriber: on(18),
    created_at: at(-400),
  };
}

describe('compiled JSON writer', () => {
  /** What Fastify's own serializer writes for `value` under `schema` (a route's response). */
  async function fastifyWrites(schema: object, value: unknown): Promise<string> {
    const app = Fastify();
    try {
      app.get('/', { schema: { response: { 200: schema } } }, async () => value);
      return (await app.inject({ url: '/' })).body;
    } finally {
      await app.close();
    }
  }

  it('writes peers byte for byte as the response schema does, from objects and from rows', async () => {
    const write = compileJsonWriter(PeerJson);
    const fromRow = compileFieldsWriter(PeerJson, PEER_JSON_FIELDS, 3);
    const rowTexts: string[] = [];
    const peers = Array.from({ length: 600 }, (_, i) => {
      const r = rowOf(i * 977);
      const attached =
        i % 5 === 0
          ? {
              shareLinks: [
                {
                  ShareID: `id-${i}`,
                  Peer: r.public_key,
                  Configuration: 'wg0',
                  ExpireDate: '2199-12-31 00:00:00',
                  SharedDate: '2026-11-01 00:00:00',
                },
              ],
              jobs: [],
            }
          : {};
      const configuration = i % 2 ? 'wg0' : 'конфиг "x"';
      rowTexts.push(fromRow(r, derivePeerJson(r), peerJsonContext(now, configuration, attached)));
      return toPeerJson(r, now, configuration, attached);
    });
    const expected = await fastifyWrites(Type.Array(PeerJson), peers);
    expect(`[${peers.map(write).join(',')}]`).toBe(expected);
    expect(`[${rowTexts.join(',')}]`).toBe(expected);
    expect(expected).toContain('"status":"throttled"');
  });

  it('follows the serializer on the types the shapes use', async () => {
    const schema = Type.Object({
      a: Type.Optional(Type.Integer()),
      b: Type.Number(),
      c: Type.Union([Type.Literal('x'), Type.Literal(2), Type.Null()]),
      d: Type.Array(Type.Union([Type.String(), Type.Boolean()])),
      e: Type.Optional(Type.Union([Type.Object({ f: Type.String() }), Type.Null()])),
    });
    const write = compileJsonWriter(schema);
    const values = [
      { a: 1, b: 0.1, c: 'x', d: ['s', true], e: { f: 'q', extra: 1 } },
      { b: -0, c: 2, d: [], e: null, extra: 'dropped' },
      { a: 2.7, b: Infinity, c: null, d: [false, '"'] },
      { a: -3n, b: 1e21, c: 'x', d: ['\u2028'] },
    ];
    for (const v of values) expect(write(v)).toBe(await fastifyWrites(schema, v));
    expect(() => write({ b: 1, c: 'y', d: [] })).toThrow(/does not match/);
    expect(() => write({ c: 'x', d: [] })).toThrow(/required/);
    expect(() => compileJsonWriter(Type.Record(Type.String(), Type.String()))).toThrow(
      /not supported/,
    );
    expect(() => compileFieldsWriter(schema, { z: () => 1 }, 0)).toThrow(/z is not in the schema/);
    // Values computed by fields; a declared property without one is left out when optional.
    const fields = { b: (n: number) => n / 2, c: () => null, d: (n: number) => [n > 1] };
    expect(compileFieldsWriter(schema, fields, 1)(3)).toBe(
      await fastifyWrites(schema, { b: 1.5, c: null, d: [true] }),
    );
  });
});
