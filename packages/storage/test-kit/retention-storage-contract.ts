import type { NewEvent, RunStatus } from "@bosun/core";
import { describe, expect, it } from "vitest";
import type { FinishedTickStatus, TickStatus } from "../src/instigator-storage.ts";
import { type StorageContractHarness, uid, useContractHarness } from "./storage-contract-harness.ts";

/**
 * The retention half of the storage contract: purging old runs and ticks. It gets a store of its own
 * (a purge deletes whatever is old enough, whoever wrote it). Old data is dated in 2000, so anything
 * other tests write now is never old enough; each test purges what it made old.
 */
export function describeRetentionStorageContract(
  name: string,
  createHarness: () => Promise<StorageContractHarness>,
): void {
  describe(`${name} (retention storage contract)`, () => {
    const { storage, other } = useContractHarness(createHarness);

    const OLD = Date.UTC(2000, 0, 1);
    const CUTOFF = new Date(Date.UTC(2001, 0, 1));

    /** A run whose events are dated `at`; a terminal `status` gives it that end time. */
    const runWith = async (
      status: RunStatus,
      at: number,
      extra: (runId: string) => NewEvent[] = () => [],
    ) => {
      const runId = uid("run");
      await storage().runs.createRun({ runId, jobName: "retention_job", status: "NOT_STARTED" });
      await storage().events.appendEvents([
        event(runId, "RUN_START", at),
        ...extra(runId),
        ...(status === "STARTED" ? [] : [event(runId, terminalEvent(status), at + 1000)]),
      ]);
      return runId;
    };

    describe("runs", () => {
      it("deletes finished runs that ended before the cutoff with everything stored for them, and nothing else", async () => {
        const withData = async (status: RunStatus, at: number) => {
          const runId = await runWith(status, at, (id) => [event(id, "STEP_START", at, "step")]);
          await storage().computeLogs.append(runId, "step", "stdout", "out\n");
          await storage().computeLogs.append(runId, "step", "stderr", "err\n");
          await storage().outputs.put(runId, "step", "result", Uint8Array.from([1, 2, 3]));
          await storage().heartbeats.writeRunHeartbeat(runId, new Date(at));
          return runId;
        };
        const oldSuccess = await withData("SUCCESS", OLD);
        const oldFailure = await withData("FAILURE", OLD);
        const oldCanceled = await withData("CANCELED", OLD);
        const oldInProgress = await withData("STARTED", OLD);
        const recent = await withData("SUCCESS", Date.now());
        const queued = uid("run");
        await storage().runs.createRun({ runId: queued, jobName: "retention_job", status: "QUEUED" });
        await storage().outputs.put("__assets__", "kept_asset", "", Uint8Array.from([9]));

        expect(await other().retention.purgeRuns(CUTOFF)).toEqual({ deleted: 3, batches: 1, complete: true });

        for (const runId of [oldSuccess, oldFailure, oldCanceled]) {
          expect(await storage().runs.getRun(runId)).toBeNull();
          expect(await storage().events.getEvents(runId)).toEqual([]);
          expect(await storage().computeLogs.stepKeysWithLogs(runId)).toEqual([]);
          expect(await storage().computeLogs.read(runId, "step", "stdout")).toEqual({
            data: "",
            nextOffset: 0,
          });
          expect(await storage().computeLogs.size(runId, "step", "stderr")).toBe(0);
          expect(await storage().outputs.get(runId, "step", "result")).toBeNull();
        }
        for (const runId of [oldInProgress, recent]) {
          expect(await storage().runs.getRun(runId)).not.toBeNull();
          expect((await storage().events.getEvents(runId)).length).toBeGreaterThan(0);
          expect((await storage().computeLogs.read(runId, "step", "stdout")).data).toBe("out\n");
          expect(await storage().outputs.get(runId, "step", "result")).toEqual(Uint8Array.from([1, 2, 3]));
        }
        expect((await storage().runs.getRun(queued))?.status).toBe("QUEUED");
        expect(await storage().outputs.get("__assets__", "kept_asset", "")).toEqual(Uint8Array.from([9]));
        // The purged runs' worker heartbeats went with them; the old run in progress still reports its own.
        const stale = (await storage().heartbeats.runsWithStaleHeartbeat(CUTOFF)).map((s) => s.runId);
        expect(stale).toContain(oldInProgress);
        expect(await storage().retention.purgeRuns(CUTOFF)).toEqual({
          deleted: 0,
          batches: 0,
          complete: true,
        });
      });

      it("points an asset's latest materialization at the newest one left, and drops it when none is left", async () => {
        const asset = uid("asset");
        const gone = uid("asset");
        const materialize = (
          runId: string,
          at: number,
          assetKey: string,
          partitionKey: string | null,
          rows: number,
        ) =>
          ({
            runId,
            type: "ASSET_MATERIALIZATION",
            stepKey: "step",
            level: "info",
            message: "materialized",
            timestamp: at,
            data: { assetKey, partitionKey, metadata: { rows: { type: "int", value: rows } } },
          }) as NewEvent;
        // Still in progress, so kept: its materializations are the older ones.
        const kept = await runWith("STARTED", OLD, (id) => [
          materialize(id, OLD, asset, null, 1),
          materialize(id, OLD, asset, "p1", 1),
        ]);
        const purged = await runWith("SUCCESS", OLD + 10_000, (id) => [
          materialize(id, OLD + 10_000, asset, null, 2),
          materialize(id, OLD + 10_000, asset, "p1", 2),
          materialize(id, OLD + 10_000, asset, "p2", 2),
          materialize(id, OLD + 10_000, gone, null, 2),
        ]);
        expect((await storage().events.latestMaterializations([asset]))[0]?.runId).toBe(purged);

        expect((await storage().retention.purgeRuns(CUTOFF)).deleted).toBe(1);

        const latest = await storage().events.latestMaterializations([asset, gone]);
        // Across partitions, the newest left is the kept run's p1.
        expect(latest.map((m) => [m.assetKey, m.partitionKey, m.runId, m.metadata])).toEqual([
          [asset, "p1", kept, { rows: { type: "int", value: 1 } }],
        ]);
        const keptSeqs = (await storage().events.getEvents(kept, { types: ["ASSET_MATERIALIZATION"] })).map(
          (e) => e.seq,
        );
        expect(keptSeqs).toContain(latest[0]!.seq);
        const byPartition = await storage().events.latestMaterializations([asset], { byPartition: true });
        expect(byPartition.map((m) => [m.partitionKey, m.runId])).toEqual([
          [null, kept],
          ["p1", kept],
        ]);
        expect((await storage().events.materializationHistory(asset)).map((m) => m.runId)).toEqual([
          kept,
          kept,
        ]);
        expect(await storage().events.materializationHistory(gone)).toEqual([]);
        // New materializations still move the index forward.
        const later = await runWith("STARTED", Date.now(), (id) => [
          materialize(id, Date.now(), asset, "p2", 3),
        ]);
        const p2 = await storage().events.latestMaterializations([asset], { byPartition: true });
        expect(p2.find((m) => m.partitionKey === "p2")?.runId).toBe(later);
      });

      it("deletes a large backlog in batches of the given size, and stops after maxBatches", async () => {
        const count = 2500;
        const runIds = Array.from({ length: count }, () => uid("bulk"));
        const parallel = 5;
        for (let i = 0; i < count; i += parallel)
          await Promise.all(
            runIds
              .slice(i, i + parallel)
              .map((runId) =>
                storage().runs.createRun({ runId, jobName: "bulk_job", status: "NOT_STARTED" }),
              ),
          );
        for (let i = 0; i < count; i += 500)
          await storage().events.appendEvents(
            runIds
              .slice(i, i + 500)
              .flatMap((runId) => [
                event(runId, "RUN_START", OLD),
                event(runId, "STEP_START", OLD, "step"),
                event(runId, "RUN_SUCCESS", OLD + 1000),
              ]),
          );
        expect(await storage().retention.purgeRuns(CUTOFF, { batchSize: 1000, maxBatches: 2 })).toEqual({
          deleted: 2000,
          batches: 2,
          complete: false,
        });
        expect(await storage().runs.countRuns({ runIds })).toBe(500);
        expect(await storage().retention.purgeRuns(CUTOFF)).toEqual({
          deleted: 500,
          batches: 1,
          complete: true,
        });
        expect(await storage().runs.countRuns({ runIds })).toBe(0);
        expect(await storage().events.getEvents(runIds[0]!)).toEqual([]);
        expect(await storage().events.getEvents(runIds.at(-1)!)).toEqual([]);
      });

      it("splits the work between two instances purging at once, deleting each run once", async () => {
        const runIds: string[] = [];
        for (let i = 0; i < 40; i++) runIds.push(await runWith("SUCCESS", OLD));
        const [a, b] = await Promise.all([
          storage().retention.purgeRuns(CUTOFF, { batchSize: 5 }),
          other().retention.purgeRuns(CUTOFF, { batchSize: 5 }),
        ]);
        expect(a.deleted + b.deleted).toBe(40);
        expect(await storage().runs.countRuns({ runIds })).toBe(0);
      });
    });

    describe("ticks", () => {
      it("deletes old ticks of the given kind and statuses, keeping STARTED ticks and each instigator's newest", async () => {
        const location = uid("loc");
        const tick = async (
          kind: "schedule" | "sensor",
          tickName: string,
          day: number,
          status: TickStatus,
        ) => {
          const claimed = await storage().instigators.claimTick({
            kind,
            location,
            name: tickName,
            tickKey: `day-${day}`,
            timestamp: Date.UTC(2000, 0, day),
          });
          if (status !== "STARTED")
            await storage().instigators.finishTick(claimed!.tickId, { status: status as FinishedTickStatus });
        };
        const keys = async (kind: "schedule" | "sensor", tickName: string) =>
          (await storage().instigators.listTicks(kind, location, tickName)).map(
            (t) => `${t.tickKey} ${t.status}`,
          );
        await tick("sensor", "s", 1, "SKIPPED");
        await tick("sensor", "s", 2, "SUCCESS");
        await tick("sensor", "s", 3, "SKIPPED");
        await tick("sensor", "s", 4, "STARTED");
        await tick("sensor", "s", 5, "FAILURE");
        await tick("sensor", "s", 6, "SKIPPED");
        await tick("sensor", "lonely", 1, "SKIPPED");
        await tick("schedule", "s", 1, "SKIPPED");
        await tick("schedule", "s", 2, "SKIPPED");

        const before = new Date(Date.UTC(2000, 1, 1));
        expect(await other().retention.purgeTicks("sensor", ["SKIPPED"], before)).toEqual({
          deleted: 2,
          batches: 1,
          complete: true,
        });
        expect(await keys("sensor", "s")).toEqual([
          "day-6 SKIPPED",
          "day-5 FAILURE",
          "day-4 STARTED",
          "day-2 SUCCESS",
        ]);
        expect(await keys("sensor", "lonely")).toEqual(["day-1 SKIPPED"]);
        expect(await keys("schedule", "s")).toEqual(["day-2 SKIPPED", "day-1 SKIPPED"]);

        // Only ticks before the cutoff go, in batches.
        expect(
          await storage().retention.purgeTicks(
            "sensor",
            ["SUCCESS", "FAILURE"],
            new Date(Date.UTC(2000, 0, 5)),
          ),
        ).toMatchObject({ deleted: 1 });
        expect(await keys("sensor", "s")).toEqual(["day-6 SKIPPED", "day-5 FAILURE", "day-4 STARTED"]);
        expect(
          await storage().retention.purgeTicks("schedule", ["SKIPPED"], before, { batchSize: 1 }),
        ).toEqual({
          deleted: 1,
          batches: 1,
          complete: true,
        });
        expect(await keys("schedule", "s")).toEqual(["day-2 SKIPPED"]);
        expect(await storage().retention.purgeTicks("sensor", [], before)).toEqual({
          deleted: 0,
          batches: 0,
          complete: true,
        });
      });
    });

    describe("audit log", () => {
      it("deletes audit entries recorded before the cutoff, in batches, and keeps later ones", async () => {
        const actor = uid("auditor");
        const record = (day: number) =>
          storage().auth.appendAudit({
            at: new Date(Date.UTC(1990, 0, day)),
            actor,
            actorKind: "user",
            action: `POST /api/day-${day}`,
            permission: null,
            object: null,
            address: null,
            decision: "allowed",
            statusCode: 200,
            reason: null,
          });
        for (const day of [1, 2, 3, 10]) await record(day);
        const left = async () =>
          (await storage().auth.listAudit({ limit: 100, actor })).map((entry) => entry.action);
        expect(await other().retention.purgeAudit(new Date(Date.UTC(1990, 0, 3)), { batchSize: 1 })).toEqual({
          deleted: 2,
          batches: 2,
          complete: true,
        });
        expect(await left()).toEqual(["POST /api/day-10", "POST /api/day-3"]);
        expect(
          await storage().retention.purgeAudit(new Date(Date.UTC(1990, 1, 1)), {
            batchSize: 1,
            maxBatches: 1,
          }),
        ).toEqual({ deleted: 1, batches: 1, complete: false });
        expect(await left()).toEqual(["POST /api/day-10"]);
      });
    });
  });
}

function terminalEvent(status: RunStatus): "RUN_SUCCESS" | "RUN_FAILURE" | "RUN_CANCELED" {
  if (status === "SUCCESS") return "RUN_SUCCESS";
  if (status === "CANCELED") return "RUN_CANCELED";
  return "RUN_FAILURE";
}

function event(
  runId: string,
  type: NewEvent["type"],
  timestamp: number,
  stepKey: string | null = null,
): NewEvent {
  const data =
    type === "RUN_FAILURE" ? { reason: "failed" } : type === "RUN_CANCELED" ? { reason: "canceled" } : {};
  return { runId, type, stepKey, level: "info", message: type, timestamp, data } as NewEvent;
}
