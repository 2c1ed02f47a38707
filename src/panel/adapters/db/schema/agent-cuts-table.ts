/**
 * `agent_cuts`: enforcement records of the agents (peers a node cut while the panel was away)
 * the panel has recorded and the agent has not yet confirmed forgotten. Primary key
 * (configuration_id, record_id); → configurations.id ON DELETE CASCADE.
 */
export interface AgentCutsTable {
  configuration_id: number;
  /** The agent's record id (`Enforcement.id`). */
  record_id: string;
  /** When the panel recorded it (panel clock). */
  applied_at: Date;
}
