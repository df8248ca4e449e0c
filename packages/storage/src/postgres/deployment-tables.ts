import type { Generated, Kysely } from "kysely";
import type { Database } from "./database.ts";

/** Kysely's view of the table added by migration 0011 (deployments). */
export interface DeploymentsDatabase {
  deployments: DeploymentsTable;
}

export interface DeploymentsTable {
  name: string;
  kind: string;
  base: string | null;
  branch: string | null;
  commit_sha: string | null;
  pull_request_url: string | null;
  status: string;
  /** The schema holding a branch deployment's data; null for `prod` (the instance's own schema). */
  schema_name: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  closed_at: Date | null;
}

/** The same connection pool, typed with the deployments registry. */
export function deploymentsDb(db: Kysely<Database>): Kysely<DeploymentsDatabase> {
  return db as unknown as Kysely<DeploymentsDatabase>;
}

/**
 * The schema of a branch deployment's data. Names allow only `[a-z0-9-]`, so swapping `-` for `_` keeps
 * two names from sharing a schema, and the result needs no quoting.
 */
export function deploymentSchemaName(name: string): string {
  return `bosun_deployment_${name.replaceAll("-", "_")}`;
}

/**
 * The connection string of a branch deployment: the instance's, with its search path set to the
 * deployment's schema alone. Carried whole to the processes it starts (`BOSUN_DATABASE_URL`), so a run
 * worker writes into its run's deployment without knowing deployments exist.
 */
export function deploymentConnectionString(instanceConnectionString: string, schema: string): string {
  const url = new URL(instanceConnectionString);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
