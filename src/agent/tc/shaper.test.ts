import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS_FILE } from './limits-file.js';
import { ShapeFailed, Shaper } from './shaper.js';
import { TcBatchError, type TcCli } from './tc-cli.js';

/** Records what the shaper asks of tc; a batch can be made to fail at a line. */
class FakeTc implements TcCli {
  readonly calls: string[] = [];
  failAt: { word: string } | null = null;
  async batch(commands: readonly (readonly string[])[], opts: { force?: boolean } = {}) {
    const lines = commands.map((c) => c.join(' '));
    this.calls.push(`${opts.force ? 'force ' : ''}batch ${lines.length}`, ...lines);
    const i = this.failAt ? lines.findIndex((l) => l.includes(this.failAt!.word)) : -1;
    if (i >= 0 && !opts.force)
      throw new TcBatchError(
        i,
        `Error: Specified class not found.\nCommand failed /tmp/x/batch:${i + 1}\n`,
      );
  }
  async ip(args: readonly string[]) {
    this.calls.push(`ip ${args.join(' ')}`);
  }
  async hasFqCodel() {
    this.calls.push('probe');
    return false;
  }
}

const log = { warn: () => undefined, info: () => undefined };
const lim = (d: number | null, u: number | null = null) => ({ downloadBps: d, uploadBps: u });

describe('Shaper', () => {
  let dir: string;
  let tc: FakeTc;
  let now = 0;
  const load = () => Shaper.load({ stateDir: dir, tc, now: () => now, log });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shaper-'));
    tc = new FakeTc();
    now = 1_000;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('never touches an interface without limits', async () => {
    const s = await load();
    await s.setPeer('wg0', 'A', ['10.8.0.2/32'], lim(null), '5');
    await s.sync('wg0', '5');
    expect(tc.calls).toEqual([]);
  });

  it('rebuilds whole first, then changes one peer incrementally; saves before applying', async () => {
    const s = await load();
    await s.setPeer('wg0', 'A', ['10.8.0.2/32'], lim(1e6), '5');
    expect(tc.calls[0]).toBe('force batch 2'); // cleanup, failures allowed
    expect(tc.calls).toContain('probe');
    tc.calls.length = 0;
    await s.setPeer('wg0', 'B', ['10.8.0.3/32'], lim(2e6), '5');
    expect(tc.calls[0]).toBe('batch 4'); // its class, leaf and filters (root and group)
    tc.calls.length = 0;
    await s.setPeer('wg0', 'B', ['10.8.0.3/32'], lim(2e6), '5'); // same: nothing to do
    await s.sync('wg0', '5');
    expect(tc.calls).toEqual([]);
    const saved = JSON.parse(await readFile(join(dir, LIMITS_FILE), 'utf8'));
    expect(Object.keys(saved.interfaces.wg0)).toEqual(['A', 'B']);
  });

  it('rebuilds after a new incarnation and after an agent restart; removes the IFB with the interface', async () => {
    const s = await load();
    await s.setPeer('wg0', 'A', ['10.8.0.2/32'], lim(1e6, 1e6), '5');
    tc.calls.length = 0;
    await s.sync('wg0', null); // gone
    expect(tc.calls).toEqual(['ip link del ifb-wg0']);
    await s.sync('wg0', null);
    expect(tc.calls).toHaveLength(1); // once
    await s.sync('wg0', '9'); // back, re-created
    expect(tc.calls).toContain('ip link add ifb-wg0 type ifb');
    expect(tc.calls.some((c) => c.includes('classid f000:2 htb rate 1000000bit'))).toBe(true);

    tc.calls.length = 0;
    const again = await load(); // agent restart: same handles from the file
    await again.sync('wg0', '9');
    expect(tc.calls.filter((c) => c.includes('classid f000:2'))).toHaveLength(2);
    tc.calls.length = 0;
    await again.interfaceDeleted('wg0');
    expect(tc.calls).toEqual(['ip link del ifb-wg0']);
    expect((await load()).interfaces()).toEqual([]);
  });

  it('names the peer and the command that failed, and rebuilds at the next reading', async () => {
    const s = await load();
    await s.setPeer('wg0', 'A', ['10.8.0.2/32'], lim(1e6), '5');
    tc.failAt = { word: 'flowid f000:3' };
    const err = await s
      .setPeer('wg0', 'BBBBBBBBBBBB', ['10.8.0.3/32'], lim(2e6), '5')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShapeFailed);
    expect((err as Error).message).toMatch(
      /^rate limit of peer BBBBBBBB… on wg0: `tc filter replace dev wg0 .* match ip dst 10.8.0.3\/32 flowid f000:3` failed: Error: Specified class not found.$/,
    );
    tc.failAt = null;
    tc.calls.length = 0;
    await s.sync('wg0', '5'); // state unknown: rebuilt whole
    expect(tc.calls[0]).toBe('force batch 2');
    expect(tc.calls.some((c) => c.includes('10.8.0.3/32'))).toBe(true);
  });

  it('a failing rebuild is retried after a while, not every reading', async () => {
    const s = await load();
    tc.failAt = { word: 'htb rate' };
    await expect(s.setPeer('wg0', 'A', ['10.8.0.2/32'], lim(1e6), '5')).rejects.toThrow(
      ShapeFailed,
    );
    await s.sync('wg0', '5'); // fails, remembered
    tc.calls.length = 0;
    await s.sync('wg0', '5');
    expect(tc.calls).toEqual([]);
    now += 31_000;
    tc.failAt = null;
    await s.sync('wg0', '5');
    expect(tc.calls[0]).toBe('force batch 2');
  });

  it('a peer removed takes its limit; the last one leaves the interface alone', async () => {
    const s = await load();
    await s.setPeer('wg0', 'A', ['10.8.0.2/32'], lim(1e6), '5');
    tc.calls.length = 0;
    await s.removePeer('wg0', 'A', '5');
    expect(tc.calls).toEqual(['batch 1', 'qdisc del dev wg0 root']);
    expect(s.interfaces()).toEqual([]);
  });
});
