import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The run list must stay an index walk at 100,000 runs: no full sort for the first page or any cursor page. */
describe("run list query plans with 100,000 runs", () => {
  let db: TestStorage;
  beforeAll(async () => {
    db = await createTestStorage();
    await db.storage.pgPool.query(`
      INSERT INTO runs (id, job_name, status, tags, created_at, updated_at)
      SELECT 'run-' || g, 'job_' || (g % 20), (ARRAY['SUCCESS','FAILURE','QUEUED','STARTED'])[1 + g % 4],
             jsonb_build_object('team', 'team_' || (g % 10), 'user', 'user_' || (g % 1000)),
             now() - (100000 - g) * interval '1 second', now()
      FROM generate_series(1, 100000) g`);
    // Migration 0004's statistics target samples all 100,000 rows, so the plans do not depend on which
    // rows ANALYZE happened to read.
    await db.storage.pgPool.query("ANALYZE runs");
  });
  afterAll(() => db.drop());

  const plan = async (where: string) => {
    const { rows } = await db.storage.pgPool.query(
      `EXPLAIN (COSTS OFF) SELECT * FROM runs ${where} ORDER BY created_at DESC, id DESC LIMIT 51`,
    );
    return rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n");
  };

  it("walks the (created_at, id) index for the first page and for a cursor page", async () => {
    const first = await plan("");
    expect(first).toMatch(/Index Scan using runs_created_idx/);
    expect(first).not.toMatch(/Sort/);
    const cursor = await plan(`WHERE (created_at, id) < (now() - interval '1000 seconds', 'run-5')`);
    expect(cursor).toMatch(/Index Cond: \(ROW\(created_at, id\) < ROW/);
    expect(cursor).not.toMatch(/Sort/);
  });

  it("uses the GIN index for a rare tag and the time index for a common one", async () => {
    const { rows } = await db.storage.pgPool.query(
      "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'runs'::regclass AND attname = 'tags'",
    );
    expect(Number(rows[0]?.attstattarget)).toBe(1000);
    expect(await plan(`WHERE tags @> '{"user":"user_7"}'`)).toMatch(/runs_tags_idx/);
    const common = await plan(`WHERE tags @> '{"team":"team_3"}'`);
    expect(common).toMatch(/Index Scan using runs_created_idx/);
    expect(common).not.toMatch(/Sort/);
  });

  it("pages through a tag filter through the storage API", async () => {
    const first = await db.storage.runs.listRuns({ tags: { user: "user_7" } }, { limit: 60 });
    const second = await db.storage.runs.listRuns(
      { tags: { user: "user_7" } },
      { limit: 60, cursor: first.nextCursor },
    );
    expect(first.runs).toHaveLength(60);
    expect(second.runs).toHaveLength(40);
    expect(second.nextCursor).toBeNull();
    expect(first.runs[0]!.runId).toBe("run-99007");
  });
});
