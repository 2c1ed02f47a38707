import { parseUtcDate } from '../../../shared/utc-date.js';
import {
  gibToBytes,
  jobCreatedLog,
  jobRanLog,
  jobUpdatedLog,
  JOB_REMOVED_LOG,
  parseQuotaJobId,
  quotaJobId,
  quotaJobs,
  wgdDate,
  type PeerJob,
  type QuotaJobKind,
} from '../../domain/peer-jobs.js';
import { invalidInput, notFound } from '../errors.js';
import { findConfiguration } from '../peers/find-configuration.js';
import type { PeerReader, PeerRecord, QuotaChanges } from '../peers/ports.js';
import { peerKey } from '../peers/update-peer.js';
import type { QuotaChange } from '../usage/quota-change.js';

/** A stored line of a configuration's job log. */
export interface JobLogRow {
  readonly id: number;
  readonly jobId: string;
  readonly status: boolean;
  readonly message: string;
  readonly at: Date;
}

/** A peer cut by the policy for a quota job's cause (its `exceeded` / `expired` event). */
export interface JobRun {
  readonly id: number;
  readonly kind: QuotaJobKind;
  readonly publicKey: string;
  readonly at: Date;
}

export interface JobLogStore {
  add(
    configurationId: number,
    jobId: string,
    status: boolean,
    message: string,
    at: Date,
  ): Promise<void>;
  list(configurationId: number): Promise<JobLogRow[]>;
  runs(configurationId: number): Promise<JobRun[]>;
}

export interface PeerJobDeps {
  readonly store: Pick<PeerReader, 'findConfiguration' | 'peerByKey'>;
  /** The one quota path: a job is the peer's traffic limit or expiry date. */
  readonly quotas: QuotaChanges;
  readonly logs: JobLogStore;
  readonly now: () => Date;
}

/** A job as 4.3's savePeerScheduleJob / deletePeerScheduleJob bodies carry it. */
export interface JobInput {
  readonly JobID?: string;
  readonly Configuration: string;
  readonly Peer: string;
  readonly Field: string;
  readonly Operator: string;
  readonly Value: string | number;
  readonly Action: string;
}

const SUPPORTED =
  'wgfleet runs two kinds of job: "total_data lgt <GiB> then restrict" (the peer\u2019s traffic limit) and "date lgt <YYYY-MM-DD HH:MM:SS> then restrict" (its expiry date)';

/** Which quota field a job sets, or a 400 saying which jobs wgfleet runs. */
function kindOf(job: JobInput): QuotaJobKind {
  if (job.Operator === 'lgt' && job.Action === 'restrict') {
    if (job.Field === 'total_data') return 'traffic_limit';
    if (job.Field === 'date') return 'expiry_date';
  }
  throw invalidInput(
    'Job',
    `${SUPPORTED}; "${job.Field} ${job.Operator} … then ${job.Action}" is not one of them`,
  );
}

function changeOf(kind: QuotaJobKind, value: string | number): QuotaChange {
  const text = String(value).trim();
  if (kind === 'traffic_limit') {
    const bytes = gibToBytes(text);
    if (bytes === null)
      throw invalidInput('Job.Value', `"${text}" is not an amount of GiB (such as 5 or 0.5)`);
    return { trafficLimit: bytes };
  }
  const date = parseUtcDate(text);
  if (!date) throw invalidInput('Job.Value', `"${text}" is not a date (YYYY-MM-DD HH:MM:SS, UTC)`);
  return { expiryDate: date };
}

async function peerOf(deps: PeerJobDeps, job: JobInput) {
  const configuration = await findConfiguration(deps.store, job.Configuration);
  const key = peerKey('Job.Peer', job.Peer);
  const peer = await deps.store.peerByKey(configuration.id, key);
  if (!peer) throw notFound('peer', key);
  return { configuration, peer };
}

const jobOf = (peer: PeerRecord, configuration: string, kind: QuotaJobKind) =>
  quotaJobs(peer, configuration).find((j) => j.JobID === quotaJobId(kind, peer.public_key));

/**
 * WGDashboard 4.3's savePeerScheduleJob: writes the peer's traffic limit or expiry date through
 * the quota service (which runs the policy: over the limit or past the date, the peer is cut
 * before the answer), logs 4.3's line, answers `[job]` as 4.3 does.
 */
export async function saveJob(deps: PeerJobDeps, job: JobInput): Promise<PeerJob[]> {
  const kind = kindOf(job);
  const change = changeOf(kind, job.Value);
  const { configuration, peer } = await peerOf(deps, job);
  const before = jobOf(peer, configuration.name, kind);
  await deps.quotas.change([peer.id], change);
  const after = await deps.store.peerByKey(configuration.id, peer.public_key);
  const saved = after && jobOf(after, configuration.name, kind);
  if (!saved) throw notFound('peer', peer.public_key); // deleted meanwhile
  await deps.logs.add(
    configuration.id,
    saved.JobID,
    true,
    before ? jobUpdatedLog(before, saved) : jobCreatedLog(saved),
    deps.now(),
  );
  return [saved];
}

/** WGDashboard 4.3's deletePeerScheduleJob: clears the limit or the date the job stands for. */
export async function deleteJob(deps: PeerJobDeps, job: JobInput): Promise<void> {
  const id = parseQuotaJobId(job.JobID ?? '');
  const { configuration, peer } = await peerOf(deps, job);
  if (!id || id.publicKey !== peer.public_key || !jobOf(peer, configuration.name, id.kind))
    throw notFound('job', job.JobID ?? '');
  await deps.quotas.change(
    [peer.id],
    id.kind === 'traffic_limit' ? { trafficLimit: null } : { expiryDate: null },
  );
  await deps.logs.add(
    configuration.id,
    quotaJobId(id.kind, peer.public_key),
    true,
    JOB_REMOVED_LOG,
    deps.now(),
  );
}

/**
 * WGDashboard 4.3's getPeerScheduleJobLogs: what was said about the configuration's jobs, and
 * each time the policy cut a peer for a job's cause (over its limit, past its date), in 4.3's
 * wording, oldest first.
 */
export async function jobLogs(
  deps: PeerJobDeps,
  configName: string,
): Promise<{ LogID: string; JobID: string; LogDate: string; Status: string; Message: string }[]> {
  const configuration = await findConfiguration(deps.store, configName);
  const [stored, runs] = await Promise.all([
    deps.logs.list(configuration.id),
    deps.logs.runs(configuration.id),
  ]);
  return [
    ...stored.map((l) => ({
      at: l.at,
      LogID: `log-${l.id}`,
      JobID: l.jobId,
      Status: String(l.status),
      Message: l.message,
    })),
    ...runs.map((r) => ({
      at: r.at,
      LogID: `event-${r.id}`,
      JobID: quotaJobId(r.kind, r.publicKey),
      Status: 'true',
      Message: jobRanLog(r.publicKey, configuration.name, 'restrict'),
    })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.LogID.localeCompare(b.LogID))
    .map(({ at, ...l }) => ({ ...l, LogDate: wgdDate(at) }));
}
