/** `cluster_panels`: the panel processes sharing this database (migration 0018). */
export interface ClusterPanelsTable {
  /** Random per process start (host, pid, random suffix). */
  panel_id: string;
  host: string;
  started_at: Date;
  /** Renewed at each lease pass (the panel's clock). */
  heartbeat_at: Date;
}

/** `cluster_leases`: one row per leased resource, `node:ID` or `job:NAME` (migration 0018). */
export interface ClusterLeasesTable {
  resource: string;
  /** The holder ('' before anyone took it). */
  panel_id: string;
  /** The fencing token: grows by one at every acquisition, never reused. */
  token: bigint;
  /** Free from then on (the holder's clock). */
  expires_at: Date;
}
