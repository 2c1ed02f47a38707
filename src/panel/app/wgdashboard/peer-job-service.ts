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
import { isQuotaView, jobProblem, type RunJob } from '../../domain/peer-job-rules.js';
import { conflict, invalidInput, notFound } from '../errors.js';
import type { PeerJobStore, StoredJob } from './peer-job-store.js';
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
  /** The jobs that are not a view of the quota (run once by the enforcement loop). */
  readonly jobs: PeerJobStore;
  readonly now: () => Date;
  /** A job id where the body has none (4.3's UI always sends a uuid). */
  readonly newId: () => string;
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

/** Which quota field a quota-view job sets. */
const kindOf = (job: JobInput): QuotaJobKind =>
  job.Field === 'total_data' ? 'traffic_limit' : 'expiry_date';

/** A stored job in 4.3's shape. */
export const storedJobJson = (j: StoredJob): PeerJob => ({
  JobID: j.jobId,
  Configuration: j.configuration,
  Peer: j.publicKey,
  Field: j.field,
  Operator: j.operator,
  Value: j.value,
  CreationDate: wgdDate(j.createdAt),
  ExpireDate: null,
  Action: j.action,
});

/** 4.3's jobs that are not the quota: checked, stored, run once by the enforcement loop. */
async function saveRunJob(deps: PeerJobDeps, job: JobInput): Promise<PeerJob[]> {
  const value = String(job.Value).trim();
  const problem = jobProblem({ ...job, Value: value });
  if (problem) throw invalidInput(problem.field, problem.message);
  const { configuration, peer } = await peerOf(deps, job);
  const jobId = job.JobID?.trim() || deps.newId();
  if (parseQuotaJobId(jobId))
    throw invalidInput('Job.JobID', `"${jobId}" names a quota job: give this job an id of its own`);
  const before = await deps.jobs.pending(jobId);
  if (before && before.peerId !== peer.id)
    throw conflict('is the id of a job of another peer', jobId, 'Job.JobID');
  const run = { jobId, field: job.Field, operator: job.Operator, value, action: job.Action };
  await deps.jobs.save({ ...(run as RunJob), peerId: peer.id }, deps.now());
  const saved = await deps.jobs.pending(jobId);
  if (!saved) throw notFound('peer', peer.public_key); // deleted meanwhile
  const json = storedJobJson(saved);
  await deps.logs.add(
    configuration.id,
    jobId,
    true,
    before ? jobUpdatedLog(storedJobJson(before), json) : jobCreatedLog(json),
    deps.now(),
  );
  return [json];
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
 * WGDashboard 4.3's savePeerScheduleJob: `total_data lgt X → restrict` and `date lgt D →
 * restrict` write the peer's traffic limit or expiry date through the quota service (which runs
 * the policy: over the limit or past the date, the peer is cut before the answer); any other job
 * is stored and run once by the enforcement loop (PeerJobRunner). Logs 4.3's line, answers
 * `[job]` as 4.3 does.
 */
export async function saveJob(deps: PeerJobDeps, job: JobInput): Promise<PeerJob[]> {
  if (!isQuotaView(job)) return saveRunJob(deps, job);
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
  if (!id) {
    const { configuration, peer } = await peerOf(deps, job);
    const stored = await deps.jobs.pending(job.JobID ?? '');
    if (!stored || stored.peerId !== peer.id || !(await deps.jobs.finish(stored.jobId, deps.now())))
      throw notFound('job', job.JobID ?? '');
    await deps.logs.add(configuration.id, stored.jobId, true, JOB_REMOVED_LOG, deps.now());
    return;
  }
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
