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
});
