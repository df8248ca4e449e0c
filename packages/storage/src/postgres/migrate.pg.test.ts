import { randomBytes } from "node:crypto";
import { testAdminUrl, withDatabase } from "@bosun/test-support";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createPool } from "./connection.ts";
import { latestSchemaVersion, migrate, SchemaTooNewError } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/index.ts";

describe("migrate", () => {
  const created: string[] = [];
  const admin = async <T>(body: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: testAdminUrl() });
    await client.connect();
    try {
      return await body(client);
    } finally {
      await client.end();
    }
  };
  const emptyDatabase = async () => {
    const name = `bosun_migrate_${randomBytes(4).toString("hex")}`;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    created.push(name);
    return withDatabase(testAdminUrl(), name);
  };
  afterAll(async () => {
    await admin(async (c) => {
      for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  });

  it("applies every migration exactly once when several processes migrate an empty database at once", async () => {
    const url = await emptyDatabase();
    const pools = Array.from({ length: 4 }, () => createPool({ connectionString: url, poolSize: 1 }));
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool)));
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(results.every((r) => r.version === latestSchemaVersion())).toBe(true);
      const { rows } = await pools[0]!.query("SELECT version FROM schema_migrations ORDER BY version");
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect((await migrate(pools[1]!)).applied).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("refuses a database migrated by a newer Bosun", async () => {
    const url = await emptyDatabase();
    const pool = createPool({ connectionString: url, poolSize: 1 });
    try {
      await migrate(pool);
      await pool.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from-the-future')");
      await expect(migrate(pool)).rejects.toBeInstanceOf(SchemaTooNewError);
    } finally {
      await pool.end();
    }
  });

  it("fills partition status (0013) from the events stored before it", async () => {
    const url = await emptyDatabase();
    const pool = createPool({ connectionString: url, poolSize: 1 });
    try {
      await migrate(
        pool,
        MIGRATIONS.filter((m) => m.version < 13),
      );
      const run = (id: string, status: string, partition: string) =>
        pool.query(
          "INSERT INTO runs (id, job_name, status, partition_key, asset_selection) VALUES ($1, '__asset_job', $2, $3, $4)",
          [id, status, partition, ["up", "down"]],
        );
      const insertEvent = (
        runId: string,
        type: string,
        data: object,
        asset: string | null,
        partition: string | null,
      ) =>
        pool.query(
          "INSERT INTO event_logs (run_id, type, level, timestamp, message, data, asset_key, partition_key) VALUES ($1, $2, 'info', now(), '', $3, $4, $5)",
          [runId, type, JSON.stringify(data), asset, partition],
        );
      await run("r1", "FAILURE", "p1");
      await insertEvent("r1", "RUN_START", {}, null, null);
      await insertEvent(
        "r1",
        "ASSET_MATERIALIZATION",
        { assetKey: "up", partitionKey: "p1", metadata: {} },
        "up",
        "p1",
      );
      await pool.query(
        "INSERT INTO asset_latest_materializations (asset_key, partition_key, run_id, seq, timestamp, metadata) SELECT 'up', 'p1', 'r1', max(seq), now(), '{}' FROM event_logs",
      );
      await insertEvent("r1", "STEP_FAILURE", { failure: { message: "disk full" } }, null, null);
      await insertEvent("r1", "RUN_FAILURE", { reason: "a step failed" }, null, null);
      await run("r2", "STARTED", "p2");
      await insertEvent("r2", "RUN_START", {}, null, null);
      await migrate(pool);
      const { rows } = await pool.query(
        "SELECT asset_key, partition_key, status, run_id, error FROM asset_partition_status ORDER BY asset_key, partition_key",
      );
      expect(rows).toEqual([
        { asset_key: "down", partition_key: "p1", status: "FAILED", run_id: "r1", error: "disk full" },
        { asset_key: "down", partition_key: "p2", status: "IN_PROGRESS", run_id: "r2", error: null },
        { asset_key: "up", partition_key: "p1", status: "MATERIALIZED", run_id: "r1", error: null },
        { asset_key: "up", partition_key: "p2", status: "IN_PROGRESS", run_id: "r2", error: null },
      ]);
      const counts = await pool.query(
        "SELECT status, sum(delta)::int AS n FROM asset_partition_status_deltas WHERE asset_key = 'up' GROUP BY status ORDER BY status",
      );
      expect(counts.rows).toEqual([
        { status: "IN_PROGRESS", n: 1 },
        { status: "MATERIALIZED", n: 1 },
      ]);
    } finally {
      await pool.end();
    }
  });
});
