import { describe, expect, it } from 'vitest';
import type { Dump } from '../../../shared/wire/agent-api.js';
import { encodeDumpTsv } from '../../../shared/wire/dump-tsv.js';
import { AgentAnswerError, AgentAnswers, fieldPath } from './agent-answers.js';

const K = (c: string) => `${c.repeat(43)}=`;
const peer = (i: number) => ({
  public_key: K(String.fromCharCode(65 + (i % 26))),
  endpoint: null,
  allowed_ips: [`10.0.0.${i}/32`],
  latest_handshake: null,
  transfer_rx: i,
  transfer_tx: 2 * i,
  persistent_keepalive: null,
  total_rx: i,
  total_tx: 2 * i,
});
const dump = (): Dump => ({
  interface: { name: 'wg0', public_key: K('s'), listen_port: 51820, fwmark: null, epoch: 'e1' },
  peers: [0, 1, 2, 3, 4].map(peer),
  enforcements: [],
});
const failure = (f: () => unknown): AgentAnswerError => {
  try {
    f();
  } catch (e) {
    if (e instanceof AgentAnswerError) return e;
    throw e;
  }
  throw new Error('expected an AgentAnswerError');
};

describe('agent answers checked at the panel boundary', () => {
  it('passes an answer of the promised shape through unchanged', () => {
    const d = dump();
    expect(AgentAnswers.dump('GET /v1/wg/wg0/dump', d)).toBe(d);
    expect(AgentAnswers.health('GET /v1/health', { status: 'ok', version: '1' })).toEqual({
      status: 'ok',
      version: '1',
    });
  });

  it('names the field at fault by its path', () => {
    const bad = dump() as unknown as { peers: Record<string, unknown>[] };
    bad.peers[3]!.transfer_rx = '12';
    const e = failure(() => AgentAnswers.dump('GET /v1/wg/wg0/dump', bad));
    expect(e.field).toBe('peers[3].transfer_rx');
    expect(e.code).toBe('AGENT_BAD_ANSWER');
    expect(e.message).toContain('GET /v1/wg/wg0/dump');
    expect(e.message).toContain('peers[3].transfer_rx');
  });

  it('names a missing field, a wrong nested one, and a body that is not an object', () => {
    const noPeers = { interface: dump().interface };
    const missing = failure(() => AgentAnswers.dump('d', noPeers));
    expect([missing.field, missing.message]).toEqual([
      'peers',
      expect.stringMatching(/peers is missing$/),
    ]);
    const noRx = { ...dump(), peers: [peer(0), { ...peer(1), transfer_rx: undefined }] };
    expect(failure(() => AgentAnswers.dump('d', JSON.parse(JSON.stringify(noRx)))).field).toBe(
      'peers[1].transfer_rx',
    );
    const badEpoch = { ...dump(), interface: { ...dump().interface, epoch: 7 } };
    expect(failure(() => AgentAnswers.dump('d', badEpoch)).field).toBe('interface.epoch');
    const badCut = {
      ...dump(),
      enforcements: [{ id: 'x', public_key: K('a'), at: 'now', reason: 'because' }],
    };
    expect(failure(() => AgentAnswers.dump('d', badCut)).field).toMatch(/^enforcements\[0\]/);
    expect(failure(() => AgentAnswers.dump('d', null)).field).toBe('(answer)');
    expect(failure(() => AgentAnswers.ok('o', { ok: false })).field).toBe('ok');
    const list = { interfaces: [{ name: 'wg0' }] };
    expect(failure(() => AgentAnswers.interfaceList('l', list)).field).toMatch(/^interfaces\[0\]/);
  });

  it('reads the compact dump as the JSON one, naming the field and line of a bad one', () => {
    const d = { ...dump(), interface: { ...dump().interface, instance: '4' } };
    expect(AgentAnswers.dumpTsv('t', encodeDumpTsv(d))).toStrictEqual(d);
    const text = encodeDumpTsv(d);
    const bad = text.replace(`\t${peer(3).transfer_rx}\t${peer(3).transfer_tx}\t`, '\t-3\t6\t');
    const e = failure(() => AgentAnswers.dumpTsv('GET /v1/wg/wg0/dump', bad));
    expect(e.field).toBe('peers[3].transfer_rx (line 5)');
    expect(e.message).toContain('GET /v1/wg/wg0/dump');
    const cut = [{ id: 'x', public_key: K('a'), at: 'now', reason: 'because' }];
    const badCut = text.replace('enforcements\t[]', `enforcements\t${JSON.stringify(cut)}`);
    expect(failure(() => AgentAnswers.dumpTsv('d', badCut)).field).toMatch(
      /^enforcements\[0\]\S* \(line 7\)$/,
    );
    expect(failure(() => AgentAnswers.dumpTsv('d', '{"interface":{}}')).field).toBe(
      '(answer) (line 1)',
    );
  });

  it('turns JSON pointers into field paths', () => {
    expect(fieldPath('')).toBe('(answer)');
    expect(fieldPath('/peers/3/transfer_rx')).toBe('peers[3].transfer_rx');
    expect(fieldPath('/interface/epoch')).toBe('interface.epoch');
    expect(fieldPath('/a~1b/0')).toBe('a/b[0]');
  });
});
