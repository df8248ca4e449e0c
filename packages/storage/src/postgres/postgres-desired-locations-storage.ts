import type { JsonValue } from "@bosun/core";
import { type Kysely, type Selectable, sql } from "kysely";
import type {
  DesiredLocationsStorage,
  DesiredLocationsVersion,
  SetDesiredLocations,
} from "../desired-locations-storage.ts";
import type { AgentDatabase, DeploymentLocationsTable } from "./agent-tables.ts";
import { insertAgentRequest } from "./postgres-agent-storage.ts";

/** Desired locations in PostgreSQL: one row per version, numbered per deployment under an advisory lock. */
export class PostgresDesiredLocationsStorage implements DesiredLocationsStorage {
  constructor(private readonly db: Kysely<AgentDatabase>) {}

  async setDesiredLocations(change: SetDesiredLocations): Promise<DesiredLocationsVersion> {
    return this.db.transaction().execute(async (trx) => {
      // Two deploys at once must not both read version n and write n + 1.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`bosun-deployment-locations:${change.deployment}`}))`.execute(
        trx,
      );
      const latest = await trx
        .selectFrom("deployment_locations")
        .select((eb) => eb.fn.max("version").as("version"))
        .where("deployment", "=", change.deployment)
        .executeTakeFirst();
      const version = Number(latest?.version ?? 0) + 1;
      const row = await trx
        .insertInto("deployment_locations")
        .values({
          deployment: change.deployment,
          version,
          locations: JSON.stringify(change.locations),
          created_by: change.createdBy,
          created_at: change.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      for (const request of change.requests?.(version) ?? [])
        await insertAgentRequest(trx, request, change.at);
      return toVersion(row);
    });
  }

  async getDesiredLocations(deployment: string): Promise<DesiredLocationsVersion | null> {
    const [latest] = await this.listDesiredLocations(deployment, 1);
    return latest ?? null;
  }

  async listDesiredLocations(deployment: string, limit: number): Promise<readonly DesiredLocationsVersion[]> {
    const rows = await this.db
      .selectFrom("deployment_locations")
      .selectAll()
      .where("deployment", "=", deployment)
      .orderBy("version", "desc")
      .limit(limit)
      .execute();
    return rows.map(toVersion);
  }
}

function toVersion(row: Selectable<DeploymentLocationsTable>): DesiredLocationsVersion {
  return {
    deployment: row.deployment,
    version: row.version,
    locations: row.locations as JsonValue,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
