import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadDefinitions } from "@bosun/engine";
import { inProcessLocation, RunRequests } from "@bosun/runs";
import { createTestStorage, FIXTURES, runBosun, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const FIXTURE = FIXTURES.computeLogs;

let db: TestStorage;
const homes: string[] = [];
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(async () => {
  await db.drop();
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

/** A BOSUN_HOME whose bosun.yaml is `yaml`, on this file's database. */
async function instance(yaml: string): Promise<Record<string, string>> {
  const home = await mkdtemp(path.join(tmpdir(), "bosun-compute-logs-cli-"));
  homes.push(home);
  await writeFile(path.join(home, "bosun.yaml"), yaml);
  return { BOSUN_HOME: home, BOSUN_DATABASE_URL: db.databaseUrl };
}

describe("compute_logs in bosun.yaml, read by the processes that run steps", () => {
  it("job execute with compute_logs.enabled false leaves the step's output on the process's stdout and stores none", async () => {
    const env = await instance("compute_logs:\n  enabled: false\n");
    const result = await runBosun(["job", "execute", "-f", FIXTURE, "-j", "chatter_in_process"], env);
    expect(result.code, result.stderr).toBe(0);
    const [runId, ...output] = result.stdout.trim().split("\n");
    expect((await db.storage.runs.getRun(runId!))?.status).toBe("SUCCESS");
    expect(output).toEqual([
      `attempt 1 line 0000 ${"x".repeat(30)}`,
      `attempt 1 line 0001 ${"x".repeat(30)}`,
      `attempt 1 line 0002 ${"x".repeat(30)}`,
    ]);
    expect(result.stderr).toContain("attempt 1 done printing");
    expect(await db.storage.computeLogs.stepKeysWithLogs(runId!)).toEqual([]);
  });

  it("api execute-step (a step pod's entry point) applies max_bytes_per_step", async () => {
    const env = await instance("compute_logs:\n  max_bytes_per_step: 1024\n  flush_interval_seconds: 0.05\n");
    const definitions = await loadDefinitions({ file: FIXTURE });
    const requests = new RunRequests({
      storage: db.storage,
      locations: inProcessLocation(definitions, { file: FIXTURE }),
    });
    const run = await requests.launch({
      jobName: "chatter_multiprocess",
      runConfig: { ops: { chatter: { config: { lines: 100 } } } },
      status: "NOT_STARTED",
    });
    const result = await runBosun(
      ["api", "execute-step", run.runId, "--step", "chatter", "-f", FIXTURE],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const out = (await db.storage.computeLogs.read(run.runId, "chatter", "stdout")).data;
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024);
    expect(out.split("[bosun: output truncated after ")).toHaveLength(2);
  });

  it("refuses a misspelt compute_logs key or a bad value with the field path", async () => {
    const misspelt = await runBosun(
      ["job", "execute", "-f", FIXTURE, "-j", "chatter_in_process"],
      await instance("compute_logs:\n  flush_intervall_seconds: 1\n"),
    );
    expect(misspelt.code).not.toBe(0);
    expect(misspelt.stderr).toContain(
      'compute_logs.flush_intervall_seconds: unknown key (did you mean "flush_interval_seconds"?)',
    );
    const wrong = await runBosun(
      ["job", "execute", "-f", FIXTURE, "-j", "chatter_in_process"],
      await instance("compute_logs:\n  enabled: sometimes\n"),
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("compute_logs.enabled: expected boolean");
  });
});
