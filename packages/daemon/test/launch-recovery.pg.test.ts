import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { StoredEvent } from "@bosun/core";
import { createTestStorage, FIXTURES, startBosun, type TestStorage } from "@bosun/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./daemon-harness.ts";

/**
 * A daemon killed with -9 between admitting runs and starting their workers (`bosun daemon run`
 * processes, real run workers). The test-only pause points (`pauseForTest`) hold the daemon, or its
 * workers, at the exact instant; the test kills the daemon's own process there and starts another.
 */
const FIXTURE = FIXTURES.daemon;
const LOCATION = "daemon-location";

let db: TestStorage;
let home: string;
beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-launch-recovery-"));
  // A start timeout far beyond the waits below: a run left STARTING fails these tests by timing out.
  await writeFile(
    path.join(home, "bosun.yaml"),
    [
      "run_coordinator:\n  max_concurrent_runs: 20\n  dequeue_interval_seconds: 1\n",
      "run_monitoring:\n  start_timeout_seconds: 300\n",
      "scheduler:\n  enabled: false\nsensors:\n  enabled: false\n",
    ].join(""),
  );
});
afterAll(async () => {
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** Every daemon a test starts, stopped (SIGTERM, then SIGKILL) after it. */
const running: { child: ReturnType<typeof startBosun>["child"]; done: Promise<unknown> }[] = [];
afterEach(async () => {
  for (const daemon of running.splice(0)) {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill("SIGTERM");
    const timer = setTimeout(() => daemon.child.kill("SIGKILL"), 20_000);
    await daemon.done;
    clearTimeout(timer);
  }
});

function startDaemon(env: Record<string, string> = {}) {
  const daemon = startBosun(["daemon", "run", "-f", FIXTURE], {
    BOSUN_HOME: home,
    BOSUN_DATABASE_URL: db.databaseUrl,
    ...env,
  });
  let stderr = "";
  daemon.child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  running.push(daemon);
  return { ...daemon, stderr: () => stderr };
}

/** Kills the daemon's own process with -9 and waits until it is gone. */
async function killHard(daemon: ReturnType<typeof startDaemon>): Promise<void> {
  process.kill(daemon.child.pid!, "SIGKILL");
  await daemon.done;
}

async function queueRuns(count: number, jobName: string): Promise<string[]> {
  const runIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const runId = randomUUID();
    await db.storage.runs.createRun({ runId, jobName, status: "QUEUED", codeLocation: LOCATION });
    runIds.push(runId);
  }
  return runIds;
}

async function statuses(runIds: readonly string[]): Promise<string[]> {
  return Promise.all(runIds.map(async (runId) => (await db.storage.runs.getRun(runId))?.status ?? "?"));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid each RUN_START of the run names: one entry per worker that started running it. */
function startPids(events: readonly StoredEvent[]): unknown[] {
  return events.filter((event) => event.type === "RUN_START").map((event) => event.data.pid);
}

describe("a daemon killed between admission and launch", () => {
  it("has every admitted run relaunched by the next daemon, each run on exactly one worker", async () => {
    const gate = path.join(home, `admitted-${randomUUID()}`);
    const runIds = await queueRuns(10, "quick_job");
    const first = startDaemon({ BOSUN_TEST_PAUSE_AFTER_ADMISSION: gate });
    await waitFor(() => first.stderr().includes("BOSUN_TEST_PAUSE_AFTER_ADMISSION: paused"), {
      timeoutMs: 90_000,
      what: "the first daemon to admit the runs",
    });
    expect(await statuses(runIds)).toEqual(runIds.map(() => "STARTING"));
    await killHard(first);
    // No worker was started: nothing but the admission is stored.
    for (const runId of runIds) expect((await db.storage.runs.getRun(runId))?.launcherInfo).toEqual({});

    const second = startDaemon();
    await waitFor(async () => (await statuses(runIds)).every((status) => status === "SUCCESS"), {
      timeoutMs: 90_000,
      what: "every admitted run to succeed",
    });
    for (const runId of runIds) {
      const events = await db.storage.events.getEvents(runId);
      const run = await db.storage.runs.getRun(runId);
      expect(startPids(events)).toEqual([run?.launcherInfo.pid]);
      expect(events.filter((event) => event.message.startsWith("Relaunching the run"))).toHaveLength(1);
      expect(events.map((event) => event.type).filter((type) => type.startsWith("RUN_"))).toEqual([
        "RUN_ENQUEUED",
        "RUN_STARTING",
        "RUN_START",
        "RUN_SUCCESS",
      ]);
    }
    expect(second.stderr()).toContain("is gone before launching it; launching it here");
  }, 240_000);

  it("has a worker started before the crash but not yet claiming give way to the relaunched one", async () => {
    const launched = path.join(home, `launched-${randomUUID()}`);
    const claim = path.join(home, `claim-${randomUUID()}`);
    const runIds = await queueRuns(3, "quick_job");
    // The first daemon starts the workers, which wait before claiming; it dies before recording them.
    const first = startDaemon({
      BOSUN_TEST_PAUSE_AFTER_LAUNCH: launched,
      BOSUN_TEST_PAUSE_BEFORE_CLAIM: claim,
    });
    const logOf = (runId: string) => path.join(home, "logs", "runs", `${runId}.log`);
    const stalePids = await Promise.all(
      runIds.map((runId) =>
        waitFor(
          async () => {
            const log = await readFile(logOf(runId), "utf8").catch(() => "");
            const paused = /BOSUN_TEST_PAUSE_BEFORE_CLAIM: paused until .* \(pid (\d+)\)/.exec(log);
            return paused ? Number(paused[1]) : null;
          },
          { timeoutMs: 90_000, what: `the first worker of run ${runIds[0]} to wait before claiming` },
        ),
      ),
    );
    await waitFor(() => first.stderr().includes("BOSUN_TEST_PAUSE_AFTER_LAUNCH: paused"));
    await killHard(first);
    expect(stalePids.every(isAlive)).toBe(true);

    startDaemon();
    await waitFor(async () => (await statuses(runIds)).every((status) => status === "SUCCESS"), {
      timeoutMs: 90_000,
      what: "every admitted run to succeed",
    });
    // Now the first workers try to claim their superseded attempt: each gives way, having run nothing.
    await writeFile(claim, "");
    await waitFor(() => stalePids.every((pid) => !isAlive(pid)), { what: "the first workers to exit" });
    for (const [index, runId] of runIds.entries()) {
      const log = await readFile(logOf(runId), "utf8");
      expect(log).toContain(
        `run ${runId}: launch attempt 1 was superseded by attempt 2 (a daemon relaunched the run); this worker runs nothing`,
      );
      const run = await db.storage.runs.getRun(runId);
      const events = await db.storage.events.getEvents(runId);
      expect(run?.status).toBe("SUCCESS");
      expect(startPids(events)).toEqual([run?.launcherInfo.pid]);
      expect(run?.launcherInfo.pid).not.toBe(stalePids[index]);
      expect(events.at(-1)?.type).toBe("RUN_SUCCESS");
    }
  }, 240_000);
});
