import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunStatus } from "@bosun/core";
import {
  createTestStorage,
  FIXTURES,
  runBosun,
  startBosun,
  type TestStorage,
  waitFor,
} from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// `bosun job launch`, `bosun run terminate`, run-id prefixes and the one tag syntax, as processes.
// Each `bosun` process loads TypeScript and often a code location: seconds each on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

let db: TestStorage;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-cli-queue-"));
  // Sensors off: nothing but the runs these tests launch happens in the daemon.
  await writeFile(path.join(home, "bosun.yaml"), "sensors:\n  enabled: false\n");
  env = { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home };
});
afterAll(async () => {
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

const launch = (args: readonly string[], extraEnv: Record<string, string> = {}) =>
  runBosun(["job", "launch", "-f", FIXTURES.daemon, ...args], { ...env, ...extraEnv });

function statusOf(runId: string, wanted: readonly RunStatus[]) {
  return waitFor(
    `run ${runId} to be ${wanted.join(" or ")}`,
    async () => {
      const run = await db.storage.runs.getRun(runId);
      return run && wanted.includes(run.status) ? run.status : undefined;
    },
    90_000,
  );
}

describe("bosun job launch", () => {
  it("queues a run of the location the daemon knows, with its --tag tags, and prints its id and UI URL", async () => {
    const result = await launch(["-j", "quick_job", "--tag", "team=data", "--tag", "note=a=b"], {
      BOSUN_WEBSERVER_PUBLIC_URL: "http://bosun.test:4100/",
    });
    expect(result.code, result.stderr).toBe(0);
    const runId = result.stdout.trim();
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.stderr).toContain(`http://bosun.test:4100/runs/${runId}`);
    expect(result.stderr).toContain("bosun daemon run");
    const run = await db.storage.runs.getRun(runId);
    expect(run).toMatchObject({
      status: "QUEUED",
      jobName: "quick_job",
      codeLocation: "daemon-location",
      tags: { team: "data", note: "a=b" },
    });
  });

  it("refuses an unknown job, naming the nearest one, and stores nothing", async () => {
    const result = await launch(["-j", "quick_jb"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no job named "quick_jb"');
    expect(result.stderr).toContain('did you mean "quick_job"?');
    expect(await db.storage.runs.countRuns({ jobName: "quick_jb" })).toBe(0);
  });

  it("refuses a tag the plugins' checks refuse, as the API's launch does", async () => {
    const result = await launch([
      "-j",
      "slow_job",
      "--tag",
      'bosun-k8s/config={"container_config":{"resourcs":{}}}',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "--tag bosun-k8s/config: `container_config.resourcs`: unknown field; did you mean `resources`?",
    );
    expect(await db.storage.runs.countRuns({ jobName: "slow_job" })).toBe(0);
  });

  it("refuses a run config that does not fit, naming the field and the nearest key", async () => {
    const result = await runBosun(
      [
        "job",
        "launch",
        "-f",
        FIXTURES.codeServer,
        "-j",
        "etl_job",
        "-c",
        "ops: {extract: {config: {tabl: x}}}",
      ],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ops.extract.config.tabl: unknown key; did you mean "table"?');
    expect(await db.storage.runs.countRuns({ jobName: "etl_job" })).toBe(0);
  });

  it("refuses an unknown location of a workspace, naming the nearest one", async () => {
    const workspace = path.join(home, "workspace.yaml");
    await writeFile(
      workspace,
      `load_from:\n  - typescript_file:\n      path: ${FIXTURES.daemon}\n      location_name: jobs\n  - typescript_file:\n      path: ${FIXTURES.codeServer}\n      location_name: etl\n`,
    );
    const unknown = await runBosun(["job", "launch", "-w", workspace, "-l", "job", "-j", "quick_job"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no code location named "job"; did you mean "jobs"?');
    const unnamed = await runBosun(["job", "launch", "-w", workspace, "-j", "quick_job"], env);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain(
      "the workspace has 2 code locations (jobs, etl): choose one with -l/--location",
    );
  });
});

describe("one tag syntax", () => {
  it("refuses a malformed --tag on every command that takes tags, naming the flag and the shape", async () => {
    const commands = [
      ["job", "launch", "-f", FIXTURES.daemon, "-j", "quick_job", "--tag", "team"],
      ["job", "execute", "-f", FIXTURES.daemon, "-j", "quick_job", "--tag", "=data"],
      ["asset", "materialize", "-f", FIXTURES.codeServer, "--select", "regions", "--tag", "team"],
      ["run", "list", "--tag", "team:data"],
    ];
    const results = await Promise.all(commands.map((args) => runBosun(args, env)));
    for (const [index, result] of results.entries()) {
      expect({ args: commands[index], code: result.code }).toEqual({ args: commands[index], code: 2 });
      expect(result.stderr).toContain("--tag expects key=value (e.g. --tag team=data), got");
    }
    expect(results[1]!.stderr).toContain("the key is empty");
    // The JSON syntax is gone: one way to give tags.
    const old = await runBosun(
      ["job", "execute", "-f", FIXTURES.daemon, "-j", "quick_job", "--tags", "{}"],
      env,
    );
    expect(old.code).not.toBe(0);
    expect(old.stderr).toContain("unknown option '--tags'");
  });
});

describe("run ids", () => {
  it("accepts a unique prefix, lists an ambiguous one's matches, says when none matches", async () => {
    const stem = randomUUID().slice(0, 6);
    const ids = ["1", "2", "3", "4", "5", "6"].map((n) => `${stem}${n}-${randomUUID().slice(9)}`);
    for (const runId of ids)
      await db.storage.runs.createRun({ runId, jobName: "prefix_job", status: "SUCCESS" });
    const [unique, ambiguous, none, short] = await Promise.all([
      runBosun(["run", "show", ids[2]!.slice(0, 8), "--json"], env),
      runBosun(["run", "show", stem], env),
      runBosun(["run", "logs", `${stem}9`], env),
      runBosun(["run", "show", stem.slice(0, 3)], env),
    ]);
    expect(unique.code, unique.stderr).toBe(0);
    expect(JSON.parse(unique.stdout).run.runId).toBe(ids[2]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(
      `run id prefix "${stem}" matches several runs: ${ids.slice(0, 5).join(", ")}, ...`,
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no run matches "${stem}9"`);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("at least 4 of its first characters");
  });
});

describe("bosun run terminate", () => {
  it("cancels a queued run given by prefix, and refuses a finished one with exit 1", async () => {
    const runId = (await launch(["-j", "quick_job"])).stdout.trim();
    const first = await runBosun(["run", "terminate", runId.slice(0, 8)], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Run ${runId} is CANCELED`);
    expect((await db.storage.runs.getRun(runId))?.status).toBe("CANCELED");
    const again = await runBosun(["run", "terminate", runId], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `run ${runId} is CANCELED: only a queued or running run can be terminated`,
    );
  });

  it("a daemon runs a launched run; terminate stops a running one's worker", async () => {
    const daemon = startBosun(["daemon", "run", "-f", FIXTURES.daemon], env);
    try {
      const quick = (await launch(["-j", "quick_job"])).stdout.trim();
      expect(await statusOf(quick, ["SUCCESS", "FAILURE"])).toBe("SUCCESS");
      const slow = (await launch(["-j", "slow_job"])).stdout.trim();
      await statusOf(slow, ["STARTED"]);
      const terminated = await runBosun(["run", "terminate", slow], env);
      expect(terminated.code, terminated.stderr).toBe(0);
      expect(terminated.stdout).toContain("CANCELING");
      expect(await statusOf(slow, ["CANCELED", "SUCCESS", "FAILURE"])).toBe("CANCELED");
    } finally {
      daemon.child.kill("SIGTERM");
      await daemon.done;
    }
  }, 180_000);
});
