import type { Logger } from 'pino';
import { isJobDue, type JobAction } from '../../domain/peer-job-rules.js';
import { JOB_REMOVED_LOG, jobRanLog } from '../../domain/peer-jobs.js';
import type { DumpSink, ObservedConfiguration } from '../sync/ports.js';
import type { JobLogStore } from './peer-job-service.js';
import type { PeerJobStore, PendingJob } from './peer-job-store.js';

/** What a job's action does, through the peers' and the quotas' own use cases. */
export interface JobActions {
  restrict(configuration: string, publicKey: string): Promise<unknown>;
  delete(configuration: string, publicKey: string): Promise<unknown>;
  /** The period's usage starts again (resetPeerData `total`); the policy runs. */
  resetUsage(peerId: number): Promise<unknown>;
}

export interface PeerJobRunnerDeps {
  readonly jobs: PeerJobStore;
  readonly logs: JobLogStore;
  readonly actions: JobActions;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** 4.3's failure line (runJob). */
const failedLog = (key: string, configuration: string, action: string) =>
  `Peer ${key} from ${configuration} failed ${action}ed.`;

/**
 * Runs WGDashboard 4.3's stored peer jobs on the panel's own enforcement loop: a DumpSink of
 * every poll, after the usage ingest (so `total_receive`/`total_sent`/`total_data` compare the
 * period usage this poll counted, reset-safe, in GiB). A due job's action goes through the peers'
 * and quotas' use cases, which converge the node; they run once the poll released the
 * configuration (they wait for its lock), so the sink does not wait for them. Then, as 4.3: the
 * log line, and the job is finished (`Job is removed due to being deleted or finshed.`); a failed
 * action is logged and tried again at the next poll.
 */
export class PeerJobRunner implements DumpSink {
  readonly name = 'peer jobs';
  readonly #running = new Map<string, Promise<void>>();

  constructor(private readonly deps: PeerJobRunnerDeps) {}

  async onDump(o: ObservedConfiguration): Promise<void> {
    const now = this.deps.now();
    for (const job of await this.deps.jobs.pendingOf(o.configurationId)) {
      if (this.#running.has(job.jobId)) continue;
      if (!isJobDue(job, { rx: job.usageRx, tx: job.usageTx }, now)) continue;
      const run = this.#run(job).finally(() => this.#running.delete(job.jobId));
      this.#running.set(job.jobId, run);
    }
  }

  /** Waits for the actions in flight (panel stop, tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.#running.values()]);
  }

  async #act(action: JobAction, job: PendingJob): Promise<void> {
    const a = this.deps.actions;
    if (action === 'restrict') await a.restrict(job.configuration, job.publicKey);
    else if (action === 'delete') await a.delete(job.configuration, job.publicKey);
    else await a.resetUsage(job.peerId);
  }

  async #run(job: PendingJob): Promise<void> {
    const { logs, logger } = this.deps;
    try {
      await this.#act(job.action, job);
    } catch (err) {
      const message = failedLog(job.publicKey, job.configuration, job.action);
      logger.warn({ err: (err as Error).message, job: job.jobId }, message);
      await logs
        .add(job.configurationId, job.jobId, false, message, this.deps.now())
        .catch((e: unknown) => logger.error({ err: e }, 'peer job log failed'));
      return;
    }
    const message = jobRanLog(job.publicKey, job.configuration, job.action);
    logger.info({ job: job.jobId }, message);
    try {
      const at = this.deps.now();
      await logs.add(job.configurationId, job.jobId, true, message, at);
      // (A deleted peer took its job with it: ON DELETE CASCADE.)
      await this.deps.jobs.finish(job.jobId, at);
      await logs.add(job.configurationId, job.jobId, true, JOB_REMOVED_LOG, at);
    } catch (err) {
      logger.error({ err, job: job.jobId }, 'peer job bookkeeping failed');
    }
  }
}
