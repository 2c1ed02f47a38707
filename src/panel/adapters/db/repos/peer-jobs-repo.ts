import type { JobAction, JobField, JobOperator } from '../../../domain/peer-job-rules.js';
import type { PeerJobStore, PendingJob } from '../../../app/wgdashboard/peer-job-store.js';
import type { DatabaseHandle } from '../open-database.js';
import { toSafeNumber } from '../values.js';

/** peer_jobs (WGDashboard 4.3's jobs the panel runs once). */
export function createPeerJobsRepo(handle: DatabaseHandle): PeerJobStore {
  const db = handle.db;
  const base = () =>
    db
      .selectFrom('peer_jobs as j')
      .innerJoin('peers as p', 'p.id', 'j.peer_id')
      .innerJoin('configurations as c', 'c.id', 'p.configuration_id')
      .select([
        'j.job_id',
        'j.peer_id',
        'j.field',
        'j.operator',
        'j.value',
        'j.action',
        'j.created_at',
        'p.public_key',
        'p.period_rx',
        'p.period_tx',
        'p.configuration_id',
        'c.name as configuration',
      ])
      .where('j.finished_at', 'is', null);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const of = (r: Row): PendingJob => ({
    jobId: r.job_id,
    peerId: toSafeNumber(r.peer_id),
    field: r.field as JobField,
    operator: r.operator as JobOperator,
    value: r.value,
    action: r.action as JobAction,
    createdAt: r.created_at,
    publicKey: r.public_key,
    configurationId: toSafeNumber(r.configuration_id),
    configuration: r.configuration,
    usageRx: r.period_rx,
    usageTx: r.period_tx,
  });
  return {
    async pending(jobId) {
      const r = await base().where('j.job_id', '=', jobId).executeTakeFirst();
      return r ? of(r) : null;
    },
    async save(job, now) {
      const fields = {
        peer_id: job.peerId,
        field: job.field,
        operator: job.operator,
        value: job.value,
        action: job.action,
      };
      await db.transaction().execute(async (trx) => {
        const had = await trx
          .selectFrom('peer_jobs')
          .select(['job_id', 'finished_at'])
          .where('job_id', '=', job.jobId)
          .forUpdate()
          .executeTakeFirst();
        if (!had)
          await trx
            .insertInto('peer_jobs')
            .values({ job_id: job.jobId, ...fields, created_at: now, finished_at: null })
            .execute();
        else
          await trx
            .updateTable('peer_jobs')
            .set(
              had.finished_at === null ? fields : { ...fields, created_at: now, finished_at: null },
            )
            .where('job_id', '=', job.jobId)
            .execute();
      });
    },
    async finish(jobId, at) {
      const r = await db
        .updateTable('peer_jobs')
        .set({ finished_at: at })
        .where('job_id', '=', jobId)
        .where('finished_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async pendingOf(configurationId) {
      const rows = await base()
        .where('p.configuration_id', '=', configurationId)
        .orderBy('j.created_at')
        .orderBy('j.job_id')
        .execute();
      return rows.map(of);
    },
  };
}
