import type { Dump, DumpPeer } from '../../shared/wire/agent-api.js';

/** Error for output of `wg show IF dump` that does not have the documented shape. */
export class DumpFormatError extends Error {
  constructor(readonly line: number) {
    super(`unexpected wg dump output at line ${line}`);
  }
}

const none = (v: string): string | null => (v === '(none)' ? null : v);
const offOrInt = (v: string, line: number): number | null =>
  v === 'off' || v === '0' ? null : toInt(v, line);

function toInt(v: string, line: number): number {
  // Decimal everywhere, except the fwmark, which wg prints as 0x-prefixed hex.
  if (!/^(?:\d+|0x[0-9a-f]+)$/i.test(v)) throw new DumpFormatError(line);
  return Number(v);
}

/**
 * Parses the tab-separated output of `wg show IF dump`. The interface line carries the private key
 * and every peer line a preshared key: both are dropped here and never reach a caller.
 */
export function parseDump(name: string, text: string): Dump {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const head = lines[0]?.split('\t');
  if (!head || head.length !== 4) throw new DumpFormatError(1);
  const peers: DumpPeer[] = new Array<DumpPeer>(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] as string).split('\t');
    if (f.length !== 8) throw new DumpFormatError(i + 1);
    const line = i + 1;
    const handshake = toInt(f[4] as string, line);
    const allowed = f[3] as string;
    peers[i - 1] = {
      public_key: f[0] as string,
      endpoint: none(f[2] as string),
      allowed_ips: allowed === '(none)' || allowed === '' ? [] : allowed.split(','),
      latest_handshake: handshake === 0 ? null : handshake,
      transfer_rx: toInt(f[5] as string, line),
      transfer_tx: toInt(f[6] as string, line),
      persistent_keepalive: offOrInt(f[7] as string, line),
    };
  }
  return {
    interface: {
      name,
      public_key: none(head[1] as string),
      listen_port: head[2] === '0' ? null : toInt(head[2] as string, 1),
      fwmark: offOrInt(head[3] as string, 1),
    },
    peers,
  };
}
