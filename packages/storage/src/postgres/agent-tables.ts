import type { Generated, Kysely } from "kysely";
import type { Database } from "./database.ts";

/** Kysely's view of the tables added by migration 0010 (agents). */
export interface AgentDatabase {
  agents: AgentsTable;
  agent_requests: AgentRequestsTable;
  deployment_locations: DeploymentLocationsTable;
}

export interface AgentsTable {
  id: string;
  label: string;
  version: string;
  deployments: string[];
  queues: string[];
  token_name: string;
  registered_at: Date;
  last_heartbeat_at: Date;
  status: unknown;
}

export interface AgentRequestsTable {
  id: string;
  seq: Generated<number>;
  deployment: string;
  queue: string;
  type: string;
  payload: unknown;
  target_agent_id: string | null;
  status: Generated<string>;
  agent_id: string | null;
  attempts: Generated<number>;
  lease_expires_at: Date | null;
  result: unknown;
  error: unknown;
  created_at: Date;
  leased_at: Date | null;
  acknowledged_at: Date | null;
  finished_at: Date | null;
}

export interface DeploymentLocationsTable {
  deployment: string;
  version: number;
  locations: unknown;
  created_by: string | null;
  created_at: Date;
}

/** The same connection pool, typed with the agent tables. */
export function agentDb(db: Kysely<Database>): Kysely<AgentDatabase> {
  return db as unknown as Kysely<AgentDatabase>;
}
