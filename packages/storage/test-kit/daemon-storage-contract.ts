import type { NewRun } from "@bosun/core";
import { describe, expect, it } from "vitest";
import type { AdmissionPolicy, QueuedRunView } from "../src/run-queue-storage.ts";
import type { BosunStorage } from "../src/storage.ts";
import { RunAlreadyExistsError } from "../src/storage-errors.ts";
import { type StorageContractHarness, uid, useContractHarness } from "./storage-contract-harness.ts";

/**
 * The daemon's half of the storage contract: the run queue, schedule and sensor state with ticks, and
 * heartbeats. Called by `describeStorageContract`, with its own harness (admission reads the whole
 * queue, so it gets a store of its own); tests keep apart through a unique `scope` tag.
 */
export function describeDaemonStorageContract(
  name: string,
  createHarness: () => Promise<StorageContractHarness>,
): void {
  describe(`${name} (daemon storage contract)`, () => {
    const { storage, other } = useContractHarness(createHarness);

    describe("run queue", () => {
      it("creates a run once per idempotency key, from any instance", async () => {
        const key = uid("tick");
        const first = await storage().runQueue.createRunOnce(queued(uid("run"), { scope: "once" }), key);
        const second = await other().runQueue.createRunOnce(queued(uid("run"), { scope: "once" }), key);
        expect(first.created).toBe(true);
        expect(second).toEqual({ run: first.run, created: false });
        expect(await storage().runQueue.getRunByIdempotencyKey(key)).toEqual(first.run);
        expect(await storage().runQueue.getRunByIdempotencyKey(uid("unknown"))).toBeNull();
      });

      it("creates exactly one run when many callers race on one idempotency key", async () => {
        const key = uid("race");
        const scope = uid("scope");
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? other() : storage()).runQueue.createRunOnce(queued(uid("run"), { scope }), key),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.run.runId)).size).toBe(1);
        expect(await storage().runs.countRuns({ tags: { scope } })).toBe(1);
      });

      it("refuses a taken run id even with a new idempotency key", async () => {
        const runId = uid("run");
        await storage().runQueue.createRunOnce(queued(runId, {}), uid("key"));
        await expect(storage().runQueue.createRunOnce(queued(runId, {}), uid("key"))).rejects.toBeInstanceOf(
          RunAlreadyExistsError,
        );
      });

      it("offers queued runs by priority, then oldest first, and moves the chosen ones to STARTING with an event", async () => {
        const scope = uid("scope");
        const low = await createQueued(storage(), { scope, "bosun/priority": "-1" });
        const plainA = await createQueued(storage(), { scope });
        const high = await createQueued(storage(), { scope, "bosun/priority": "10" });
        const junk = await createQueued(storage(), { scope, "bosun/priority": "not a number" });
        const plainB = await createQueued(storage(), { scope });
        let offered: readonly QueuedRunView[] = [];
        const claimed = await storage().runQueue.claimQueuedRuns((snapshot) => {
          offered = snapshot.queued.filter((r) => r.tags.scope === scope);
          return offered.slice(0, 3).map((r) => r.runId);
        }, ADMITTER);
        expect(offered.map((r) => r.runId)).toEqual([high, plainA, junk, plainB, low]);
        expect(offered.map((r) => r.priority)).toEqual([10, 0, 0, 0, -1]);
        expect(claimed.map((r) => r.runId)).toEqual([high, plainA, junk]);
        expect(claimed.every((r) => r.status === "STARTING")).toBe(true);
        const events = await other().events.getEvents(high);
        expect(events.map((e) => e.type)).toEqual(["RUN_ENQUEUED", "RUN_STARTING"]);
        expect((await other().runs.getRun(plainB))?.status).toBe("QUEUED");
      });

      it("shows the policy the runs in progress and ignores ids it was not offered", async () => {
        const scope = uid("scope");
        const started = await createQueued(storage(), { scope, pool: "a" });
        await storage().runQueue.claimQueuedRuns(only(scope, [started]), ADMITTER);
        const next = await createQueued(storage(), { scope });
        let inProgress: readonly QueuedRunView[] = [];
        const claimed = await storage().runQueue.claimQueuedRuns((snapshot) => {
          inProgress = snapshot.inProgress.filter((r) => r.tags.scope === scope);
          return ["no-such-run", started, next];
        }, ADMITTER);
        expect(inProgress.map((r) => [r.runId, r.tags.pool])).toEqual([[started, "a"]]);
        expect(claimed.map((r) => r.runId)).toEqual([next]);
      });

      it("admits one run at a time across instances, so a limit read by the policy holds", async () => {
        const scope = uid("scope");
        for (let i = 0; i < 6; i++) await createQueued(storage(), { scope });
        // Each policy admits one run only when none of the scope is in progress.
        const policy: AdmissionPolicy = (snapshot) =>
          snapshot.inProgress.some((r) => r.tags.scope === scope)
            ? []
            : snapshot.queued
                .filter((r) => r.tags.scope === scope)
                .slice(0, 1)
                .map((r) => r.runId);
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? other() : storage()).runQueue.claimQueuedRuns(policy, ADMITTER),
          ),
        );
        expect(results.flat()).toHaveLength(1);
        expect(await storage().runs.countRuns({ tags: { scope }, statuses: ["STARTING"] })).toBe(1);
      });

      it("cancels a queued run atomically and refuses once it was admitted", async () => {
        const scope = uid("scope");
        const waiting = await createQueued(storage(), { scope });
        const admitted = await createQueued(storage(), { scope });
        await storage().runQueue.claimQueuedRuns(only(scope, [admitted]), ADMITTER);
        expect(await other().runQueue.cancelUnstartedRun(waiting, "asked by a test")).toBe(true);
        expect(await other().runQueue.cancelUnstartedRun(admitted, "asked by a test")).toBe(false);
        const run = await storage().runs.getRun(waiting);
        expect(run?.status).toBe("CANCELED");
        expect(run?.endTime).toBeInstanceOf(Date);
        const events = await storage().events.getEvents(waiting);
        expect(events.map((e) => [e.type, e.data])).toEqual([
          ["RUN_ENQUEUED", {}],
          ["RUN_CANCELED", { reason: "asked by a test" }],
        ]);
        expect(await other().runQueue.cancelUnstartedRun(waiting, "again")).toBe(false);
      });

      it("notifies queue watchers in other instances when a run is queued or frees a slot", async () => {
        let pokes = 0;
        const subscription = await storage().runQueue.watchQueue(() => {
          pokes++;
        });
        try {
          await createQueued(other(), { scope: uid("scope") });
          await waitFor(() => pokes > 0);
          const runId = uid("run");
          await other().runs.createRun({ runId, jobName: "j", status: "STARTED" });
          pokes = 0;
          await other().events.appendEvents([
            {
              runId,
              type: "RUN_SUCCESS",
              timestamp: Date.now(),
              stepKey: null,
              level: "info",
              message: "done",
              data: {},
            },
          ]);
          await waitFor(() => pokes > 0);
        } finally {
          await subscription.close();
        }
      });

      it("lists failed runs with retries left and no retry yet", async () => {
        const scope = uid("scope");
        const make = async (tags: Record<string, string>) => {
          const runId = uid("run");
          await storage().runs.createRun({
            runId,
            jobName: "j",
            status: "FAILURE",
            tags: { scope, ...tags },
          });
          return runId;
        };
        const retryable = await make({ "bosun/max_retries": "2" });
        const lastRetry = await make({ "bosun/max_retries": "2", "bosun/retry_number": "2" });
        const middle = await make({ "bosun/max_retries": "2", "bosun/retry_number": "1" });
        const bad = await make({ "bosun/max_retries": "many" });
        const none = await make({});
        const retried = await make({ "bosun/max_retries": "1" });
        await storage().runQueue.createRunOnce(queued(uid("run"), { scope }), `retry/${retried}`);
        const ids = (await other().runQueue.failedRunsToRetry(1000)).map((r) => r.runId);
        expect(ids).toEqual(expect.arrayContaining([retryable, middle]));
        for (const id of [lastRetry, bad, none, retried]) expect(ids).not.toContain(id);
      });
    });

    describe("schedules and sensors", () => {
      it("stores status toggles and reads them from another instance", async () => {
        const location = uid("loc");
        expect(await storage().instigators.getState("schedule", location, "daily")).toBeNull();
        const running = await storage().instigators.setStatus("schedule", location, "daily", "RUNNING");
        expect(running).toMatchObject({
          kind: "schedule",
          location,
          name: "daily",
          status: "RUNNING",
          cursor: null,
        });
        await other().instigators.setStatus("schedule", location, "daily", "STOPPED");
        expect((await storage().instigators.getState("schedule", location, "daily"))?.status).toBe("STOPPED");
        await storage().instigators.setStatus("sensor", location, "files", "RUNNING");
        const sensors = (await other().instigators.listStates("sensor")).filter(
          (s) => s.location === location,
        );
        expect(sensors.map((s) => s.name)).toEqual(["files"]);
        const all = (await other().instigators.listStates()).filter((s) => s.location === location);
        expect(all.map((s) => `${s.kind}:${s.name}`).sort()).toEqual(["schedule:daily", "sensor:files"]);
      });

      it("keeps a sensor's cursor and evaluation time, and its status across a cursor update", async () => {
        const location = uid("loc");
        await storage().instigators.setSensorCursor(location, "files", "c1", 1_700_000_000_123);
        expect(await other().instigators.getState("sensor", location, "files")).toMatchObject({
          cursor: "c1",
          lastEvaluatedAt: 1_700_000_000_123,
        });
        await storage().instigators.setStatus("sensor", location, "files", "STOPPED");
        await storage().instigators.setSensorCursor(location, "files", null, 1_700_000_001_000);
        expect(await other().instigators.getState("sensor", location, "files")).toMatchObject({
          status: "STOPPED",
          cursor: null,
          lastEvaluatedAt: 1_700_000_001_000,
        });
      });

      it("lets exactly one of many racing claims have a tick", async () => {
        const location = uid("loc");
        const tick = {
          kind: "schedule" as const,
          location,
          name: "hourly",
          tickKey: "2030-01-01T00:00:00.000Z",
          timestamp: Date.UTC(2030, 0, 1),
        };
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 ? other() : storage()).instigators.claimTick(tick)),
        );
        const won = claims.filter((c) => c !== null);
        expect(won).toHaveLength(1);
        expect(won[0]).toMatchObject({ ...tick, status: "STARTED", runIds: [], runKeys: [], endedAt: null });
      });

      it("finishes ticks and lists them newest first", async () => {
        const location = uid("loc");
        const claim = (minute: number) =>
          storage().instigators.claimTick({
            kind: "schedule",
            location,
            name: "s",
            tickKey: `k${minute}`,
            timestamp: Date.UTC(2030, 0, 1, 0, minute),
          });
        const first = (await claim(1))!;
        const second = (await claim(2))!;
        const failure = { className: "Error", message: "boom", stack: null, cause: null };
        const done = await other().instigators.finishTick(first.tickId, {
          status: "SUCCESS",
          runIds: ["r1", "r2"],
          runKeys: ["a"],
          cursor: "c",
        });
        expect(done).toMatchObject({ status: "SUCCESS", runIds: ["r1", "r2"], runKeys: ["a"], cursor: "c" });
        expect(done.endedAt).toBeInstanceOf(Date);
        await other().instigators.finishTick(second.tickId, { status: "FAILURE", error: failure });
        const ticks = await storage().instigators.listTicks("schedule", location, "s");
        expect(ticks.map((t) => [t.tickKey, t.status])).toEqual([
          ["k2", "FAILURE"],
          ["k1", "SUCCESS"],
        ]);
        expect(ticks[0]?.error).toEqual(failure);
        expect((await storage().instigators.latestTick("schedule", location, "s"))?.tickKey).toBe("k2");
        const before = await storage().instigators.listTicks("schedule", location, "s", {
          before: Date.UTC(2030, 0, 1, 0, 2),
        });
        expect(before.map((t) => t.tickKey)).toEqual(["k1"]);
        expect((await other().instigators.getTickByKey("schedule", location, "s", "k1"))?.tickId).toBe(
          first.tickId,
        );
        expect(await other().instigators.getTickByKey("schedule", location, "s", "nope")).toBeNull();
        expect(await storage().instigators.latestTick("sensor", location, "s")).toBeNull();
      });
    });

    describe("heartbeats", () => {
      it("keeps the latest heartbeat of each daemon loop with its errors", async () => {
        const daemonId = uid("daemon");
        const failure = { className: "Error", message: "code server down", stack: null, cause: null };
        await storage().heartbeats.writeHeartbeat({
          daemonType: "SCHEDULER",
          daemonId,
          timestamp: new Date(1000),
          errors: [],
        });
        await other().heartbeats.writeHeartbeat({
          daemonType: "SCHEDULER",
          daemonId,
          timestamp: new Date(2000),
          errors: [failure],
        });
        await other().heartbeats.writeHeartbeat({
          daemonType: "RUN_QUEUE",
          daemonId,
          timestamp: new Date(1500),
          errors: [],
        });
        const mine = (await storage().heartbeats.listHeartbeats()).filter((h) => h.daemonId === daemonId);
        expect(mine).toEqual([
          { daemonType: "RUN_QUEUE", daemonId, timestamp: new Date(1500), errors: [] },
          { daemonType: "SCHEDULER", daemonId, timestamp: new Date(2000), errors: [failure] },
        ]);
      });

      it("reports in-progress runs whose worker heartbeat is stale or missing", async () => {
        const make = async (status: NewRun["status"]) => {
          const runId = uid("run");
          await storage().runs.createRun({ runId, jobName: "j", status });
          return runId;
        };
        const fresh = await make("STARTED");
        const stale = await make("STARTED");
        const silent = await make("STARTING");
        const done = await make("SUCCESS");
        const now = Date.now();
        await storage().heartbeats.writeRunHeartbeat(fresh, new Date(now));
        await storage().heartbeats.writeRunHeartbeat(stale, new Date(now - 60_000));
        // An older heartbeat arriving late never moves it back.
        await other().heartbeats.writeRunHeartbeat(fresh, new Date(now - 120_000));
        await storage().heartbeats.writeRunHeartbeat(done, new Date(now - 60_000));
        const found = await other().heartbeats.runsWithStaleHeartbeat(new Date(now - 30_000));
        const byId = new Map(found.map((f) => [f.runId, f.lastHeartbeat]));
        expect(byId.has(fresh)).toBe(false);
        expect(byId.has(done)).toBe(false);
        expect(byId.get(stale)).toEqual(new Date(now - 60_000));
        expect(byId.has(silent)).toBe(true);
        expect(byId.get(silent)).toBeNull();
      });
    });
  });
}

/** Admissions in these tests are made for a daemon that holds no lease; no test here takes launches over. */
const ADMITTER = { launchOwner: "daemon-storage-contract" } as const;

function queued(runId: string, tags: Record<string, string>): NewRun {
  return { runId, jobName: "queued_job", status: "QUEUED", tags };
}

async function createQueued(storage: BosunStorage, tags: Record<string, string>): Promise<string> {
  const runId = uid("run");
  await storage.runs.createRun(queued(runId, tags));
  // Distinct creation times (millisecond resolution), so FIFO order is observable.
  await new Promise((resolve) => setTimeout(resolve, 3));
  return runId;
}

/** Admits exactly the given runs of the scope. */
function only(scope: string, runIds: readonly string[]): AdmissionPolicy {
  return (snapshot) =>
    snapshot.queued.filter((r) => r.tags.scope === scope && runIds.includes(r.runId)).map((r) => r.runId);
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
