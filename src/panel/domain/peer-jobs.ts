/**
 * WGDashboard 4.3's peer jobs ("if Field Operator Value then Action"), as views of the peer's
 * quota: `total_data lgt X → restrict` IS its traffic limit (X in GiB, 4.3's unit), `date lgt D
 * → restrict` IS its expiry date. One truth: a job is read from, and written to, those two
 * fields; the policy enforces them. Pure.
 */

export const JOB_FIELDS = ['total_receive', 'total_sent', 'total_data', 'date'] as const;
export const JOB_OPERATORS = ['lgt', 'lst', 'eq', 'neq'] as const;
export const JOB_ACTIONS = ['restrict', 'delete', 'reset_total_data_usage'] as const;

/** A job as 4.3 answers it (PeerJob.toJson). */
export interface PeerJob {
  readonly JobID: string;
  readonly Configuration: string;
  readonly Peer: string;
  readonly Field: string;
  readonly Operator: string;
  readonly Value: string;
  readonly CreationDate: string;
  readonly ExpireDate: string | null;
  readonly Action: string;
}

/** Which quota field a job is. */
export type QuotaJobKind = 'traffic_limit' | 'expiry_date';

const GIB = 2 ** 30;

/** `2026-12-31 23:59:59` (UTC), as 4.3 writes dates. */
export const wgdDate = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** The job id of a peer's quota job: stable, derived from the kind and the peer's key. */
export const quotaJobId = (kind: QuotaJobKind, publicKey: string) => `${kind}-${publicKey}`;

/** The kind and peer a quota job id names, or null. */
export function parseQuotaJobId(id: string): { kind: QuotaJobKind; publicKey: string } | null {
  const m = /^(traffic_limit|expiry_date)-(.+)$/.exec(id);
  return m ? { kind: m[1] as QuotaJobKind, publicKey: m[2]! } : null;
}

/** GiB as 4.3's Value text: the shortest decimal that reads back to the same bytes. */
export function gibText(bytes: bigint): string {
  return String(Number(bytes) / GIB);
}

/** A job's Value in GiB as bytes, or null when it is not a non-negative number. */
export function gibToBytes(value: string): bigint | null {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) return null;
  return BigInt(Math.round(Number(value) * GIB));
}

/** One quota job (a module-level function: a closure per call costs a listing of 10,000 peers). */
function quotaJob(
  made: {
    readonly publicKey: string;
    readonly configuration: string;
    readonly creationDate: string;
  },
  kind: QuotaJobKind,
  field: string,
  value: string,
): PeerJob {
  return {
    JobID: quotaJobId(kind, made.publicKey),
    Configuration: made.configuration,
    Peer: made.publicKey,
    Field: field,
    Operator: 'lgt',
    Value: value,
    CreationDate: made.creationDate,
    ExpireDate: null,
    Action: 'restrict',
  };
}

/** The jobs a peer's quota stands for, in 4.3's shape. */
export function quotaJobs(
  peer: {
    readonly public_key: string;
    readonly traffic_limit: bigint | null;
    readonly expiry_date: Date | null;
    readonly created_at: Date;
  },
  configuration: string,
): PeerJob[] {
  // Most peers of a listing have neither: nothing is built for them (not even the date text).
  if (peer.traffic_limit === null && peer.expiry_date === null) return [];
  const made = {
    publicKey: peer.public_key,
    configuration,
    creationDate: wgdDate(peer.created_at),
  };
  const jobs: PeerJob[] = [];
  if (peer.traffic_limit !== null)
    jobs.push(quotaJob(made, 'traffic_limit', 'total_data', gibText(peer.traffic_limit)));
  if (peer.expiry_date !== null)
    jobs.push(quotaJob(made, 'expiry_date', 'date', wgdDate(peer.expiry_date)));
  return jobs;
}

/** 4.3's log line for a job made or changed (PeerJobs.saveJob). */
export const jobCreatedLog = (j: Pick<PeerJob, 'Field' | 'Operator' | 'Value' | 'Action'>) =>
  `Job is created if ${j.Field} ${j.Operator} ${j.Value} then ${j.Action}`;
export const jobUpdatedLog = (
  from: Pick<PeerJob, 'Field' | 'Operator' | 'Value' | 'Action'>,
  to: Pick<PeerJob, 'Field' | 'Operator' | 'Value' | 'Action'>,
) =>
  `Job is updated from if ${from.Field} ${from.Operator} ${from.Value} then ${from.Action}; to if ${to.Field} ${to.Operator} ${to.Value} then ${to.Action}`;
/** 4.3's spelling, "finshed" included. */
export const JOB_REMOVED_LOG = 'Job is removed due to being deleted or finshed.';
/** 4.3's log line for a job that ran (PeerJobs.runJob). */
export const jobRanLog = (publicKey: string, configuration: string, action: string) =>
  `Peer ${publicKey} from ${configuration} is successfully ${action}ed.`;
