import type { Generated } from 'kysely';

/** `peer_job_logs`: what was said about WGDashboard peer jobs (4.3's job log wording). */
export interface PeerJobLogsTable {
  id: Generated<number>;
  /** → configurations.id, ON DELETE CASCADE. */
  configuration_id: number;
  job_id: string;
  status: boolean;
  message: string;
  created_at: Generated<Date>;
}
