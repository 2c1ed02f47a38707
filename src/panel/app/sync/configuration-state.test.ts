import { describe, expect, it } from 'vitest';
import { ConfigurationState, ConfigurationStates } from './configuration-state.js';
import { dumpPeer } from './testing/dump-peer.js';

const peer = (key: string, ...allowed: string[]) => dumpPeer(key, allowed);
const dump = [peer('a', '10.0.0.2/32'), peer('b', '10.0.0.3/32', 'fd00::3/128')];

describe('ConfigurationState: settled configurations skip the reconcile', () => {
  it('lets an unchanged dump skip until a full comparison is due', () => {
    const s = new ConfigurationState(1, 1);
    const every = 2;
    expect(s.canSkip(dump, every)).toBe(false); // never settled
    s.settle(s.revision, dump);
    expect(s.canSkip(dump, every)).toBe(true);
    expect(s.canSkip([...dump].reverse(), every)).toBe(true); // the order does not matter
    expect(s.canSkip(dump, every)).toBe(false); // two skipped: compare in full
    expect(new ConfigurationState(2, 1).canSkip(dump, every)).toBe(false); // another one
  });

  it('compares in full when the node shows other peers or other allowed IPs', () => {
    const s = new ConfigurationState(1, 1);
    const every = 10;
    s.settle(s.revision, dump);
    expect(s.canSkip(dump.slice(1), every)).toBe(false);
    expect(s.canSkip([...dump, peer('c', '10.0.0.4/32')], every)).toBe(false);
    expect(s.canSkip([peer('a', '10.0.0.9/32'), dump[1]!], every)).toBe(false);
    expect(s.canSkip([peer('c', '10.0.0.2/32'), dump[1]!], every)).toBe(false);
    // The same allowed IPs, swapped between two peers; one peer's two networks as one.
    const swapped = [peer('a', '10.0.0.3/32', 'fd00::3/128'), peer('b', '10.0.0.2/32')];
    expect(s.canSkip(swapped, every)).toBe(false);
    expect(s.canSkip([dump[0]!, peer('b', '10.0.0.3/32,fd00::3/128')], every)).toBe(false);
    expect(s.canSkip(dump, every)).toBe(true);
  });

  it('compares in full after a touch, also when the touch came during the reconcile', () => {
    const s = new ConfigurationState(1, 1);
    const every = 10;
    s.settle(s.revision, dump);
    s.touch();
    expect(s.canSkip(dump, every)).toBe(false);
    const revision = s.revision; // the reconcile reads the database …
    s.touch(); // … a change commits and asks to converge …
    s.settle(revision, dump); // … the reconcile ends: not settled, it read too early
    expect(s.canSkip(dump, every)).toBe(false);
  });

  it('unsettles, and a forgotten configuration starts unsettled', () => {
    const s = new ConfigurationState(1, 1);
    const every = 10;
    s.settle(s.revision, dump);
    s.unsettle();
    expect(s.canSkip(dump, every)).toBe(false);
    s.settle(s.revision, dump);
    const states = new ConfigurationStates();
    states.of(1, 1).settle(0, dump);
    states.forget(1);
    expect(states.of(1, 1).canSkip(dump, every)).toBe(false);
  });
});
