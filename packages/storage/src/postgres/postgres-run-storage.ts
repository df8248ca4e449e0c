import type { JsonValue, NewRun, RunRecord, RunStatus } from "@bosun/core";
import { type Kysely, type Selectable, type SelectQueryBuilder, sql } from "kysely";
import type { RunFilter, RunPage, RunStorage } from "../storage.ts";
import { RunNotFoundError } from "../storage-errors.ts";
import type { Database, RunsTable } from "./database.ts";
import { insertRun } from "./insert-run.ts";
import { decodeRunCursor, encodeRunCursor } from "./run-cursor.ts";

const MAX_PAGE = 1000;

type RunRow = Selectable<RunsTable>;

export class PostgresRunStorage implements RunStorage {
  constructor(private readonly db: Kysely<Database>) {}

  async createRun(run: NewRun): Promise<RunRecord> {
    await insertRun(this.db, run);
    return (await this.getRun(run.runId))!;
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const row = await this.db.selectFrom("runs").selectAll().where("id", "=", runId).executeTakeFirst();
    return row ? toRunRecord(row) : null;
  }

  async findRunIdsByPrefix(prefix: string, limit: number): Promise<readonly string[]> {
    // starts_with takes the prefix literally (no LIKE wildcards to escape). It scans the ids, which is
    // fine for a person typing a prefix; nothing in a loop calls it.
    const rows = await this.db
      .selectFrom("runs")
      .select("id")
      .where(sql<boolean>`starts_with(id, ${prefix})`)
      .orderBy("id")
      .limit(Math.max(1, Math.floor(limit)))
      .execute();
    return rows.map((row) => row.id);
  }

  async listRuns(
    filter: RunFilter,
    page: { readonly limit: number; readonly cursor?: string | null },
  ): Promise<RunPage> {
    const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(page.limit)));
    let query = applyFilter(this.db.selectFrom("runs").selectAll(), filter);
    if (page.cursor) {
      const after = decodeRunCursor(page.cursor);
      // A row comparison the (created_at DESC, id DESC) index answers directly.
      query = query.where(sql<boolean>`(created_at, id) < (${after.createdAt}, ${after.runId})`);
    }
    const rows = await query
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit + 1)
      .execute();
    const runs = rows.slice(0, limit).map((row) => toRunRecord(row));
    const last = runs.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeRunCursor({ createdAt: last.createdAt, runId: last.runId }) : null;
    return { runs, nextCursor };
  }

  async countRuns(filter: RunFilter): Promise<number> {
    const row = await applyFilter(
      this.db.selectFrom("runs").select((eb) => eb.fn.countAll<string>().as("count")),
      filter,
    ).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async mergeLauncherInfo(runId: string, info: Readonly<Record<string, JsonValue>>): Promise<void> {
    const result = await this.db
      .updateTable("runs")
      .set({
        launcher_info: sql`launcher_info || ${JSON.stringify(info)}::jsonb`,
        updated_at: sql`date_trunc('milliseconds', clock_timestamp())`,
      })
      .where("id", "=", runId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new RunNotFoundError(runId);
  }
}

function applyFilter<O>(
  query: SelectQueryBuilder<Database, "runs", O>,
  filter: RunFilter,
): SelectQueryBuilder<Database, "runs", O> {
  let q = query;
  if (filter.statuses) {
    if (filter.statuses.length === 0) return q.where(sql<boolean>`false`);
    q =
      filter.statuses.length === 1
        ? q.where("status", "=", filter.statuses[0]!)
        : q.where("status", "in", [...filter.statuses]);
  }
  if (filter.jobName !== undefined) q = q.where("job_name", "=", filter.jobName);
  if (filter.runIds) {
    if (filter.runIds.length === 0) return q.where(sql<boolean>`false`);
    q = q.where("id", "in", [...filter.runIds]);
  }
  if (filter.codeLocations) {
    if (filter.codeLocations.length === 0) return q.where(sql<boolean>`false`);
    q = q.where("code_location", "in", [...filter.codeLocations]);
  }
  if (filter.tags && Object.keys(filter.tags).length > 0) {
    q = q.where(sql<boolean>`tags @> ${JSON.stringify(filter.tags)}::jsonb`);
  }
  if (filter.createdAfter) q = q.where("created_at", ">", filter.createdAfter);
  if (filter.createdBefore) q = q.where("created_at", "<", filter.createdBefore);
  return q;
}

function toRunRecord(row: RunRow): RunRecord {
  return {
    runId: row.id,
    jobName: row.job_name,
    status: row.status as RunStatus,
    tags: row.tags,
    runConfig: row.run_config as JsonValue,
    codeLocation: row.code_location,
    partitionKey: row.partition_key,
    assetSelection: row.asset_selection,
    stepKeysToExecute: row.step_keys_to_execute,
    parentRunId: row.parent_run_id,
    rootRunId: row.root_run_id,
    launcherInfo: row.launcher_info as Record<string, JsonValue>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startTime: row.start_time,
    endTime: row.end_time,
  };
}
