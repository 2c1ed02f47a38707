import { describe, expect, it } from 'vitest';
import { InterfaceShape, ShapeError, tableOf } from './interface-shape.js';

const lim = (d: number | null, u: number | null = null) => ({ downloadBps: d, uploadBps: u });

describe('InterfaceShape', () => {
  it('hashes host addresses on their last byte, prefixes by length (longest first)', () => {
    const s = new InterfaceShape();
    const { after } = s.set('A', ['10.8.0.42/32', 'fd00::1:2a/128', '192.168.7.9/24'], lim(1e6));
    expect(after?.slot).toBe(2);
    expect(after?.filters).toEqual([
      { cidr: '10.8.0.42/32', family: 4, table: 0x10, bucket: 42, node: 1, prio: 10 },
      { cidr: 'fd00::1:2a/128', family: 6, table: 0x11, bucket: 0x2a, node: 1, prio: 11 },
      // canonical network, its own table and priority
      { cidr: '192.168.7.0/24', family: 4, table: 0x118, bucket: 0, node: 1, prio: 108 },
    ]);
    expect(tableOf(4, 16).prio).toBeGreaterThan(tableOf(4, 24).prio);
    expect(tableOf(6, 64).prio).toBeGreaterThan(tableOf(6, 127).prio);
  });

  it('gives addresses of one bucket distinct nodes and reuses freed ids lowest first', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.5/32'], lim(1e6));
    s.set('B', ['10.9.0.5/32'], lim(1e6));
    expect(s.peers.get('B')?.filters[0]?.node).toBe(2);
    expect(s.peers.get('B')?.slot).toBe(3);
    s.delete('A');
    const { after } = s.set('C', ['10.10.0.5/32'], lim(null, 2e6));
    expect(after?.slot).toBe(2);
    expect(after?.filters[0]?.node).toBe(1);
    expect(s.limitedOn('download')).toBe(1);
    expect(s.limitedOn('upload')).toBe(1);
  });

  it('keeps the slot and the nodes of kept addresses when a peer changes', () => {
    const s = new InterfaceShape();
    const first = s.set('A', ['10.8.0.5/32', '10.8.0.6/32'], lim(1e6)).after;
    const { before, after } = s.set('A', ['10.8.0.6/32', '10.8.0.7/32'], lim(5e6));
    expect(before).toBe(first);
    expect(after?.slot).toBe(first?.slot);
    expect(after?.filters[0]).toBe(first?.filters[1]); // the very same place: no filter change
    expect(after?.filters[1]?.cidr).toBe('10.8.0.7/32');
  });

  it('a limit of none stops shaping the peer', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.5/32'], lim(1e6));
    const c = s.set('A', ['10.8.0.5/32'], lim(null, null));
    expect(c.after).toBeUndefined();
    expect(s.size).toBe(0);
    expect(s.limitedOn('download')).toBe(0);
  });

  it('refuses an address it cannot parse and changes nothing', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.5/32'], lim(1e6));
    expect(() => s.set('A', ['10.8.0.9/32', 'nope'], lim(2e6))).toThrow(ShapeError);
    expect(() => s.set('B', ['nope'], lim(2e6))).toThrow('allowed_ips[0]');
    expect(s.peers.get('A')?.limit.downloadBps).toBe(1e6);
    expect(s.set('B', ['10.8.0.9/32'], lim(1e6)).after?.filters[0]?.node).toBe(1);
    expect(s.peers.get('B')?.slot).toBe(3);
  });

  it('loads saved ids and refuses clashes', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.5/32'], lim(1e6));
    const copy = InterfaceShape.from(s.peers);
    expect(copy.set('B', ['10.9.0.5/32'], lim(1e6)).after).toMatchObject({
      slot: 3,
      filters: [{ node: 2 }],
    });
    const a = s.peers.get('A')!;
    expect(() =>
      InterfaceShape.from([
        ['A', a],
        ['B', a],
      ]),
    ).toThrow(ShapeError);
  });
});
