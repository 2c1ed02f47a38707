import { describe, expect, it } from 'vitest';
import type { Dump } from '../../../shared/wire/agent-api.js';
import { RealtimeTrafficSink } from './realtime-traffic.js';

const dump = (peers: [string, number, number][], instance = 'i1'): Dump =>
  ({
    interface: { name: 'wg0', public_key: 'k', listen_port: 1, fwmark: null, instance },
    peers: peers.map(([key, rx, tx]) => ({
      public_key: key,
      endpoint: null,
      allowed_ips: [],
      latest_handshake: null,
      transfer_rx: rx,
      transfer_tx: tx,
      persistent_keepalive: null,
    })),
  }) as Dump;

describe('RealtimeTrafficSink', () => {
  it('is the rate between the two latest polls, in MiB/s, reset-safe', async () => {
    const sink = new RealtimeTrafficSink();
    const poll = (t: number, d: Dump) =>
      sink.onDump({ nodeId: 1, configurationId: 7, dump: d, observedAt: new Date(t * 1000) });
    await poll(0, dump([['a', 0, 0]]));
    expect(sink.rateOf(7)).toEqual({ sent: 0, recv: 0 });
    const MiB = 1024 * 1024;
    await poll(2, dump([['a', 4 * MiB, 2 * MiB]]));
    expect(sink.rateOf(7)).toEqual({ sent: 1, recv: 2 });
    // b is new (its whole value counts); a's counters restarted (went down): its value counts.
    await poll(
      4,
      dump([
        ['a', 1 * MiB, 0],
        ['b', 1 * MiB, 1 * MiB],
      ]),
    );
    expect(sink.rateOf(7)).toEqual({ sent: 0.5, recv: 1 });
    // A new interface incarnation: every counter restarted.
    await poll(
      5,
      dump(
        [
          ['a', 2 * MiB, 0],
          ['b', 2 * MiB, 2 * MiB],
        ],
        'i2',
      ),
    );
    expect(sink.rateOf(7)).toEqual({ sent: 2, recv: 4 });
    // The same peers listed in another order: each is matched by its key, not its position.
    await poll(
      6,
      dump(
        [
          ['b', 3 * MiB, 2 * MiB],
          ['a', 2 * MiB, 1 * MiB],
        ],
        'i2',
      ),
    );
    expect(sink.rateOf(7)).toEqual({ sent: 1, recv: 1 });
    expect(sink.rateOf(8)).toEqual({ sent: 0, recv: 0 });
  });
});
