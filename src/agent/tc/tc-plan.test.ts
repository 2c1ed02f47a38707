import { describe, expect, it } from 'vitest';
import { InterfaceShape } from './interface-shape.js';
import { ifbName } from './ifb-name.js';
import { NOTHING_SHAPED, allAdded, burstBytes, fifoPackets, planChanges } from './tc-plan.js';

const d = { iface: 'wg0', ifb: 'ifb-wg0' };
const caps = { fqCodel: false };
const lim = (down: number | null, up: number | null = null) => ({
  downloadBps: down,
  uploadBps: up,
});
const lines = (p: { tc: readonly { args: readonly string[] }[] }) =>
  p.tc.map((c) => c.args.join(' '));
const wants = (s: InterfaceShape) => ({
  download: s.limitedOn('download') > 0,
  upload: s.limitedOn('upload') > 0,
});

describe('planChanges', () => {
  it('builds both sides from nothing: roots, redirect, hashed tables, classes, filters', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.42/32', 'fd00::2a/128'], lim(5_000_000, 2_000_000));
    const plan = planChanges(d, NOTHING_SHAPED, allAdded(s.peers), wants(s), caps);
    expect(plan.before).toEqual([
      ['link', 'add', 'ifb-wg0', 'type', 'ifb'],
      ['link', 'set', 'ifb-wg0', 'up'],
    ]);
    expect(lines(plan)).toEqual([
      'qdisc add dev wg0 root handle 1: htb',
      'class replace dev wg0 parent 1: classid 1:f000 htb rate 100000000000bit ceil 100000000000bit burst 125000000 cburst 125000000 quantum 1514',
      'qdisc add dev wg0 parent 1:f000 handle f000: htb',
      'class replace dev wg0 parent f000: classid f000:2 htb rate 5000000bit ceil 5000000bit burst 6250 cburst 6250 quantum 1514',
      'qdisc replace dev wg0 parent f000:2 handle 2: pfifo limit 84',
      'filter add dev wg0 parent 1: prio 10 handle 10: protocol ip u32 divisor 256',
      'filter add dev wg0 parent 1: prio 10 protocol ip u32 match u32 0 0 hashkey mask 0x000000ff at 16 link 10:',
      'filter add dev wg0 parent f000: prio 10 handle 10: protocol ip u32 divisor 256',
      'filter add dev wg0 parent f000: prio 10 protocol ip u32 match u32 0 0 hashkey mask 0x000000ff at 16 link 10:',
      'filter replace dev wg0 parent 1: prio 10 handle 10:2a:1 protocol ip u32 ht 10:2a: match ip dst 10.8.0.42/32 flowid 1:f000',
      'filter replace dev wg0 parent f000: prio 10 handle 10:2a:1 protocol ip u32 ht 10:2a: match ip dst 10.8.0.42/32 flowid f000:2',
      'filter add dev wg0 parent 1: prio 11 handle 11: protocol ipv6 u32 divisor 256',
      'filter add dev wg0 parent 1: prio 11 protocol ipv6 u32 match u32 0 0 hashkey mask 0x000000ff at 36 link 11:',
      'filter add dev wg0 parent f000: prio 11 handle 11: protocol ipv6 u32 divisor 256',
      'filter add dev wg0 parent f000: prio 11 protocol ipv6 u32 match u32 0 0 hashkey mask 0x000000ff at 36 link 11:',
      'filter replace dev wg0 parent 1: prio 11 handle 11:2a:1 protocol ipv6 u32 ht 11:2a: match ip6 dst fd00::2a/128 flowid 1:f000',
      'filter replace dev wg0 parent f000: prio 11 handle 11:2a:1 protocol ipv6 u32 ht 11:2a: match ip6 dst fd00::2a/128 flowid f000:2',
      'qdisc add dev wg0 handle ffff: ingress',
      'filter add dev wg0 parent ffff: prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev ifb-wg0',
      'qdisc add dev ifb-wg0 root handle 1: htb',
      'class replace dev ifb-wg0 parent 1: classid 1:f000 htb rate 100000000000bit ceil 100000000000bit burst 125000000 cburst 125000000 quantum 1514',
      'qdisc add dev ifb-wg0 parent 1:f000 handle f000: htb',
      'class replace dev ifb-wg0 parent f000: classid f000:2 htb rate 2000000bit ceil 2000000bit burst 3028 cburst 3028 quantum 1514',
      'qdisc replace dev ifb-wg0 parent f000:2 handle 2: pfifo limit 34',
      'filter add dev ifb-wg0 parent 1: prio 10 handle 10: protocol ip u32 divisor 256',
      'filter add dev ifb-wg0 parent 1: prio 10 protocol ip u32 match u32 0 0 hashkey mask 0x000000ff at 12 link 10:',
      'filter add dev ifb-wg0 parent f000: prio 10 handle 10: protocol ip u32 divisor 256',
      'filter add dev ifb-wg0 parent f000: prio 10 protocol ip u32 match u32 0 0 hashkey mask 0x000000ff at 12 link 10:',
      'filter replace dev ifb-wg0 parent 1: prio 10 handle 10:2a:1 protocol ip u32 ht 10:2a: match ip src 10.8.0.42/32 flowid 1:f000',
      'filter replace dev ifb-wg0 parent f000: prio 10 handle 10:2a:1 protocol ip u32 ht 10:2a: match ip src 10.8.0.42/32 flowid f000:2',
      'filter add dev ifb-wg0 parent 1: prio 11 handle 11: protocol ipv6 u32 divisor 256',
      'filter add dev ifb-wg0 parent 1: prio 11 protocol ipv6 u32 match u32 0 0 hashkey mask 0x000000ff at 20 link 11:',
      'filter add dev ifb-wg0 parent f000: prio 11 handle 11: protocol ipv6 u32 divisor 256',
      'filter add dev ifb-wg0 parent f000: prio 11 protocol ipv6 u32 match u32 0 0 hashkey mask 0x000000ff at 20 link 11:',
      'filter replace dev ifb-wg0 parent 1: prio 11 handle 11:2a:1 protocol ipv6 u32 ht 11:2a: match ip6 src fd00::2a/128 flowid 1:f000',
      'filter replace dev ifb-wg0 parent f000: prio 11 handle 11:2a:1 protocol ipv6 u32 ht 11:2a: match ip6 src fd00::2a/128 flowid f000:2',
    ]);
    // The group's class is the device's; the peer's class is the peer's.
    expect(plan.tc.filter((c) => c.args[0] === 'class').map((c) => c.peer)).toEqual([
      null,
      'A',
      null,
      'A',
    ]);
    expect(plan.next.download?.tables).toEqual(new Set([0x10, 0x11]));
  });

  it('a second peer adds only its class and filter; a rate change is one class replace', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.2/32'], lim(1_000_000));
    const k1 = planChanges(d, NOTHING_SHAPED, allAdded(s.peers), wants(s), caps).next;
    const add = planChanges(d, k1, [s.set('B', ['10.8.0.3/32'], lim(2_000_000))], wants(s), caps);
    expect(add.before).toEqual([]);
    expect(lines(add)).toEqual([
      'class replace dev wg0 parent f000: classid f000:3 htb rate 2000000bit ceil 2000000bit burst 3028 cburst 3028 quantum 1514',
      'qdisc replace dev wg0 parent f000:3 handle 3: pfifo limit 34',
      'filter replace dev wg0 parent 1: prio 10 handle 10:3:1 protocol ip u32 ht 10:3: match ip dst 10.8.0.3/32 flowid 1:f000',
      'filter replace dev wg0 parent f000: prio 10 handle 10:3:1 protocol ip u32 ht 10:3: match ip dst 10.8.0.3/32 flowid f000:3',
    ]);
    const change = planChanges(
      d,
      add.next,
      [s.set('B', ['10.8.0.3/32'], lim(3_000_000))],
      wants(s),
      { fqCodel: true },
    );
    expect(lines(change)).toEqual([
      'class replace dev wg0 parent f000: classid f000:3 htb rate 3000000bit ceil 3000000bit burst 3750 cburst 3750 quantum 1514',
    ]);
  });

  it('removes a peer filters first, then its class; the last one tears the side down', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.2/32', '10.9.0.0/16'], lim(1_000_000, 1_000_000));
    s.set('B', ['10.8.0.3/32'], lim(1_000_000));
    const k = planChanges(d, NOTHING_SHAPED, allAdded(s.peers), wants(s), caps).next;
    const rmA = planChanges(d, k, [s.delete('A')], wants(s), caps);
    expect(lines(rmA)).toEqual([
      'filter del dev wg0 parent 1: prio 10 handle 10:2:1 protocol ip u32',
      'filter del dev wg0 parent f000: prio 10 handle 10:2:1 protocol ip u32',
      'filter del dev wg0 parent 1: prio 116 handle 110:0:1 protocol ip u32',
      'filter del dev wg0 parent f000: prio 116 handle 110:0:1 protocol ip u32',
      'class del dev wg0 classid f000:2',
      'qdisc del dev wg0 ingress',
    ]);
    expect(rmA.after).toEqual([['link', 'del', 'ifb-wg0']]);
    expect(rmA.next.upload).toBeNull();
    const rmB = planChanges(d, rmA.next, [s.delete('B')], wants(s), caps);
    expect(lines(rmB)).toEqual(['qdisc del dev wg0 root']);
    expect(rmB.next).toEqual(NOTHING_SHAPED);
  });

  it('moves a peer off a side and onto the other', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.2/32'], lim(1_000_000));
    s.set('B', ['10.8.0.3/32'], lim(1_000_000));
    const k = planChanges(d, NOTHING_SHAPED, allAdded(s.peers), wants(s), caps).next;
    const p = planChanges(d, k, [s.set('A', ['10.8.0.2/32'], lim(null, 500_000))], wants(s), caps);
    expect(lines(p)).toEqual([
      'filter del dev wg0 parent 1: prio 10 handle 10:2:1 protocol ip u32',
      'filter del dev wg0 parent f000: prio 10 handle 10:2:1 protocol ip u32',
      'class del dev wg0 classid f000:2',
      'qdisc add dev wg0 handle ffff: ingress',
      'filter add dev wg0 parent ffff: prio 1 protocol all u32 match u32 0 0 action mirred egress redirect dev ifb-wg0',
      'qdisc add dev ifb-wg0 root handle 1: htb',
      'class replace dev ifb-wg0 parent 1: classid 1:f000 htb rate 100000000000bit ceil 100000000000bit burst 125000000 cburst 125000000 quantum 1514',
      'qdisc add dev ifb-wg0 parent 1:f000 handle f000: htb',
      'class replace dev ifb-wg0 parent f000: classid f000:2 htb rate 500000bit ceil 500000bit burst 3028 cburst 3028 quantum 1514',
      'qdisc replace dev ifb-wg0 parent f000:2 handle 2: pfifo limit 16',
      'filter add dev ifb-wg0 parent 1: prio 10 handle 10: protocol ip u32 divisor 256',
      'filter add dev ifb-wg0 parent 1: prio 10 protocol ip u32 match u32 0 0 hashkey mask 0x000000ff at 12 link 10:',
      'filter add dev ifb-wg0 parent f000: prio 10 handle 10: protocol ip u32 divisor 256',
      'filter add dev ifb-wg0 parent f000: prio 10 protocol ip u32 match u32 0 0 hashkey mask 0x000000ff at 12 link 10:',
      'filter replace dev ifb-wg0 parent 1: prio 10 handle 10:2:1 protocol ip u32 ht 10:2: match ip src 10.8.0.2/32 flowid 1:f000',
      'filter replace dev ifb-wg0 parent f000: prio 10 handle 10:2:1 protocol ip u32 ht 10:2: match ip src 10.8.0.2/32 flowid f000:2',
    ]);
  });

  it('uses fq_codel as the leaf when the kernel has it', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.2/32'], lim(1_000_000));
    const p = planChanges(d, NOTHING_SHAPED, allAdded(s.peers), wants(s), { fqCodel: true });
    expect(lines(p)).toContain('qdisc replace dev wg0 parent f000:2 handle 2: fq_codel');
  });

  it('puts classes in groups of 64 slots, each group made with its first peer', () => {
    const s = new InterfaceShape();
    for (let i = 0; i < 70; i++) s.set(`K${i}`, [`10.8.0.${i}/32`], lim(1_000_000));
    const p = planChanges(d, NOTHING_SHAPED, allAdded(s.peers), wants(s), caps);
    const l = lines(p);
    expect(l.filter((x) => x.startsWith('qdisc add dev wg0 parent 1:'))).toEqual([
      'qdisc add dev wg0 parent 1:f000 handle f000: htb',
      'qdisc add dev wg0 parent 1:f001 handle f001: htb',
    ]);
    expect(l).toContain(
      'class replace dev wg0 parent f000: classid f000:3f htb rate 1000000bit ceil 1000000bit burst 3028 cburst 3028 quantum 1514',
    );
    expect(l).toContain(
      'filter replace dev wg0 parent f001: prio 10 handle 10:3e:1 protocol ip u32 ht 10:3e: match ip dst 10.8.0.62/32 flowid f001:40',
    );
    expect([...(p.next.download?.groups.keys() ?? [])]).toEqual([0xf000, 0xf001]);
    // A peer of a group that exists adds no group.
    const more = planChanges(d, p.next, [s.set('K70', ['10.8.0.70/32'], lim(1))], wants(s), caps);
    expect(lines(more).filter((x) => x.includes('htb rate 100000000000bit'))).toEqual([]);
  });

  it('scales: 10,000 peers, one command list, every filter in a hashed bucket', () => {
    const s = new InterfaceShape();
    for (let i = 0; i < 10_000; i++)
      s.set(`K${i}`, [`10.${8 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`], lim(1_000_000 + i));
    const p = planChanges(d, NOTHING_SHAPED, allAdded(s.peers), wants(s), caps);
    const filters = lines(p).filter((l) => l.startsWith('filter replace dev wg0 parent 1:'));
    expect(filters).toHaveLength(10_000);
    expect(new Set(filters.map((l) => l.split(' ')[9])).size).toBe(10_000); // handles unique
    // Each also in its group, and no group holds more than 64 classes.
    const perGroup = new Map<string, number>();
    for (const l of lines(p).filter((x) => x.startsWith('class replace dev wg0 parent f'))) {
      const g = l.split(' ')[5] as string;
      perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
    }
    expect(Math.max(...perGroup.values())).toBe(64);
    expect([...perGroup.values()].reduce((a, b) => a + b)).toBe(10_000);
  });
});

describe('sizes and names', () => {
  it('bursts 10 ms of the rate, at least two packets; fifo about 200 ms', () => {
    expect(burstBytes(1_000_000)).toBe(3028);
    expect(burstBytes(20_000_000)).toBe(25_000);
    expect(fifoPackets(1_000_000)).toBe(17);
    expect(fifoPackets(100_000_000_000)).toBe(1000);
  });

  it('names the IFB after the interface, within 15 characters', () => {
    expect(ifbName('wg0')).toBe('ifb-wg0');
    expect(ifbName('abcdefghijklmno')).toMatch(/^ifb-abcde-[0-9a-f]{5}$/);
    expect(ifbName('abcdefghijklmno')).not.toBe(ifbName('abcdefghijklmnp'));
  });
});
