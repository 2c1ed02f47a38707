import type { JobLogStore } from '../../../app/wgdashboard/peer-job-service.js';
import type { DatabaseHandle } from '../open-database.js';
import { toSafeNumber } from '../values.js';

/** The job log (peer_job_logs) and the policy's cuts that ran a job (peer_events). */
export function createWgdJobLogsRepo(handle: DatabaseHandle): JobLogStore {
  const db = handle.db;
  return {
    async add(configurationId, jobId, status, message, at) {
      await db
        .insertInto('peer_job_logs')
        .values({
          configuration_id: configurationId,
          job_id: jobId,
          status,
          message,
          created_at: at,
        })
        .execute();
    },
    async list(configurationId) {
      const rows = await db
        .selectFrom('peer_job_logs')
        .select(['id', 'job_id', 'status', 'message', 'created_at'])
        .where('configuration_id', '=', configurationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: toSafeNumber(r.id),
        jobId: r.job_id,
        status: Boolean(r.status),
        message: r.message,
        at: r.created_at,
      }));
    },
    async runs(configurationId) {
      const rows = await db
        .selectFrom('peer_events')
        .select(['id', 'type', 'peer_public_key', 'created_at'])
        .where('configuration_id', '=', configurationId)
        .where('type', 'in', ['exceeded', 'expired'])
        .where('peer_public_key', 'is not', null)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({
        id: toSafeNumber(r.id),
        kind: r.type === 'exceeded' ? ('traffic_limit' as const) : ('expiry_date' as const),
        publicKey: r.peer_public_key as string,
        at: r.created_at,
      }));
    },
  };
}
