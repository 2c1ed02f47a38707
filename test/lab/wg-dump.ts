/** One peer of `wg show IF dump`, in the agent API's shape (numbers, null for none/off). */
export interface LabDumpPeer {
  readonly public_key: string;
  /** Present in the raw dump; tests use it to check nothing leaks it. */
  readonly preshared_key: string | null;
  readonly endpoint: string | null;
  readonly allowed_ips: string[];
  readonly latest_handshake: number | null;
  readonly transfer_rx: number;
  readonly transfer_tx: number;
  readonly persistent_keepalive: number | null;
}

/** `wg show IF dump`, parsed. */
export interface LabDump {
  readonly interface: {
    readonly public_key: string | null;
    readonly listen_port: number | null;
    readonly fwmark: number | null;
  };
  readonly peers: LabDumpPeer[];
}

const orNull = (v: string | undefined) => (v === undefined || v === '(none)' ? null : v);
const num = (v: string | undefined) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : 0;
};

/** Parses the tab-separated text of `wg show IF dump` (first line: the interface). */
export function parseWgDump(text: string): LabDump {
  const [head = '', ...rest] = text.trim().split('\n');
  const f = head.split('\t');
  const peers = rest
    .filter((l) => l.trim() !== '')
    .map((line): LabDumpPeer => {
      const p = line.split('\t');
      const allowed = orNull(p[3]);
      const hs = num(p[4]);
      return {
        public_key: p[0] ?? '',
        preshared_key: orNull(p[1]),
        endpoint: orNull(p[2]),
        allowed_ips: allowed === null ? [] : allowed.split(','),
        latest_handshake: hs === 0 ? null : hs,
        transfer_rx: num(p[5]),
        transfer_tx: num(p[6]),
        persistent_keepalive: p[7] === 'off' || p[7] === undefined ? null : num(p[7]),
      };
    });
  const port = num(f[2]);
  return {
    interface: {
      public_key: orNull(f[1]),
      listen_port: port === 0 ? null : port,
      fwmark: f[3] === 'off' || f[3] === undefined ? null : num(f[3]),
    },
    peers,
  };
}
