import type { MeasureResult } from './measure.js';
import type { MemoryUsage } from './proc-status.js';
import { summarize, type Summary } from './stats.js';

/** The targets; printed next to the numbers, never asserted (a noisy machine is no judge). */
export const GOALS = { ratio: 1.5, rssMB: 100, tsvPipe: 1.15, tsvBytes: 1.3 } as const;

export interface ReportContext {
  readonly peers: number;
  readonly rounds: number;
  readonly warmup: number;
  readonly iface: string;
  readonly setupSeconds: number;
  readonly agentNodeOptions: readonly string[];
}

const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const size = (bytes: number) =>
  bytes >= 1e6 ? mb(bytes) : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`;
const memMB = (kib: number) => mb(kib * 1024);
const verdict = (ok: boolean) => (ok ? 'within goal' : 'ABOVE goal');

function row(label: string, s: Summary): string {
  const spread = `${s.p25.toFixed(1)}–${s.p75.toFixed(1)}`.padStart(13);
  return `  ${label.padEnd(44)}${ms(s.median)} ${spread} ${ms(s.min)} ${ms(s.max)}`;
}

function memoryRows(r: MeasureResult): string[] {
  const { atStart, afterDumps, afterMetrics, roundRssKiB } = r.memory;
  const afterMB = (afterDumps.rssKiB * 1024) / 1e6;
  const rounds = summarize(roundRssKiB);
  const line = (label: string, m: MemoryUsage, note = '') =>
    `    ${label.padEnd(16)}${memMB(m.rssKiB).padStart(9)} ${memMB(m.anonKiB).padStart(9)}` +
    ` ${memMB(m.fileKiB).padStart(9)} ${memMB(m.hwmKiB).padStart(9)}${note}`;
  return [
    `  agent memory${'VmRSS'.padStart(17)} ${'RssAnon'.padStart(9)} ${'RssFile'.padStart(9)}` +
      ` ${'VmHWM'.padStart(9)} (peak so far)`,
    line('at start', atStart),
    line(
      'after dumps',
      afterDumps,
      `   goal ≤ ${GOALS.rssMB} MB: ${verdict(afterMB <= GOALS.rssMB)}`,
    ),
    line('after metrics', afterMetrics),
    `    VmRSS after each recorded round: median ${memMB(rounds.median)},` +
      ` p25–p75 ${memMB(rounds.p25)}–${memMB(rounds.p75)}, max ${memMB(rounds.max)};` +
      ` peak during the dumps (VmHWM) ${memMB(afterDumps.hwmKiB)}`,
  ];
}

/** The benchmark's printed report: a few aligned lines, medians first. 1 MB = 10^6 bytes. */
export function formatReport(c: ReportContext, r: MeasureResult): string {
  const api = summarize(r.apiMs);
  const transfer = summarize(r.apiTransferMs);
  const fresh = summarize(r.apiNewConnectionMs);
  const wg = summarize(r.wgMs);
  const pipe = summarize(r.pipeMs);
  const pipeFresh = summarize(r.pipeNewConnectionMs);
  const tsv = summarize(r.tsvMs);
  const tsvFresh = summarize(r.tsvNewConnectionMs);
  const tsvPipe = tsv.median / pipe.median;
  const tsvBytes = r.tsvBytes / r.wgBytes;
  // The goal compares like with like: the API call until its last byte against `wg show` until
  // its output ends. The client's JSON.parse is the caller's cost, shown beside it.
  const ratio = transfer.median / wg.median;
  const x = (a: Summary, b: Summary) => `${(a.median / b.median).toFixed(2)}×`;
  const header = `  ${''.padEnd(44)}${'median'.padStart(9)} ${'p25–p75'.padStart(13)}`;
  return [
    `wgfleet agent dump benchmark: ${c.peers} peers, IF=${c.iface}, ${c.rounds} rounds` +
      ` interleaved (+${c.warmup} warm-up), node ${process.version}`,
    ...(c.agentNodeOptions.length > 0
      ? [`  agent node options: ${c.agentNodeOptions.join(' ')}`]
      : []),
    `${header} ${'min'.padStart(9)} ${'max'.padStart(9)}`,
    row('A  GET /v1/wg/IF/dump (keep-alive, last byte)', transfer),
    row('   … + JSON.parse by the client', api),
    row('An GET /v1/wg/IF/dump, new TLS connection', fresh),
    row('T  compact dump, panel Accept (keep-alive)', tsv),
    row('Tn compact dump, new TLS connection', tsvFresh),
    row('B  wg show IF dump', wg),
    row('P  HTTPS pipe of wg show (keep-alive)', pipe),
    row('Pn HTTPS pipe of wg show, new TLS connection', pipeFresh),
    `  ratio of medians A/B: ${ratio.toFixed(2)}×  (goal ≤ ${GOALS.ratio}×: ${verdict(ratio <= GOALS.ratio)});` +
      ` with the client's JSON.parse: ${(api.median / wg.median).toFixed(2)}×`,
    `  against the HTTPS pipe: A/P ${x(transfer, pipe)}, An/Pn ${x(fresh, pipeFresh)};` +
      ` a new connection costs the agent An/A ${x(fresh, transfer)}, the pipe Pn/P ${x(pipeFresh, pipe)}`,
    `  the panel's compact dump against the pipe: T/P ${tsvPipe.toFixed(2)}× (goal ≤ ${GOALS.tsvPipe}×: ${verdict(tsvPipe <= GOALS.tsvPipe)}),` +
      ` Tn/Pn ${x(tsvFresh, pipeFresh)}; bytes ${size(r.tsvBytes)} = ${tsvBytes.toFixed(2)}× wg's text` +
      ` (goal ≤ ${GOALS.tsvBytes}×: ${verdict(tsvBytes <= GOALS.tsvBytes)})`,
    `  payload: API ${size(r.apiBytes)} JSON, wg ${size(r.wgBytes)} text` +
      ` (${(r.apiBytes / r.wgBytes).toFixed(2)}×), pipe ${size(r.pipeBytes)};` +
      ` setup ${c.setupSeconds.toFixed(1)} s`,
    `  GET /v1/metrics once: ${r.metrics.ms.toFixed(1)} ms, ${size(r.metrics.bytes)},` +
      ` ${r.metrics.peerSeries} peer series`,
    ...memoryRows(r),
  ].join('\n');
}
