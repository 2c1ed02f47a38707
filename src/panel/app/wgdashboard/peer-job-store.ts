import type { RunJob } from '../../domain/peer-job-rules.js';

/** A job the panel runs once, with its peer. */
export interface StoredJob extends RunJob {
  readonly peerId: number;
  readonly publicKey: string;
  readonly configurationId: number;
  readonly configuration: string;
  readonly createdAt: Date;
}

/** A waiting job with its peer's usage in the current period (what 4.3's total_* compare). */
export interface PendingJob extends StoredJob {
  readonly usageRx: bigint;
  readonly usageTx: bigint;
}

/** peer_jobs: 4.3's jobs that are not a view of the quota. */
export interface PeerJobStore {
  /** The waiting job with this id, or null (none, or it ran or was deleted). */
  pending(jobId: string): Promise<StoredJob | null>;
  /** Stores a job under its id (a finished one with the same id is made new). */
  save(job: RunJob & { readonly peerId: number }, now: Date): Promise<void>;
  /** Marks a waiting job done (it ran, or was deleted); false when it was not waiting. */
  finish(jobId: string, at: Date): Promise<boolean>;
  /** A configuration's waiting jobs, oldest first. */
  pendingOf(configurationId: number): Promise<PendingJob[]>;
}
