import { describe, expect, it } from 'vitest';
import { SettledConfigurations } from './settled-configurations.js';
import { dumpPeer } from './testing/dump-peer.js';

const peer = (key: string, ...allowed: string[]) => dumpPeer(key, allowed);
const dump = [peer('a', '10.0.0.2/32'), peer('b', '10.0.0.3/32', 'fd00::3/128')];

describe('SettledConfigurations', () => {
  it('lets an unchanged dump skip until a full comparison is due', () => {
    const s = new SettledConfigurations(2);
    expect(s.canSkip(1, dump)).toBe(false); // never settled
    s.settle(1, s.revision(1), dump);
    expect(s.canSkip(1, dump)).toBe(true);
    expect(s.canSkip(1, [...dump].reverse())).toBe(true); // the order does not matter
    expect(s.canSkip(1, dump)).toBe(false); // two skipped: compare in full
    expect(s.canSkip(2, dump)).toBe(false); // another configuration
  });

  it('compares in full when the node shows other peers or other allowed IPs', () => {
    const s = new SettledConfigurations(10);
    s.settle(1, s.revision(1), dump);
    expect(s.canSkip(1, dump.slice(1))).toBe(false);
    expect(s.canSkip(1, [...dump, peer('c', '10.0.0.4/32')])).toBe(false);
    expect(s.canSkip(1, [peer('a', '10.0.0.9/32'), dump[1]!])).toBe(false);
    expect(s.canSkip(1, [peer('c', '10.0.0.2/32'), dump[1]!])).toBe(false);
    expect(s.canSkip(1, dump)).toBe(true);
  });

  it('compares in full after a touch, also when the touch came during the reconcile', () => {
    const s = new SettledConfigurations(10);
    s.settle(1, s.revision(1), dump);
    s.touch(1);
    expect(s.canSkip(1, dump)).toBe(false);
    const revision = s.revision(1); // the reconcile reads the database …
    s.touch(1); // … a change commits and asks to converge …
    s.settle(1, revision, dump); // … the reconcile ends: not settled, it read too early
    expect(s.canSkip(1, dump)).toBe(false);
  });

  it('forgets and unsettles', () => {
    const s = new SettledConfigurations(10);
    s.settle(1, s.revision(1), dump);
    s.unsettle(1);
    expect(s.canSkip(1, dump)).toBe(false);
    s.settle(1, s.revision(1), dump);
    s.forget(1);
    expect(s.canSkip(1, dump)).toBe(false);
  });
});
