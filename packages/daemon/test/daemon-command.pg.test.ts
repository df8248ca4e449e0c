import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestStorage, FIXTURES, startBosun, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor, waitForStatus } from "./daemon-harness.ts";

const FIXTURE = FIXTURES.daemon;

let db: TestStorage;
let home: string;
beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-daemon-cli-"));
});
afterAll(async () => {
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe("bosun daemon run", () => {
  it("runs queued runs with the settings of bosun.yaml, heartbeats, and stops cleanly on SIGTERM", async () => {
    await writeFile(
      path.join(home, "bosun.yaml"),
      "run_coordinator:\n  max_concurrent_runs: 2\nsensors:\n  enabled: false\n",
    );
    const { child, done } = startBosun(["daemon", "run", "-f", FIXTURE], {
      BOSUN_HOME: home,
      BOSUN_DATABASE_URL: db.databaseUrl,
    });
    try {
      const runId = randomUUID();
      await db.storage.runs.createRun({
        runId,
        jobName: "quick_job",
        status: "QUEUED",
        codeLocation: "daemon-location",
      });
      const run = await waitForStatus(db.storage, runId, ["SUCCESS", "FAILURE"], 90_000);
      expect(run.status).toBe("SUCCESS");
      const beats = await waitFor(async () => {
        const all = await db.storage.heartbeats.listHeartbeats();
        return all.length >= 4 ? all : null;
      });
      expect(new Set(beats.map((b) => b.daemonType))).toEqual(
        new Set(["RUN_QUEUE", "SCHEDULER", "RUN_MONITOR", "RETENTION"]),
      );
    } finally {
      child.kill("SIGTERM");
    }
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("stopped");
    expect(result.stderr).toMatch(/started: RUN_QUEUE, SCHEDULER, RUN_MONITOR, RETENTION\n/);
  }, 120_000);

  it("refuses a bad retention value, naming the field path, before starting any loop", async () => {
    const other = await mkdtemp(path.join(tmpdir(), "bosun-daemon-cli-"));
    try {
      await writeFile(path.join(other, "bosun.yaml"), "retention:\n  runs:\n    purge_after_days: -7\n");
      const result = await startBosun(["daemon", "run", "-f", FIXTURE], {
        BOSUN_HOME: other,
        BOSUN_DATABASE_URL: db.databaseUrl,
      }).done;
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        "retention.runs.purge_after_days: purge_after_days must be -1 (keep forever) or a number of days above 0",
      );
      expect(result.stderr).not.toContain("started");
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("refuses a misspelt bosun.yaml key, naming the nearest valid one", async () => {
    const other = await mkdtemp(path.join(tmpdir(), "bosun-daemon-cli-"));
    try {
      await writeFile(path.join(other, "bosun.yaml"), "run_cordinator:\n  max_concurrent_runs: 2\n");
      const result = await startBosun(["daemon", "run", "-f", FIXTURE], {
        BOSUN_HOME: other,
        BOSUN_DATABASE_URL: db.databaseUrl,
      }).done;
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('run_cordinator: unknown key (did you mean "run_coordinator"?)');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
