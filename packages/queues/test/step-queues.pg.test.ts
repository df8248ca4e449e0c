/**
 * Step queues end to end, on both backends: the run worker (this process) enqueues steps through the
 * queue executor, `bosun queue worker` processes take them, and everything is checked from the event
 * log. The Redis backend runs on a Debian `redis-server` started for this file.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { StoredEvent } from "@bosun/core";
import { terminateRun } from "@bosun/runs";
import { startTestRedis, systemSuiteMissing, type TestRedis, waitFor } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peakActiveSteps, type QueueHarness, startQueueHarness } from "./queue-harness.ts";

const redisMissing = await systemSuiteMissing("redis-server");

const QUEUES = {
  lease_seconds: 2,
  warehouse: { width: 2 },
  serial: { width: 1 },
  nobody: { no_worker_timeout_seconds: 1.5 },
};

const stepKeysOf = (events: readonly StoredEvent[], type: StoredEvent["type"]) =>
  events.filter((event) => event.type === type).map((event) => event.stepKey);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function linesOf(file: string): Promise<number[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).map(Number);
}

describe.each([
  { backend: "postgresql", skip: "" },
  { backend: "redis", skip: redisMissing },
])("step queues on $backend", ({ backend, skip }) => {
  let redis: TestRedis | undefined;
  let harness: QueueHarness;

  beforeAll(async () => {
    if (skip) return;
    if (backend === "redis") redis = await startTestRedis();
    harness = await startQueueHarness({
      ...QUEUES,
      backend,
      ...(redis ? { redis: { url: redis.url } } : {}),
    });
  });
  afterAll(async () => {
    await harness?.close();
    await redis?.stop();
  });

  it.skipIf(skip !== "")(
    `width 2 holds over 3 runs of 6 steps and two workers, and every run succeeds${skip && ` (skipped: ${skip})`}`,
    async () => {
      const workers = [await harness.startWorker("warehouse", 2), await harness.startWorker("warehouse", 2)];
      const runs = await Promise.all([1, 2, 3].map(() => harness.start("warehouse_job")));
      const statuses = await Promise.all(runs.map((run) => run.done));
      const events = (await Promise.all(runs.map((run) => harness.events(run.runId)))).flat();
      expect(events.filter((event) => event.type === "STEP_FAILURE").map((event) => event.message)).toEqual(
        [],
      );
      expect(statuses).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
      expect(stepKeysOf(events, "STEP_SUCCESS")).toHaveLength(18);
      expect(peakActiveSteps(events)).toBe(2);
      for (const worker of workers) worker.kill("SIGTERM");
    },
    600_000,
  );

  it.skipIf(skip !== "")(
    "with width 1, higher priorities start first and ties keep their order",
    async () => {
      const first = await harness.start("priority_job");
      const enqueued = async (runId: string) =>
        (await harness.events(runId)).filter((e) => e.message.includes("waits on queue `serial`")).length ===
        2
          ? true
          : undefined;
      await waitFor("the first run's steps to wait", () => enqueued(first.runId), 90_000, 50);
      const second = await harness.start("priority_job");
      await waitFor("the second run's steps to wait", () => enqueued(second.runId), 90_000, 50);
      const worker = await harness.startWorker("serial", 4);
      expect([await first.done, await second.done]).toEqual(["SUCCESS", "SUCCESS"]);
      const starts = [...(await harness.events(first.runId)), ...(await harness.events(second.runId))]
        .filter((event) => event.type === "STEP_START")
        .sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq)
        .map((event) => `${event.runId === first.runId ? "first" : "second"}.${event.stepKey}`);
      expect(starts).toEqual(["first.high", "second.high", "first.low", "second.low"]);
      worker.kill("SIGTERM");
    },
    300_000,
  );

  it.skipIf(skip !== "")(
    "a worker killed with SIGKILL mid-step loses nothing: the step is taken again and succeeds once",
    async () => {
      const workers = [await harness.startWorker("default"), await harness.startWorker("default")];
      const run = await harness.start("slow_job");
      const [victim] = await waitFor(
        "the step to start",
        async () => {
          const ppids = await linesOf(path.join(harness.home, "ppids"));
          return ppids.length > 0 ? ppids : undefined;
        },
        90_000,
        50,
      );
      const killed = workers.find((worker) => worker.pid === victim);
      expect(killed).toBeDefined();
      killed!.kill("SIGKILL");
      expect(await run.done).toBe("SUCCESS");
      const events = await harness.events(run.runId);
      expect(stepKeysOf(events, "STEP_SUCCESS")).toEqual(["slow"]);
      const ppids = await linesOf(path.join(harness.home, "ppids"));
      expect(ppids).toHaveLength(2);
      expect(ppids[1]).not.toBe(victim);
      // The killed worker's step process died with it.
      const [firstStepPid] = await linesOf(path.join(harness.home, "pids"));
      expect(alive(firstStepPid!)).toBe(false);
      for (const worker of workers) worker.kill("SIGTERM");
    },
    180_000,
  );

  it.skipIf(skip !== "")(
    "terminating a run removes its waiting steps, stops the running one and ends CANCELED",
    async () => {
      const worker = await harness.startWorker("default", 1);
      const run = await harness.start("long_job");
      const pidsFile = path.join(harness.home, "pids");
      const before = (await linesOf(pidsFile)).length;
      const stepPid = await waitFor(
        "a long step to start",
        async () => (await linesOf(pidsFile))[before],
        90_000,
        50,
      );
      const canceledAt = Date.now();
      await terminateRun(
        harness.db.storage,
        {
          terminate: async () => {
            run.abort.abort(new Error("terminated"));
            return true;
          },
        } as never,
        run.runId,
      );
      expect(await run.done).toBe("CANCELED");
      await waitFor("the step process to stop", () => (alive(stepPid) ? undefined : true), 20_000, 50);
      expect(Date.now() - canceledAt).toBeLessThan(20_000);
      const events = await harness.events(run.runId);
      // One step ran and was stopped; the other two never started.
      expect(stepKeysOf(events, "STEP_START")).toHaveLength(1);
      expect((await linesOf(pidsFile)).length).toBe(before + 1);
      const { openQueueBackend } = await import("@bosun/queues");
      const { parseQueueSettings } = await import("@bosun/instance");
      const queues = await openQueueBackend(
        parseQueueSettings({ queues: { backend, ...(redis ? { redis: { url: redis.url } } : {}) } }),
        harness.db.databaseUrl,
      );
      const queue = await queues.queue("default");
      expect(await queue.getJobCounts("waiting", "prioritized", "active", "delayed")).toEqual({
        waiting: 0,
        prioritized: 0,
        active: 0,
        delayed: 0,
      });
      await queues.close();
      worker.kill("SIGTERM");
    },
    180_000,
  );

  it.skipIf(skip !== "")(
    "a step on a queue without workers says so and fails after the timeout",
    async () => {
      const run = await harness.start("unserved_job");
      expect(await run.done).toBe("FAILURE");
      const events = await harness.events(run.runId);
      expect(events.some((event) => event.message === "waiting: queue `nobody` has no workers")).toBe(true);
      const failure = events.find((event) => event.type === "STEP_FAILURE");
      expect(failure?.message).toContain("queue `nobody` has no workers");
    },
    120_000,
  );

  it.skipIf(skip !== "")(
    "a queue neither bosun.yaml nor a worker knows fails the run at its start, naming op and queue",
    async () => {
      const run = await harness.start("unknown_queue_job");
      expect(await run.done).toBe("FAILURE");
      const text = (await harness.events(run.runId)).map((event) => event.message).join("\n");
      expect(text).toContain('op "lost" names queue `warehuose`');
      expect(text).not.toContain("STEP_START");
    },
    120_000,
  );
});
