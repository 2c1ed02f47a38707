/**
 * `peer_share_links`: WGDashboard 4.3's share links. → peers.id ON DELETE CASCADE.
 * SECRET: `share_id` opens the peer's client config without sign-in; never logged.
 */
export interface PeerShareLinksTable {
  share_id: string;
  peer_id: number;
  /** null = never expires (4.3 shows 2199-12-31). */
  expire_date: Date | null;
  shared_date: Date;
}

/** `peer_jobs`: 4.3's peer jobs the panel runs once (not the quota views). → peers.id CASCADE. */
export interface PeerJobsTable {
  job_id: string;
  peer_id: number;
  field: string;
  operator: string;
  value: string;
  action: string;
  created_at: Date;
  /** When it ran or was deleted (4.3's ExpireDate); null while it waits. */
  finished_at: Date | null;
}
