import { describe, expect, it } from 'vitest';
import { FileLineError, parseWgQuickFile } from './wg-quick-file.js';

const lineOf = (text: string) => {
  try {
    parseWgQuickFile(text);
  } catch (e) {
    if (e instanceof FileLineError) return [e.line, e.reason] as const;
    throw e;
  }
  return null;
};

describe('parseWgQuickFile', () => {
  it('reads sections, joins repeated list keys, skips comments', () => {
    const f = parseWgQuickFile(`# made by hand
[Interface]
# PrivateKey = <kept on the node>
Address = 10.0.0.1/24
Address = fd00::1/64
ListenPort = 51820 # the usual

[Peer]
PublicKey = abc
AllowedIPs = 10.0.0.2/32, fd00::2/128
`);
    expect(f.interface.get('address')).toEqual({ value: '10.0.0.1/24, fd00::1/64', line: 4 });
    expect(f.interface.get('listenport')?.value).toBe('51820');
    expect(f.peers).toHaveLength(1);
    expect(f.peers[0]?.line).toBe(8);
    expect(f.peers[0]?.values.get('allowedips')?.value).toBe('10.0.0.2/32, fd00::2/128');
  });
  it('names the line of each problem', () => {
    expect(lineOf('[Interface]\nListenPort = 1\nListenPort = 2')).toEqual([
      3,
      'ListenPort is given twice (line 2 too)',
    ]);
    expect(lineOf('[Interface]\nAddress 10.0.0.1/24')).toEqual([
      2,
      'expected "Key = Value", a [Section], or a # comment',
    ]);
    expect(lineOf('[Peer]\nPublicKey = x')).toEqual([1, '[Peer] before the [Interface] section']);
    expect(lineOf('ListenPort = 1')).toEqual([1, '"ListenPort" before the [Interface] section']);
    expect(lineOf('[Interface]\n[Peer]\n[Interface]')).toEqual([3, 'a second [Interface] section']);
    expect(lineOf('[Interface]\n[Wat]')).toEqual([2, 'unknown section [Wat]']);
    expect(lineOf('# nothing')).toEqual([1, 'no [Interface] section']);
  });
});
