import { type Kysely, type Selectable, sql } from "kysely";
import {
  type BranchDeploymentInput,
  type DeploymentKind,
  type DeploymentRecord,
  type DeploymentStatus,
  type DeploymentStorage,
  PROD_DEPLOYMENT,
} from "../deployment-storage.ts";
import {
  type DeploymentsDatabase,
  type DeploymentsTable,
  deploymentSchemaName,
} from "./deployment-tables.ts";

/** The deployments registry in the instance's schema; deleting a deployment drops its schema too. */
export class PostgresDeploymentStorage implements DeploymentStorage {
  constructor(private readonly db: Kysely<DeploymentsDatabase>) {}

  async listDeployments(): Promise<readonly DeploymentRecord[]> {
    const rows = await this.db
      .selectFrom("deployments")
      .selectAll()
      .orderBy(sql`name = ${PROD_DEPLOYMENT}`, "desc")
      .orderBy("name")
      .execute();
    return rows.map(toRecord);
  }

  async getDeployment(name: string): Promise<DeploymentRecord | null> {
    const row = await this.db
      .selectFrom("deployments")
      .selectAll()
      .where("name", "=", name)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** The schema of a deployment's data; null for `prod` (the instance's schema) or an unknown name. */
  async schemaOf(name: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("deployments")
      .select("schema_name")
      .where("name", "=", name)
      .executeTakeFirst();
    return row?.schema_name ?? null;
  }

  async upsertBranchDeployment(
    name: string,
    input: BranchDeploymentInput,
    at: Date,
  ): Promise<{ readonly deployment: DeploymentRecord; readonly created: boolean }> {
    // One statement, so two CI jobs pushing the same branch at once agree on one row.
    const row = await this.db
      .insertInto("deployments")
      .values({
        name,
        kind: "branch",
        base: input.base,
        branch: input.branch,
        commit_sha: input.commit ?? null,
        pull_request_url: input.pullRequestUrl ?? null,
        status: "open",
        schema_name: deploymentSchemaName(name),
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.column("branch").doUpdateSet((eb) => ({
          base: eb.ref("excluded.base"),
          // A push that does not say keeps what an earlier one said.
          commit_sha: sql`coalesce(excluded.commit_sha, deployments.commit_sha)`,
          pull_request_url: sql`coalesce(excluded.pull_request_url, deployments.pull_request_url)`,
          status: "open",
          closed_at: null,
          updated_at: at,
        })),
      )
      .returningAll()
      .returning(sql<boolean>`xmax = 0`.as("inserted"))
      .executeTakeFirstOrThrow();
    return { deployment: toRecord(row), created: row.inserted };
  }

  async closeDeployment(name: string, at: Date): Promise<DeploymentRecord | null> {
    await this.db
      .updateTable("deployments")
      .set({ status: "closed", closed_at: at, updated_at: at })
      .where("name", "=", name)
      .where("status", "=", "open")
      .execute();
    return this.getDeployment(name);
  }

  async listClosedBefore(closedBefore: Date): Promise<readonly DeploymentRecord[]> {
    const rows = await this.db
      .selectFrom("deployments")
      .selectAll()
      .where("status", "=", "closed")
      .where("closed_at", "<", closedBefore)
      .orderBy("closed_at")
      .execute();
    return rows.map(toRecord);
  }

  async deleteDeployment(name: string): Promise<boolean> {
    if (name === PROD_DEPLOYMENT) throw new Error(`the ${PROD_DEPLOYMENT} deployment cannot be deleted`);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .deleteFrom("deployments")
        .where("name", "=", name)
        .returning("schema_name")
        .executeTakeFirst();
      if (!row) return false;
      if (row.schema_name) await sql`DROP SCHEMA IF EXISTS ${sql.id(row.schema_name)} CASCADE`.execute(trx);
      return true;
    });
  }
}

function toRecord(row: Selectable<DeploymentsTable>): DeploymentRecord {
  return {
    name: row.name,
    kind: row.kind as DeploymentKind,
    base: row.base,
    branch: row.branch,
    commit: row.commit_sha,
    pullRequestUrl: row.pull_request_url,
    status: row.status as DeploymentStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}
