import { describe, expect, it } from 'vitest';
import {
  EnforcementFileError,
  parseEnforcement,
  serializeEnforcement,
  type EnforcementRecord,
} from './enforcement-file.js';

const A = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const record: EnforcementRecord = {
  id: 'r1',
  interface: 'wg0',
  public_key: A,
  at: '2026-01-01T00:00:00.000Z',
  reason: 'traffic_limit',
  total_rx: 10,
  total_tx: 20,
  epoch: 'e',
  used_bytes: 30,
  remaining_bytes: 25,
  expires_at: null,
};

describe('enforcement file', () => {
  it('reads back what it wrote', () => {
    const state = {
      allowances: new Map([
        [
          'wg0',
          {
            graceMs: 30_000,
            epoch: 'e',
            peers: new Map([
              [A, { remaining: 25, base: 0, expiresAt: null }],
              ['B', { remaining: null, base: 7, expiresAt: 1_800_000_000_000 }],
            ]),
          },
        ],
      ]),
      records: [record],
    };
    expect(parseEnforcement(serializeEnforcement(state))).toEqual(state);
  });

  it('refuses a file it cannot trust, naming the part', () => {
    expect(() => parseEnforcement('nope')).toThrow(EnforcementFileError);
    const bad = (o: object) => JSON.stringify({ version: 1, allowances: {}, records: [], ...o });
    expect(() => parseEnforcement(bad({ records: [{ ...record, reason: 'manual' }] }))).toThrow(
      'records[0]',
    );
    const peers = { [A]: [1, -2, null] };
    expect(() =>
      parseEnforcement(bad({ allowances: { wg0: { grace_ms: 1, epoch: 'e', peers } } })),
    ).toThrow(`allowances.wg0.peers.${A}`);
  });
});
