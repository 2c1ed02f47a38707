import { describe, expect, it } from 'vitest';
import { InterfaceShape } from './interface-shape.js';
import { LimitsFileError, parseLimits, serializeLimits } from './limits-file.js';

describe('limits file', () => {
  it('round-trips rates, slots and filter nodes', () => {
    const s = new InterfaceShape();
    s.set('A', ['10.8.0.5/32', 'fd00::5/128', '10.50.0.0/16'], {
      downloadBps: 5e6,
      uploadBps: null,
    });
    s.set('B', ['10.9.0.5/32'], { downloadBps: null, uploadBps: 1e6 });
    const text = serializeLimits(
      new Map([
        ['wg0', s],
        ['empty', new InterfaceShape()],
      ]),
    );
    const back = parseLimits(text);
    expect([...back.keys()]).toEqual(['wg0']);
    expect(back.get('wg0')?.peers).toEqual(s.peers);
  });

  it('refuses what it cannot trust, naming where', () => {
    expect(() => parseLimits('nope')).toThrow(LimitsFileError);
    expect(() => parseLimits('{"version":2}')).toThrow('unknown version');
    const bad = (peer: unknown) => JSON.stringify({ version: 1, interfaces: { wg0: { A: peer } } });
    expect(() => parseLimits(bad({ slot: 2, down: 10, up: null, filters: [] }))).toThrow(
      'interfaces.wg0.A: rates',
    );
    expect(() =>
      parseLimits(bad({ slot: 2, down: 1e6, up: null, filters: [['10.8.0.5/24', 1]] })),
    ).toThrow('filters');
    expect(() => parseLimits(bad({ slot: 1, down: 1e6, up: null, filters: [] }))).toThrow('slot');
  });
});
