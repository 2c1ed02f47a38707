/** The targets at scale; printed next to the numbers, never asserted. */
export const SCALE_GOALS = { rssMB: 1000, atPeers: 1_000_000 } as const;

/** One fleet size measured on one dialect. */
export interface ScaleRow {
  readonly dialect: 'sqlite' | 'postgres';
  readonly nodes: number;
  readonly peers: number;
  /** The poll interval in force while measuring (s). */
  readonly intervalS: number;
  /** Cycles the panel finished in the window, and their mean duration (its own histogram). */
  readonly cycles: number;
  readonly cycleMs: number;
  /** The panel's CPU-seconds per poll interval (one cycle each), from /proc/PID/stat. */
  readonly cpuPerCycle: number;
  /** Dumps the simulated nodes served in the window, per node (one per cycle when on time). */
  readonly dumpsPerNode: number;
  /** The panel's VmRSS right after it started, before any node. */
  readonly startRssKiB: number;
  readonly rssKiB: number;
  readonly hwmKiB: number;
  /** Median time of the full listing of one 10k configuration (no pageSize), and its bytes. */
  readonly listingMs: number;
  readonly listingBytes: number;
  /** Median time of GET /metrics, and its bytes. */
  readonly metricsMs: number;
  readonly metricsBytes: number;
  /** Seconds taken by addNode for the nodes added at this size. */
  readonly addSeconds: number;
}

const mb = (kib: number) => (kib / 1024).toFixed(0);
const us = (ms: number, peers: number) => ((ms * 1000) / peers).toFixed(2);
const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${r.map((v, c) => v.padStart(widths[c]!)).join('  ')}`);
}

/** The printed report: the table, then cost per peer against the smallest size of each dialect. */
export function formatScaleReport(
  header: string,
  rows: readonly ScaleRow[],
  notes: readonly string[],
): string {
  const main = table([
    [
      'dialect',
      'nodes',
      'peers',
      'interval',
      'cycles',
      'cycle ms',
      'CPU-s/cycle',
      'dumps/node',
      'VmRSS MB',
      'VmHWM MB',
      'listing ms',
      'listing MB',
      '/metrics ms',
      '/metrics MB',
      'adds s',
    ],
    ...rows.map((r) => [
      r.dialect,
      String(r.nodes),
      String(r.peers),
      `${r.intervalS} s`,
      String(r.cycles),
      r.cycleMs.toFixed(0),
      r.cpuPerCycle.toFixed(2),
      r.dumpsPerNode.toFixed(1),
      mb(r.rssKiB),
      mb(r.hwmKiB),
      r.listingMs.toFixed(0),
      (r.listingBytes / 1e6).toFixed(1),
      r.metricsMs.toFixed(0),
      (r.metricsBytes / 1e6).toFixed(1),
      r.addSeconds.toFixed(0),
    ]),
  ]);
  const perPeer: string[][] = [
    [
      'dialect',
      'peers',
      'cycle µs/peer',
      '×',
      'CPU µs/peer',
      '×',
      '/metrics µs/peer',
      '×',
      'RSS growth kB/peer',
      '×',
      'listing (10k) ×',
    ],
  ];
  for (const r of rows) {
    const first = rows.find((s) => s.dialect === r.dialect)!;
    // Growth of VmRSS since the panel started, per peer (kB).
    const rssPerPeer = (s: ScaleRow) => ((s.rssKiB - s.startRssKiB) * 1.024) / s.peers;
    perPeer.push([
      r.dialect,
      String(r.peers),
      us(r.cycleMs, r.peers),
      x(r.cycleMs / r.peers, first.cycleMs / first.peers),
      us(r.cpuPerCycle * 1000, r.peers),
      x(r.cpuPerCycle / r.peers, first.cpuPerCycle / first.peers),
      us(r.metricsMs, r.peers),
      x(r.metricsMs / r.peers, first.metricsMs / first.peers),
      rssPerPeer(r).toFixed(2),
      x(rssPerPeer(r), rssPerPeer(first)),
      x(r.listingMs, first.listingMs),
    ]);
  }
  const goal = rows
    .filter((r) => r.peers >= SCALE_GOALS.atPeers)
    .map(
      (r) =>
        `  ${r.dialect} at ${r.peers} peers: VmRSS ${mb(r.rssKiB)} MB, VmHWM ${mb(r.hwmKiB)} MB against ≤ ${SCALE_GOALS.rssMB} MB: ` +
        `${r.hwmKiB / 1024 <= SCALE_GOALS.rssMB ? 'within (peak)' : r.rssKiB / 1024 <= SCALE_GOALS.rssMB ? 'VmRSS within, peak ABOVE' : 'ABOVE'}`,
    );
  return [
    header,
    ...main,
    '',
    '  cost per peer, × = against the smallest size of the same dialect (goal: linear, ~1.0×)',
    ...table(perPeer),
    '',
    ...(goal.length > 0
      ? goal
      : [`  no size reached ${SCALE_GOALS.atPeers} peers: RSS goal not measured`]),
    ...notes.map((n) => `  ${n}`),
  ].join('\n');
}
