import { describe, expect, it } from 'vitest';
import { friendlyNames } from './friendly-names.js';

describe('friendlyNames', () => {
  it('reads `# friendly_name = …` of each peer section, as prometheus_wireguard_exporter does', () => {
    const text = [
      '[Interface]',
      '# friendly_name = not a peer',
      'PrivateKey = x',
      '',
      '[Peer]',
      '# friendly_name = Alice laptop',
      'PublicKey = AAAA',
      'AllowedIPs = 10.0.0.2/32',
      '',
      '[Peer]',
      'PublicKey = BBBB',
      '#friendly_name=bob',
      '',
      '[Peer]',
      'PublicKey = CCCC',
      '# a comment',
    ].join('\n');
    expect([...friendlyNames(text)]).toEqual([
      ['AAAA', 'Alice laptop'],
      ['BBBB', 'bob'],
    ]);
  });
});
