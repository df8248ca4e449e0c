import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestStorage, FIXTURES, startBosun, type TestStorage, waitFor } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A run worker (`bosun api execute-run`, a real process) asked to stop before it claimed its run: it
 * owns nothing yet, so it exits at once, leaving the launch attempt for a worker that will run it.
 */
let db: TestStorage;
let home: string;
beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-stop-before-claim-"));
});
afterAll(async () => {
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** A run admitted by a daemon (launch attempt 1), as a worker finds it. */
async function admittedRun(): Promise<string> {
  const runId = randomUUID();
  await db.storage.runs.createRun({ runId, jobName: "quick_job", status: "QUEUED" });
  const [run] = await db.storage.runQueue.claimQueuedRuns(
    (snapshot) => snapshot.queued.filter((queued) => queued.runId === runId).map((queued) => queued.runId),
    { launchOwner: `daemon-${randomUUID()}` },
  );
  expect(run?.runId).toBe(runId);
  return runId;
}

describe("a run worker that has not claimed its run", () => {
  it("exits promptly on SIGTERM, having claimed and run nothing", async () => {
    const runId = await admittedRun();
    const gate = path.join(home, `never-${randomUUID()}`);
    const worker = startBosun(["api", "execute-run", runId, "--launch-attempt", "1", "-f", FIXTURES.daemon], {
      BOSUN_HOME: home,
      BOSUN_DATABASE_URL: db.databaseUrl,
      BOSUN_TEST_PAUSE_BEFORE_CLAIM: gate,
    });
    let stderr = "";
    worker.child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    try {
      await waitFor("the worker to pause before its claim", () =>
        stderr.includes("BOSUN_TEST_PAUSE_BEFORE_CLAIM: paused") ? true : undefined,
      );
      const sentAt = Date.now();
      process.kill(worker.child.pid!, "SIGTERM");
      const exit = await Promise.race([
        worker.done,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000).unref()),
      ]);
      expect(exit, `still running 5 s after SIGTERM; its output:\n${stderr}`).not.toBeNull();
      expect(exit?.code).toBe(143);
      expect(Date.now() - sentAt).toBeLessThan(5_000);
      expect(stderr).toContain("SIGTERM before the run was claimed: this worker runs nothing");
      // Nothing was claimed or run: the attempt is still there for the worker that will run it.
      expect((await db.storage.runs.getRun(runId))?.status).toBe("STARTING");
      expect(await db.storage.launches.claim(runId, 1)).toBe(true);
    } finally {
      worker.child.kill("SIGKILL");
      await worker.done;
    }
  }, 90_000);
});
