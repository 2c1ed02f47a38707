/**
 * WGDashboard 4.3's peer jobs that are not a view of the quota ("if Field Operator Value then
 * Action", run once): which jobs are valid, and when one is due. Pure: usage and `now` come in.
 */
import { parseUtcDate } from '../../shared/utc-date.js';
import { JOB_ACTIONS, JOB_FIELDS, JOB_OPERATORS } from './peer-jobs.js';

export type JobField = (typeof JOB_FIELDS)[number];
export type JobOperator = (typeof JOB_OPERATORS)[number];
export type JobAction = (typeof JOB_ACTIONS)[number];

/** A job the panel runs once (stored in peer_jobs). */
export interface RunJob {
  readonly jobId: string;
  readonly field: JobField;
  readonly operator: JobOperator;
  /** GiB (4.3's unit) for the data fields, `YYYY-MM-DD HH:MM:SS` UTC for `date`. */
  readonly value: string;
  readonly action: JobAction;
}

const GIB = 2 ** 30;
const known = <T extends string>(list: readonly T[], v: string): v is T =>
  (list as readonly string[]).includes(v);

/** `total_data lgt X → restrict` and `date lgt D → restrict` are the peer's limit and expiry. */
export const isQuotaView = (j: { Field: string; Operator: string; Action: string }) =>
  j.Operator === 'lgt' &&
  j.Action === 'restrict' &&
  (j.Field === 'total_data' || j.Field === 'date');

/** Why a job cannot run, naming its field; null when it can. */
export function jobProblem(j: {
  Field: string;
  Operator: string;
  Value: string;
  Action: string;
}): { field: string; message: string } | null {
  if (!known(JOB_FIELDS, j.Field))
    return { field: 'Job.Field', message: `"${j.Field}" is not one of ${JOB_FIELDS.join(', ')}` };
  if (!known(JOB_OPERATORS, j.Operator))
    return {
      field: 'Job.Operator',
      message: `"${j.Operator}" is not one of ${JOB_OPERATORS.join(', ')}`,
    };
  if (!known(JOB_ACTIONS, j.Action))
    return {
      field: 'Job.Action',
      message: `"${j.Action}" is not one of ${JOB_ACTIONS.join(', ')}`,
    };
  if (j.Field === 'date') {
    if (!parseUtcDate(j.Value))
      return {
        field: 'Job.Value',
        message: `"${j.Value}" is not a date (YYYY-MM-DD HH:MM:SS, UTC)`,
      };
  } else if (!/^\d+(\.\d+)?$/.test(j.Value))
    return {
      field: 'Job.Value',
      message: `"${j.Value}" is not an amount of GiB (such as 5 or 0.5)`,
    };
  return null;
}

function compare(x: number, y: number, op: JobOperator): boolean {
  if (op === 'eq') return x === y;
  if (op === 'neq') return x !== y;
  if (op === 'lgt') return x > y;
  return x < y;
}

/**
 * Whether a job is due, as 4.3's runJob decides it: the period's usage in GiB (total_receive =
 * received by the node from the peer, total_sent = sent to it, total_data = both) or the time,
 * compared with its Value.
 */
export function isJobDue(
  job: RunJob,
  usage: { readonly rx: bigint; readonly tx: bigint },
  now: Date,
): boolean {
  if (job.field === 'date') {
    const at = parseUtcDate(job.value);
    return at !== null && compare(now.getTime(), at.getTime(), job.operator);
  }
  const bytes =
    job.field === 'total_receive'
      ? usage.rx
      : job.field === 'total_sent'
        ? usage.tx
        : usage.rx + usage.tx;
  return compare(Number(bytes) / GIB, Number(job.value), job.operator);
}
