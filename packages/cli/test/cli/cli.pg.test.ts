import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { createTestStorage, FIXTURES, runBosun, startBosun, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let db: TestStorage;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-cli-"));
  env = { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home };
});
afterAll(async () => {
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

/** `bosun job execute` of the engine fixture's fan_job with the given run config (YAML). */
function executeFanJob(config: string) {
  return runBosun(["job", "execute", "-f", FIXTURES.engine, "-j", "fan_job", "--config", config], env);
}

describe("bosun CLI", () => {
  it("job execute prints the run id, exits 0 on success, and the run is stored SUCCESS", async () => {
    const result = await runBosun(["job", "execute", "-f", FIXTURES.engine, "-j", "fan_job"], env);
    expect(result.code).toBe(0);
    const runId = result.stdout.trim();
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.stderr).toContain("RUN_SUCCESS");
    expect((await db.storage.runs.getRun(runId))?.status).toBe("SUCCESS");
  });

  it("job execute exits non-zero when the run fails", async () => {
    const result = await runBosun(["job", "execute", "-f", FIXTURES.engine, "-j", "failing_job"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("could not write the report");
    expect((await db.storage.runs.getRun(result.stdout.trim()))?.status).toBe("FAILURE");
  });

  it("job list --json prints only JSON", async () => {
    const result = await runBosun(["job", "list", "-f", FIXTURES.engine, "--json"], env);
    expect(result.code).toBe(0);
    const jobs = JSON.parse(result.stdout) as { name: string; steps: string[] }[];
    expect(jobs.find((j) => j.name === "fan_job")?.steps).toEqual(["numbers", "sum", "product", "collect"]);
  });

  it("exits 0 and quietly when its reader has gone (`bosun run show <id> | head`)", async () => {
    const executed = await runBosun(["job", "execute", "-f", FIXTURES.engine, "-j", "fan_job"], env);
    const runId = executed.stdout.trim();
    for (const args of [
      ["run", "show", runId],
      ["run", "list"],
      ["job", "list", "-f", FIXTURES.engine],
    ]) {
      const { child, done } = startBosun(args, env);
      // The reader goes away before the first line: every write the command makes meets a closed pipe.
      child.stdout!.destroy();
      const result = await done;
      expect({ args, code: result.code, signal: result.signal, stderr: result.stderr }).toEqual({
        args,
        code: 0,
        signal: null,
        stderr: "",
      });
    }
  });

  it("run list and run show --json print the run and its events", async () => {
    const executed = await runBosun(
      ["job", "execute", "-f", FIXTURES.engine, "-j", "retry_job", "--tag", "team=cli"],
      env,
    );
    const runId = executed.stdout.trim();
    const list = JSON.parse((await runBosun(["run", "list", "--json", "--tag", "team=cli"], env)).stdout) as {
      runs: { runId: string }[];
    };
    expect(list.runs.map((r) => r.runId)).toEqual([runId]);
    const shown = JSON.parse((await runBosun(["run", "show", runId, "--json"], env)).stdout) as {
      run: { status: string };
      events: { type: string }[];
    };
    expect(shown.run.status).toBe("SUCCESS");
    expect(shown.events.filter((e) => e.type === "STEP_RETRY")).toHaveLength(2);
  });

  it("run logs prints a step's captured stdout", async () => {
    const executed = await executeFanJob("ops: {numbers: {config: {count: 3}}}");
    const logs = await runBosun(["run", "logs", executed.stdout.trim(), "--step", "collect"], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toBe("parts=[6,6]\n");
  });

  it("run logs refuses an unknown step naming the run's steps, and prints every step prefixed without --step", async () => {
    const executed = await runBosun(["job", "execute", "-f", FIXTURES.engine, "-j", "fan_job"], env);
    const runId = executed.stdout.trim();
    const typo = await runBosun(["run", "logs", runId, "--step", "colect"], env);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe("");
    expect(typo.stderr).toContain(`run ${runId} has no step "colect"; did you mean "collect"?`);
    expect(typo.stderr).toContain("its steps: numbers, sum, product, collect");
    const every = await runBosun(["run", "logs", runId], env);
    expect(every.code).toBe(0);
    expect(every.stdout).toContain("[collect] parts=[");
    expect(
      every.stdout
        .split("\n")
        .filter(Boolean)
        .every((line) => /^\[[a-z_]+\] /.test(line)),
    ).toBe(true);
  });

  it("SIGTERM to a run worker interrupts its step and ends the run CANCELED", async () => {
    const created = await runBosun(["job", "execute", "-f", FIXTURES.engine, "-j", "fan_job"], env);
    expect(created.code).toBe(0);
    const { inProcessLocation, RunRequests } = await import("@bosun/runs");
    const { loadDefinitions } = await import("@bosun/engine");
    const definitions = await loadDefinitions({ file: FIXTURES.engine });
    const requests = new RunRequests({
      storage: db.storage,
      locations: inProcessLocation(definitions, { file: FIXTURES.engine }),
    });
    const run = await requests.launch({ jobName: "sleepy_job", status: "NOT_STARTED" });
    const worker = startBosun(["api", "execute-run", run.runId, "-f", FIXTURES.engine], env);
    const deadline = Date.now() + 30_000;
    while (
      Date.now() < deadline &&
      (await db.storage.events.getEvents(run.runId, { types: ["STEP_START"] })).length === 0
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    worker.child.kill("SIGTERM");
    const result = await worker.done;
    expect(result.code).toBe(0);
    const stored = await db.storage.runs.getRun(run.runId);
    expect(stored?.status).toBe("CANCELED");
    const types = (await db.storage.events.getEvents(run.runId)).map((e) => e.type);
    expect(types).toEqual(["RUN_START", "STEP_START", "STEP_FAILURE", "RUN_CANCELED"]);
  });

  it("rejects invalid run config with the path and a suggestion, exits non-zero, and stores no run", async () => {
    const before = await db.storage.runs.countRuns({});
    const result = await executeFanJob("ops: {numbers: {config: {cout: 3}}}");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: invalid run config:\n  ops.numbers.config.cout: unknown key; did you mean "count"?\n',
    );
    expect(await db.storage.runs.countRuns({})).toBe(before);
  });

  it("names an unknown job with the nearest one", async () => {
    const result = await runBosun(["job", "execute", "-f", FIXTURES.engine, "-j", "fan_jb"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: no job named "fan_jb"; did you mean "fan_job"\?/);
  });

  it("reports a code location that throws at import with the user's error, not a stack of ours", async () => {
    const broken = path.join(home, "broken.ts");
    await writeFile(broken, 'throw new Error("missing API key");\n');
    const result = await runBosun(["job", "list", "-f", broken], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot load code location from .*broken\.ts: missing API key\n/);
    expect(result.stderr).toContain("broken.ts:1");
    expect(result.stderr).not.toContain("load-definitions.ts");
  });

  it("loads an asset whose run logs an object literal, as the README does (no inputs read from source text)", async () => {
    const fixture = FIXTURES.loggingAsset;
    const result = await runBosun(["asset", "list", "-f", fixture, "--json"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { key: "report", group: "default", upstream: [], partitioned: false, description: null },
    ]);
  });

  it("reports a definitions error with the names involved", async () => {
    const bad = FIXTURES.unknownDependency;
    const result = await runBosun(["job", "list", "-f", bad], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `error: cannot load code location from ${bad}: asset "b" depends on unknown asset "a"`,
    );
  });

  it("fails job list on a misspelt bosun-k8s/config key, naming the job, the path and the nearest key", async () => {
    const typo = FIXTURES.k8sTagTypo;
    const result = await runBosun(["job", "list", "-f", typo], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toBe(
      `error: cannot load code location from ${typo}: job "nightly_compaction" tag bosun-k8s/config: \`container_config.resourcs\`: unknown field; did you mean \`resources\`?`,
    );
  });

  it("refuses to execute a job of a location whose bosun-k8s/config tag is invalid, storing no run", async () => {
    const before = await db.storage.runs.countRuns({});
    const result = await runBosun(
      ["job", "execute", "-f", FIXTURES.k8sTagTypo, "-j", "nightly_compaction"],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("did you mean `resources`?");
    expect(await db.storage.runs.countRuns({})).toBe(before);
  });

  it("names host, port and database of an unreachable database, never the password", async () => {
    const unreachable = await mkdtemp(path.join(tmpdir(), "bosun-unreachable-"));
    await writeFile(
      path.join(unreachable, "bosun.yaml"),
      "storage:\n  postgres:\n    host: 127.0.0.1\n    port: 1\n    username: bosun\n    database: analytics\n    password_env: SECRET_PW\n",
    );
    const result = await runBosun(["run", "list"], {
      BOSUN_HOME: unreachable,
      BOSUN_DATABASE_URL: "",
      SECRET_PW: "hunter2-very-secret",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("127.0.0.1:1");
    expect(result.stderr).toContain("analytics");
    expect(result.stderr).not.toContain("hunter2-very-secret");
    expect(result.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    await rm(unreachable, { recursive: true, force: true });
  });

  it("rejects a misspelt key in bosun.yaml with the nearest valid one", async () => {
    const misspelt = await mkdtemp(path.join(tmpdir(), "bosun-misspelt-"));
    await writeFile(
      path.join(misspelt, "bosun.yaml"),
      "storage:\n  postgress:\n    url: postgres://x@127.0.0.1/db\n",
    );
    const result = await runBosun(["run", "list"], { BOSUN_HOME: misspelt, BOSUN_DATABASE_URL: "" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/storage\.postgress: unknown key \(did you mean "postgres"\?\)/);
    await rm(misspelt, { recursive: true, force: true });
  });
});
