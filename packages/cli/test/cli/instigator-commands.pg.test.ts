import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestStorage, FIXTURES, runBosun, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// `bosun schedule ...`, `bosun sensor ...` and `bosun definitions validate`, as processes, against the
// code server suite's location (schedules nightly_etl, broken_schedule, sloppy_schedule; sensors
// new_files, quiet_sensor).
// Each `bosun` process loads TypeScript and the code location: seconds each on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const LOCATION = "code-server-location";
let db: TestStorage;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-cli-instigators-"));
  env = { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home };
});
afterAll(async () => {
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

const bosun = (...args: string[]) => runBosun([...args, "-f", FIXTURES.codeServer], env);

describe("bosun schedule", () => {
  it("lists schedules with location, status and next tick; stop and start store the status as the API does", async () => {
    const before = await bosun("schedule", "list", "--json");
    expect(before.code, before.stderr).toBe(0);
    const listed = JSON.parse(before.stdout) as {
      name: string;
      location: string;
      status: string;
      nextTickAt: string | null;
    }[];
    expect(listed.map((s) => `${s.name}@${s.location}:${s.status}`)).toEqual([
      `nightly_etl@${LOCATION}:RUNNING`,
      `broken_schedule@${LOCATION}:STOPPED`,
      `sloppy_schedule@${LOCATION}:STOPPED`,
    ]);
    // 02:00 in Paris is 00:00 or 01:00 UTC, depending on daylight saving time.
    expect(listed[0]!.nextTickAt).toMatch(/T0[01]:00:00\.000Z$/);

    const stopped = await bosun("schedule", "stop", "nightly_etl");
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(new RegExp(`^nightly_etl\\t${LOCATION}\\tSTOPPED\\tnext tick -`));
    expect((await db.storage.instigators.getState("schedule", LOCATION, "nightly_etl"))?.status).toBe(
      "STOPPED",
    );

    const started = await bosun("schedule", "start", "broken_schedule");
    expect(started.code, started.stderr).toBe(0);
    expect((await db.storage.instigators.getState("schedule", LOCATION, "broken_schedule"))?.status).toBe(
      "RUNNING",
    );
    const text = await bosun("schedule", "list");
    expect(text.stdout).toContain(`nightly_etl\t${LOCATION}\tSTOPPED\tnext tick -`);
    expect(text.stdout).toMatch(new RegExp(`broken_schedule\\t${LOCATION}\\tRUNNING\\tnext tick \\d{4}-`));
  });

  it("refuses an unknown schedule, naming the nearest one", async () => {
    const results = await Promise.all([
      bosun("schedule", "start", "nightly_et"),
      bosun("schedule", "preview", "nightly_et"),
    ]);
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `no schedule "nightly_et" in code location "${LOCATION}"; did you mean "nightly_etl"?`,
      );
    }
  });

  it("previews the next ticks and the run requests they would make, launching nothing", async () => {
    const result = await bosun("schedule", "preview", "nightly_etl", "--ticks", "2", "--json");
    expect(result.code, result.stderr).toBe(0);
    const preview = JSON.parse(result.stdout) as {
      ticks: {
        scheduledTime: string;
        evaluation: { ok: boolean; runRequests?: { runKey: string }[]; skipReason?: string };
      }[];
    };
    expect(preview.ticks).toHaveLength(2);
    for (const tick of preview.ticks) {
      // The fixture skips Sundays (UTC) and otherwise requests one run keyed by the tick.
      if (new Date(tick.scheduledTime).getUTCDay() === 0)
        expect(tick.evaluation).toMatchObject({
          ok: true,
          runRequests: [],
          skipReason: "no loads on Sundays",
        });
      else
        expect(tick.evaluation).toMatchObject({
          ok: true,
          runRequests: [{ runKey: `nightly-${tick.scheduledTime}` }],
        });
    }
    expect(await db.storage.runs.countRuns({})).toBe(0);
    expect(await db.storage.instigators.latestTick("schedule", LOCATION, "nightly_etl")).toBeNull();
  });

  it("shows a failing evaluation and exits 1", async () => {
    const result = await bosun("schedule", "preview", "broken_schedule");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("evaluation failed");
    expect(result.stdout).toContain("the schedule could not reach the calendar service");
  });
});

describe("bosun sensor", () => {
  it("previews an evaluation from the stored cursor without moving it; lists and stops", async () => {
    await db.storage.instigators.setSensorCursor(LOCATION, "new_files", "1", Date.now());
    const [preview, unknown] = await Promise.all([
      bosun("sensor", "preview", "new_files"),
      bosun("sensor", "stop", "new_file"),
    ]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain("given cursor: 1");
    expect(preview.stdout).toContain("run key: file-2");
    expect(preview.stdout).toContain("run key: file-3");
    expect(preview.stdout).toContain("new cursor: 3");
    expect((await db.storage.instigators.getState("sensor", LOCATION, "new_files"))?.cursor).toBe("1");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      `no sensor "new_file" in code location "${LOCATION}"; did you mean "new_files"?`,
    );

    const stopped = await bosun("sensor", "stop", "new_files");
    expect(stopped.code, stopped.stderr).toBe(0);
    expect((await db.storage.instigators.getState("sensor", LOCATION, "new_files"))?.status).toBe("STOPPED");
    const listed = await bosun("sensor", "list");
    expect(listed.stdout).toContain(`new_files\t${LOCATION}\tSTOPPED\tcursor 1`);
    expect(listed.stdout).toContain(`quiet_sensor\t${LOCATION}\tSTOPPED\tcursor -`);
  });

  it("previews a skip reason", async () => {
    const result = await bosun("sensor", "preview", "quiet_sensor", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      sensor: "quiet_sensor",
      cursor: null,
      evaluation: { ok: true, runRequests: [] },
    });
  });
});

describe("bosun definitions validate", () => {
  it("prints what a valid location defines and exits 0", async () => {
    const result = await runBosun(["definitions", "validate", "-f", FIXTURES.codeServer], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${LOCATION}: 1 job, 2 assets, 3 schedules, 2 sensors: valid\n`);
  });

  it("prints every problem of each location of a workspace and exits 1", async () => {
    const workspace = path.join(home, "workspace.yaml");
    await writeFile(
      workspace,
      [
        "load_from:",
        ...[FIXTURES.codeServer, FIXTURES.k8sTagTypo, FIXTURES.unknownDependency].map(
          (file) => `  - typescript_file:\n      path: ${file}`,
        ),
        "",
      ].join("\n"),
    );
    const result = await runBosun(["definitions", "validate", "-w", workspace], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${LOCATION}: 1 job, 2 assets, 3 schedules, 2 sensors: valid`);
    expect(result.stdout).toContain("k8s-tag-typo-location: invalid");
    expect(result.stdout).toContain("`container_config.resourcs`: unknown field; did you mean `resources`?");
    expect(result.stdout).toContain("unknown-dependency-location: invalid");
  });
});
